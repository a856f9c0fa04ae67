import DicomNIO
import DicomUL
import Foundation

// C-STORE CPU per MB over NULL-SHA measured the way issue 15 quotes it (SCP and SCU in
// separate processes, both sides' CPU): the blocking and the async SCP, each in a child
// process (`--serve-dicom blocking|async FOLDER`, from /proc), and the async and the blocking
// client in this process (getrusage: nothing else runs here meanwhile), storing the 50 x 1 MB
// files three times over one association. `--servers` and `--filter dicom-cpu` only.
enum DicomStoreCPU {
    static let rounds = 3

    static func run() {
        guard let files = DicomBenchEnvironment.shared?.files else {
            print("\nC-STORE CPU per MB: skipped (no benchmark environment)")
            return
        }
        let bytes = files.reduce(0) { $0 + ((try? Part10File(path: $1).dataSetLength) ?? 0) }
        let megabytes = Double(rounds * bytes) / 1e6
        print("\nC-STORE CPU per MB over NULL-SHA, SCP in a child process, SCU in this process (\(format(megabytes, 0)) MB each)")
        for kind in ["blocking", "async"] {
            do {
                for (label, figures) in try measure(kind, files, megabytes: megabytes) {
                    print("  \(kind) SCP ← \(label) SCU: SCP \(format(figures.server, 2)) ms/MB, SCU \(format(figures.client, 2)) ms/MB, "
                        + "both \(format(figures.server + figures.client, 2)) ms/MB")
                    if kind == "async" { print("    the async SCP's threads: \(figures.serverThreads)") }
                }
            } catch {
                print("  \(kind) SCP: failed: \(error)")
            }
        }
    }

    struct Figures {
        var server: Double, client: Double
        /// The server's CPU by kind of thread (``ThreadCPU``).
        var serverThreads: String
    }

    /// Both clients against one `kind` SCP; CPU milliseconds per MB on each side.
    static func measure(_ kind: String, _ files: [String], megabytes: Double) throws -> [(String, Figures)] {
        let scp = try SCPChild(kind, tag: "cpu")
        defer { scp.stop() }
        let (server, folder) = (scp.server, scp.folder)
        let configuration = try scp.clientConfiguration()
        let asyncClient = DicomAsyncClient(configuration)
        let blockingClient = DicomClient(configuration)
        let clients: [(String, () -> Bool)] = [
            ("async", { AsyncDicomComparison.wait { try await asyncClient.store(files: files) }?.failures.isEmpty == true }),
            ("blocking", { (try? blockingClient.store(files: files))?.failures.isEmpty == true }),
        ]
        var results: [(String, Figures)] = []
        for (label, store) in clients {
            guard store() else { throw ServerChild.Failure(description: "the warm-up store from the \(label) client failed") }
            let pid = server.process.processIdentifier
            let server0 = server.cpuSeconds(), client0 = AsyncDicomComparison.processCPU(), threads0 = ThreadCPU.seconds(of: pid)
            for _ in 0..<rounds {
                guard store() else { throw ServerChild.Failure(description: "a store from the \(label) client failed") }
            }
            let serverCPU = server.cpuSeconds() - server0, clientCPU = AsyncDicomComparison.processCPU() - client0
            let threads = ThreadCPU.describe(before: threads0, after: ThreadCPU.seconds(of: pid), total: serverCPU, megabytes: megabytes)
            results.append((label, Figures(server: serverCPU / megabytes * 1e3, client: clientCPU / megabytes * 1e3, serverThreads: threads)))
            try? FileManager.default.contentsOfDirectory(atPath: folder).forEach { try? FileManager.default.removeItem(atPath: folder + "/" + $0) }
        }
        return results
    }
}
