import ArgumentParser
import DicomUL
import Foundation

/// `dicomtls demo`: a self-contained round trip on loopback: a storage SCP in this process,
/// generated Secondary Capture images sent to it with C-ECHO and C-STORE, and every stored
/// data set compared byte for byte with what was sent. (Plain TCP; TLS joins with the
/// handshake work.)
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Run an SCP and an SCU on loopback and check the stored objects.")

    @Option(name: .long, help: "Number of objects to send.") var count = 10
    @Option(name: .long, help: "Rows and columns of each generated 8-bit image.") var size = 512
    @Option(name: .customLong("keep"), help: "Keep the generated and received files in this folder.") var keep: String?

    func run() throws {
        let root = keep ?? (NSTemporaryDirectory() + "dicomtls-demo-\(getpid())")
        let src = root + "/sent", dst = root + "/received"
        for d in [src, dst] { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) }
        defer { if keep == nil { try? FileManager.default.removeItem(atPath: root) } }

        var objects: [(String, DicomObjectGenerator.Object)] = []
        for i in 0..<max(1, count) {
            let o = DicomObjectGenerator.secondaryCapture(rows: size, columns: size, patientName: "DEMO^\(i)", seed: UInt8(truncatingIfNeeded: i))
            let path = src + "/img\(i).dcm"
            try Data(o.part10).write(to: URL(fileURLWithPath: path))
            objects.append((path, o))
        }
        let server: DicomServer
        let summary: StoreSummary
        do {
            server = try DicomServer(try DicomServerConfiguration(port: 0, outputDirectory: dst, aeTitle: "DEMOSCP", host: "127.0.0.1"))
            server.start()
            print("SCP DEMOSCP listening on 127.0.0.1:\(server.port)")
            let client = DicomClient(try DicomClientConfiguration(host: "127.0.0.1", port: server.port, callingAETitle: "DEMOSCU", calledAETitle: "DEMOSCP"))
            print("C-ECHO: \(try client.echo())")
            summary = try client.store(files: objects.map(\.0))
        } catch {
            throw CLIFailure("demo failed: \(error.message)")
        }
        defer { server.stop() }
        var mismatches = 0
        for (_, o) in objects {
            let path = dst + "/" + o.sopInstanceUID + ".dcm"
            guard let header = try? Part10File(path: path),
                  let data = FileManager.default.contents(atPath: path),
                  Array(data[header.dataSetOffset...]) == o.dataSet else {
                mismatches += 1
                print("MISMATCH \(o.sopInstanceUID)")
                continue
            }
        }
        print(String(format: "C-STORE: %d object(s), %.1f MB in %.2f s (%.1f MB/s), %d failure(s), %d mismatch(es)",
                     summary.files, Double(summary.bytes) / 1e6, summary.seconds, summary.megabytesPerSecond,
                     summary.failures.count, mismatches))
        if let keep { print("files kept in \(keep)") }
        guard summary.failures.isEmpty, mismatches == 0 else { throw ExitCode(1) }
        print("demo OK: every stored data set equals the one sent")
    }
}
