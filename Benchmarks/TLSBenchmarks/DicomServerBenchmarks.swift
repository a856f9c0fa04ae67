import DicomNIO
import DicomUL
import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization
import TLSHandshake
import TLSSockets
import X509

#if canImport(Glibc)
import Glibc
#endif

// The blocking `DicomServer` and the async `DicomAsyncServer` side by side (issue 15), each a
// TLS (NULL-SHA) storage SCP in a child process (this executable with `--serve-dicom
// blocking|async FOLDER`, association caps raised to 1,100). From this process, 1,000
// concurrent associations through the async client on one two-loop event loop group:
// all associated and idle, the server's RSS growth per association, threads and descriptors
// (/proc/PID); then each stores one 4 KB object; every stored data set compared byte for
// byte with the one sent; then all released. `--servers` only; never `--quick`.

enum DicomServerComparison {
    static let associations = 1000
    /// The whole run per server (associate, store, release) is bounded by this.
    static let budget: Double = 90

    static func run() {
        ServerComparison.raiseDescriptorLimit()
        print("\nDICOM storage SCPs side by side: \(associations) concurrent TLS (NULL-SHA) associations from the async client "
            + "(one 2-loop event loop group), server in a child process")
        print("  " + pad("server", 10) + pad("associated", 12, left: true) + pad("in", 8, left: true) + pad("RSS/idle assoc", 16, left: true)
            + pad("threads", 13, left: true) + pad("descriptors", 14, left: true) + pad("stored", 8, left: true)
            + pad("in", 8, left: true) + pad("byte-identical", 16, left: true))
        for kind in ["blocking", "async"] {
            do {
                print("  " + (try measure(kind)))
            } catch {
                print("  \(kind): failed: \(error)")
            }
        }
        print("  (threads and descriptors: before → with all associations idle; target ≤ 64 KiB RSS per idle association)")
    }

    static func measure(_ kind: String) throws -> String {
        let scp = try SCPChild(kind, tag: "servers")
        defer { scp.stop() }
        let (server, folder) = (scp.server, scp.folder)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        defer { try? group.syncShutdownGracefully() }
        let client = DicomAsyncClient(try scp.clientConfiguration(), group: group)
        guard AsyncDicomComparison.wait({ try await client.echo() }) == .success else {
            throw ServerChild.Failure(description: "the warm-up C-ECHO failed")
        }
        Thread.sleep(forTimeInterval: 0.5)
        let before = (rss: server.residentBytes(), threads: server.threadCount(), fds: server.descriptorCount())
        let objects = (0..<associations).map { DicomObjectGenerator.secondaryCapture(rows: 64, columns: 64, seed: UInt8(truncatingIfNeeded: $0)) }

        let progress = Progress(), storePhase = Phase(), releasePhase = Phase()
        let deadline = now() + budget
        let t0 = now()
        let driver = Task {
            await withTaskGroup(of: Void.self) { tasks in
                for (i, object) in objects.enumerated() {
                    // Batches of 100 handshakes at a time (the listen backlogs are 128).
                    while i - progress.settled(afterStores: false) >= 100, now() < deadline { try? await Task.sleep(for: .milliseconds(5)) }
                    tasks.addTask { await associateAndStore(client, object, progress, storePhase, releasePhase) }
                }
            }
            progress.finish()
        }
        func waitUntil(_ condition: () -> Bool) {
            while !condition(), now() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        }
        waitUntil { progress.settled(afterStores: false) >= associations }
        let associateSeconds = now() - t0
        Thread.sleep(forTimeInterval: 1.0)  // let the server settle with all of them idle
        let idle = (rss: server.residentBytes(), threads: server.threadCount(), fds: server.descriptorCount())
        let associated = progress.counts.associated
        let t1 = now()
        _ = AsyncDicomComparison.wait { await storePhase.open() }
        waitUntil { progress.settled(afterStores: true) >= associations }
        let storeSeconds = now() - t1
        _ = AsyncDicomComparison.wait { await releasePhase.open() }
        waitUntil { progress.counts.finished }
        if !progress.counts.finished {
            driver.cancel()  // aborts the associations still open
            let grace = now() + 10
            while !progress.counts.finished, now() < grace { Thread.sleep(forTimeInterval: 0.01) }
        }
        let identical = objects.filter { (try? storedDataSet(folder + "/" + $0.sopInstanceUID + ".dcm")) == $0.dataSet }.count
        let counts = progress.counts
        if let error = counts.firstError { FileHandle.standardError.write(Data("\(kind) DICOM server: first failure: \(error)\n".utf8)) }
        let perAssociation = Double(idle.rss - before.rss) / Double(max(1, associated)) / 1024
        return pad(kind, 10) + pad("\(associated)/\(associations)", 12, left: true) + pad(format(associateSeconds, 1) + " s", 8, left: true)
            + pad(format(perAssociation, 1) + " KiB", 16, left: true) + pad("\(before.threads) → \(idle.threads)", 13, left: true)
            + pad("\(before.fds) → \(idle.fds)", 14, left: true) + pad("\(counts.stored)", 8, left: true)
            + pad(format(storeSeconds, 1) + " s", 8, left: true)
            + pad((identical == associations ? "yes" : "no") + " (\(identical))", 16, left: true)
    }

    /// One association: associate, wait with it idle, store one object, wait, release.
    static func associateAndStore(
        _ client: DicomAsyncClient, _ object: DicomObjectGenerator.Object, _ progress: Progress, _ storePhase: Phase, _ releasePhase: Phase
    ) async {
        var associated = false
        do {
            try await client.withAssociation(proposing: [
                PresentationContextProposal(id: 1, abstractSyntax: object.sopClassUID, transferSyntaxes: [object.transferSyntaxUID]),
            ]) { association in
                associated = true
                progress.update { $0.associated += 1 }
                await storePhase.wait()
                let status = try await association.store(
                    MemoryDataSet(object.dataSet), sopClassUID: object.sopClassUID, sopInstanceUID: object.sopInstanceUID, contextID: 1)
                progress.update { $0.stored += status == .success ? 1 : 0; $0.storeFailed += status == .success ? 0 : 1 }
                await releasePhase.wait()
            }
        } catch {
            progress.update {
                if associated { $0.storeFailed += 1 } else { $0.associationFailed += 1 }
                $0.firstError = $0.firstError ?? "\(error)"
            }
        }
    }

    /// The data set bytes of a stored Part 10 file.
    static func storedDataSet(_ path: String) throws -> [UInt8] {
        let header = try Part10File(path: path)
        let all = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        return Array(all[header.dataSetOffset...])
    }

    /// Counts shared by the association tasks and the measuring thread.
    final class Progress: Sendable {
        struct Counts {
            var associated = 0, associationFailed = 0, stored = 0, storeFailed = 0
            var finished = false
            var firstError: String?
        }
        private let state = Mutex(Counts())
        var counts: Counts { state.withLock { $0 } }
        func update(_ body: (inout Counts) -> Void) { state.withLock { body(&$0) } }
        func finish() { update { $0.finished = true } }
        /// Associations that are up or have failed; with `afterStores`, those that have stored or failed.
        func settled(afterStores: Bool) -> Int {
            state.withLock { afterStores ? $0.stored + $0.storeFailed + $0.associationFailed : $0.associated + $0.associationFailed }
        }
    }

    /// A one-way gate the association tasks wait at until the measuring thread opens it.
    actor Phase {
        private var isOpen = false
        private var waiters: [CheckedContinuation<Void, Never>] = []
        func wait() async {
            guard !isOpen else { return }
            await withCheckedContinuation { waiters.append($0) }
        }
        func open() {
            isOpen = true
            for w in waiters { w.resume() }
            waiters = []
        }
    }
}

/// A storage SCP child (`--serve-dicom kind FOLDER`) with its own temporary folder, and the
/// NULL-SHA client configuration that reaches it.
struct SCPChild {
    let folder: String
    let server: ServerChild

    init(_ kind: String, tag: String) throws {
        folder = NSTemporaryDirectory() + "dicom-\(tag)-bench-\(getpid())-\(kind)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        do {
            server = try ServerChild(serving: ["--serve-dicom", kind, folder], label: "the \(kind) DICOM server")
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
    }

    func clientConfiguration() throws -> DicomClientConfiguration {
        let (ca, _, _) = try DicomTLSBenchEnvironment.identity()
        let tls = try TLSConfiguration.client(trustRoots: TrustStore([ca]), cipherSuites: [.rsaWithNullSHA], options: [])
        return try DicomClientConfiguration(
            host: "127.0.0.1", port: server.port, callingAETitle: "BENCHSCU", calledAETitle: "BENCH",
            security: .tls(tls, SecureTransportOptions(serverName: "localhost")))
    }

    /// Stops the server and removes the folder.
    func stop() {
        server.stop()
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// `TLSBenchmarks --serve-dicom blocking|async FOLDER`: a TLS (NULL-SHA) storage SCP into
/// FOLDER on a free port (printed as `PORT n`), up to 1,100 associations, serving until killed.
enum DicomServerChildMode {
    static func run(_ kind: String, folder: String) -> Never {
        ServerComparison.raiseDescriptorLimit()
        do {
            let (_, leaf, key) = try DicomTLSBenchEnvironment.identity()
            let tls = try TLSConfiguration.server(certificateChain: [leaf], privateKey: key, cipherSuites: [.rsaWithNullSHA])
            let limit = DicomServerComparison.associations + 100
            let admission = AdmissionLimits(maximumPending: limit, maximumPendingPerAddress: limit)
            switch kind {
            case "blocking":
                let server = try DicomServer(try DicomServerConfiguration(
                    port: 0, outputDirectory: folder, aeTitle: "BENCH", host: "127.0.0.1", maximumAssociations: limit,
                    admission: admission, security: .tls(tls)))
                server.start()
                ServerChildMode.announce(server.port)
            case "async":
                var logger = Logger(label: "TLSBenchmarks.dicom-server")
                logger.logLevel = .error
                var configuration = DicomAsyncServerConfiguration(
                    host: "127.0.0.1", port: 0, security: .tls(tls), maximumAssociations: limit, admission: admission, logger: logger)
                configuration.acceptance = { $0.answer(using: .storageSCP(aeTitle: "BENCH")) }
                configuration.services = DicomServices(store: try FolderStorageHandler(directory: folder))
                let server = DicomAsyncServer(configuration)
                Task { try await server.run() }
                guard let port = AsyncDicomComparison.wait({ try await server.port() }) else { exit(1) }
                ServerChildMode.announce(UInt16(port))
            default:
                FileHandle.standardError.write(Data("--serve-dicom blocking|async FOLDER\n".utf8))
                exit(2)
            }
            while true { Thread.sleep(forTimeInterval: 3600) }
        } catch {
            FileHandle.standardError.write(Data("DICOM server child: \(error)\n".utf8))
        }
        exit(1)
    }
}
