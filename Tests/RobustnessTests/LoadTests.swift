@testable import DicomUL
import Foundation
import Testing
@testable import TLSHandshake
@testable import TLSSockets
import TestSupport

/// Load and soak (issue 8 §4). The normal suite runs small sizes; `Scripts/soak.sh` sets
/// SOAK_ASSOCIATIONS=200 and SOAK_HANDSHAKES=10000. Every stored byte and every echoed
/// byte is checked; descriptors, threads and resident memory are measured before and after
/// and must return within a stated bound. Lines starting with "LOAD:" carry the figures.
@Suite(.serialized, .timeLimit(.minutes(30))) struct LoadTests {
    static func folder(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "dicomtls-load-\(getpid())-\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func report(_ line: String) {
        print("LOAD: \(line)")
    }

    /// A TLS store SCP in this process (DicomServer with `DicomSecurity.tls`).
    static func startServer(output: String, artim: Double, maximumAssociations: Int) throws -> DicomServer {
        let pki = try LoadPKI.shared.get()
        let server = try DicomServer(try DicomServerConfiguration(
            port: 0, outputDirectory: output, aeTitle: "STORESCP", host: "127.0.0.1",
            timeouts: DicomTimeouts(connect: 10, artim: artim, reply: 60, idle: 60),
            maximumAssociations: maximumAssociations,
            security: .tls(try pki.serverConfig())))
        server.start()
        return server
    }

    static func client(port: UInt16) throws -> DicomClient {
        let pki = try LoadPKI.shared.get()
        return DicomClient(try DicomClientConfiguration(
            host: "127.0.0.1", port: port, callingAETitle: "LOADSCU", calledAETitle: "STORESCP",
            timeouts: DicomTimeouts(connect: 60, artim: 30, reply: 120, idle: 120),
            security: .tls(try pki.clientConfig(), SecureTransportOptions(serverName: "localhost"))))
    }

    /// Runs `body(i)` on `count` threads at once; returns the failures (bounded wait).
    static func concurrently(_ count: Int, timeout: Double, _ body: @escaping @Sendable (Int) throws -> Void) -> [String] {
        let failures = Failures()
        let group = DispatchGroup()
        for i in 0..<count {
            group.enter()
            let t = Thread {
                do { try body(i) } catch { failures.add("\(i): \(error)") }
                group.leave()
            }
            t.stackSize = 1 << 20
            t.start()
        }
        if group.wait(timeout: .now() + timeout) == .timedOut { failures.add("timed out after \(timeout) s") }
        return failures.all
    }

    @Test func concurrentTLSAssociationsStoreEveryByte() throws {
        let n = LoadSize.associations, k = LoadSize.objectsPerAssociation
        let out = try Self.folder("scp"), src = try Self.folder("src")
        var files: [[(path: String, object: DicomObjectGenerator.Object)]] = []
        for i in 0..<n {
            files.append(try (0..<k).map { j in
                let o = DicomObjectGenerator.secondaryCapture(rows: 128, columns: 128, seed: UInt8(truncatingIfNeeded: i * k + j))
                let path = src + "/a\(i)-\(j).dcm"
                try Data(o.part10).write(to: URL(fileURLWithPath: path))
                return (path, o)
            })
        }
        let server = try Self.startServer(output: out, artim: 10, maximumAssociations: n + 16)
        defer { server.stop() }
        // Warm-up: one association, so lazily built state exists before the baseline.
        let warm = try Self.client(port: server.port).store(files: [files[0][0].path])
        #expect(warm.failures.isEmpty)
        #expect(waitUntil(10) { server.statistics.active == 0 })
        let before = ProcessResources.measure()
        let start = Date()
        let paths = files.map { $0.map(\.path) }
        let port = server.port
        let failures = Self.concurrently(n, timeout: 1200) { i in
            let summary = try Self.client(port: port).store(files: paths[i])
            guard summary.failures.isEmpty, summary.statuses.count == paths[i].count, summary.statuses.allSatisfy(\.isSuccess) else {
                throw LoadFailure("association \(i): \(summary.failures.map { "\($0.path): \($0.error)" })")
            }
        }
        let seconds = Date().timeIntervalSince(start)
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        #expect(waitUntil(30) { server.statistics.active == 0 })
        // Every byte: each stored data set equals the one sent.
        var stored: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: out) {
            if let h = try? Part10File(path: out + "/" + name) { stored[h.sopInstanceUID] = out + "/" + name }
        }
        var checked = 0
        for f in files.joined() {
            guard let path = stored[f.object.sopInstanceUID] else { Issue.record("not stored: \(f.path)"); continue }
            let h = try Part10File(path: path)
            let all = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(Array(all[h.dataSetOffset...]) == f.object.dataSet)
            checked += 1
        }
        #expect(checked == n * k)
        #expect(server.statistics.stored == n * k + 1)
        // Threads of finished associations exit; give them a moment.
        _ = waitUntil(10) { ProcessResources.measure().threads <= before.threads + 2 }
        let after = ProcessResources.measure()
        Self.report(
            "\(n) concurrent TLS associations × \(k) objects (\(checked) data sets checked) in \(String(format: "%.1f", seconds)) s; "
                + "before \(before); after \(after)")
        // Bounds: descriptors and threads back to the baseline (±2 for the test runner's own
        // activity); resident memory within 64 MiB + 256 KiB per association (malloc arenas
        // of the many threads keep some freed memory).
        #expect(after.fileDescriptors <= before.fileDescriptors + 2, "descriptors: \(before) → \(after)")
        #expect(after.threads <= before.threads + 2, "threads: \(before) → \(after)")
        #expect(after.residentKiB <= before.residentKiB + 65536 + 256 * n, "memory: \(before) → \(after)")
    }

    @Test func stalledPeersNeverBlockOthersAndAreDroppedByTheTimer() throws {
        let out = try Self.folder("stall")
        let artim = 1.5
        let server = try Self.startServer(output: out, artim: artim, maximumAssociations: 32)
        defer { server.stop() }
        let pki = try LoadPKI.shared.get()
        // (a) connects and sends nothing.
        let silent = try TCPSocket.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(5))
        // (b) stops mid-handshake: half a ClientHello.
        let midHandshake = try TCPSocket.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(5))
        var engine = try TLSConnection(client: try pki.clientConfig())
        let hello = engine.takeOutput()
        try midHandshake.write(Array(hello.prefix(hello.count / 2)))
        // (c) completes TLS, then stops mid-PDU: half an A-ASSOCIATE-RQ.
        let midPDU = try BlockingTLSStream.connect(
            host: "127.0.0.1", port: server.port, configuration: try pki.clientConfig(), serverName: "localhost",
            timeout: .seconds(10))
        let rq = PDU.associateRQ(AssociateRQ(
            calledAETitle: "STORESCP", callingAETitle: "STALL",
            presentationContexts: [PresentationContextProposal(id: 1, abstractSyntax: "1.2.840.10008.1.1", transferSyntaxes: ["1.2.840.10008.1.2"])],
            userInformation: UserInformation(maximumLength: 16384, implementationClassUID: "2.25.1"))).encode()
        try midPDU.write(Array(rq.prefix(rq.count / 2)))
        let held = Date()

        // Others are served while the three are held.
        let port = server.port
        let failures = Self.concurrently(5, timeout: 30) { _ in
            let status = try Self.client(port: port).echo()
            guard status.isSuccess else { throw LoadFailure("C-ECHO status \(status)") }
        }
        let othersDone = Date().timeIntervalSince(held)
        #expect(failures.isEmpty, "\(failures)")
        #expect(othersDone < artim, "the others waited \(othersDone) s: blocked behind a stalled peer")

        // Each stalled peer is dropped by the ARTIM/handshake timer.
        func dropped(_ socket: TCPSocket) -> Double? {
            var buffer = [UInt8](repeating: 0, count: 4096)
            let deadline = ContinuousClock.now + .seconds(artim + 5)
            while ContinuousClock.now < deadline {
                do {
                    if try socket.read(into: &buffer, deadline: deadline) == 0 { return Date().timeIntervalSince(held) }
                } catch {
                    return Date().timeIntervalSince(held)
                }
            }
            return nil
        }
        let a = dropped(silent), b = dropped(midHandshake)
        var c: Double?
        midPDU.ioTimeout = .seconds(artim + 5)
        do {
            _ = try midPDU.read()
            c = Date().timeIntervalSince(held)
        } catch {
            if case .timedOut = error { c = nil } else { c = Date().timeIntervalSince(held) }
        }
        Self.report(String(
            format: "stalled peers dropped after %.2f s (silent), %.2f s (mid-handshake), %.2f s (mid-PDU); ARTIM %.1f s; 5 others served in %.2f s",
            a ?? -1, b ?? -1, c ?? -1, artim, othersDone))
        for (name, t) in [("silent", a), ("mid-handshake", b), ("mid-PDU", c)] {
            #expect(t != nil, "\(name) peer was never dropped")
            if let t { #expect(t >= artim * 0.9 && t < artim + 3, "\(name) dropped after \(t) s") }
        }
        #expect(waitUntil(10) { server.statistics.active == 0 })
    }

    @Test func sequentialHandshakesFullAndResumedToTLSServer() throws {
        let pki = try LoadPKI.shared.get()
        let n = LoadSize.handshakes
        let env = ProcessInfo.processInfo.environment
        // Scripts/soak.sh may start the server itself (under valgrind) and pass its port, pid
        // and CA file; otherwise the test starts `dicomtls tls-server` with the test PKI.
        var serverProcess: PeerProcess?
        defer { serverProcess?.stop() }
        let port: UInt16
        let serverPID: Int32
        var config = try pki.clientConfig()
        if let p = env["SOAK_SERVER_PORT"].flatMap(UInt16.init), let pid = env["SOAK_SERVER_PID"].flatMap(Int32.init),
            let ca = env["SOAK_SERVER_CA"]
        {
            port = p
            serverPID = pid
            config = try TLSConfiguration.client(trustRoots: TLSConfiguration.trustRoots(pemFile: ca), verification: .peer)
        } else {
            let server = try PeerProcess(
                try Self.binary(), ["tls-server", "--port", "0", "--cert", pki.certificatePath, "--key", pki.keyPath],
                name: "dicomtls tls-server")
            serverProcess = server
            #expect(try server.waitForOutput("listening on 127.0.0.1:", timeout: .seconds(20)))
            let line = server.text.split(separator: "\n").first { $0.contains("listening on 127.0.0.1:") } ?? ""
            port = try #require(UInt16(line.split(separator: ":").last ?? ""))
            serverPID = server.pid
        }
        let rssBoundKiB = 1024 * (env["SOAK_SERVER_RSS_BOUND_MIB"].flatMap(Int.init) ?? 16)
        var session: TLSSession?
        var resumed = 0, full = 0, bytes = 0
        var before = ProcessResources.measure(serverPID)
        let start = Date()
        for i in 0..<(n + 20) {
            if i == 20 {
                // Baseline after a warm-up of 20 handshakes.
                _ = waitUntil(5) { ProcessResources.measure(serverPID).threads <= 2 }
                before = ProcessResources.measure(serverPID)
            }
            let resume = i % 2 == 1
            let stream = try BlockingTLSStream.connect(
                host: "127.0.0.1", port: port, configuration: config, serverName: "localhost",
                resuming: resume ? session : nil, timeout: .seconds(30))
            #expect(stream.sessionInfo.isResumed == resume, "handshake \(i)")
            if stream.sessionInfo.isResumed { resumed += 1 } else { full += 1 }
            if !resume { session = stream.session }
            let payload = (0..<(64 + i % 512)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) }
            try stream.write(payload)
            var echoed: [UInt8] = []
            stream.ioTimeout = .seconds(10)
            while echoed.count < payload.count {
                let d = try stream.read()
                if d.isEmpty { break }
                echoed += d
            }
            #expect(echoed == payload, "echo \(i)")
            bytes += payload.count
            try stream.close()
        }
        let seconds = Date().timeIntervalSince(start)
        // The server closes each socket just after its close_notify reply (an event loop does it
        // a moment later than the client sees the reply): let the last one go.
        _ = waitUntil(10) {
            let now = ProcessResources.measure(serverPID)
            return now.threads <= before.threads && now.fileDescriptors <= before.fileDescriptors
        }
        let after = ProcessResources.measure(serverPID)
        Self.report(
            "\(n + 20) sequential handshakes to dicomtls tls-server (\(full) full, \(resumed) resumed, \(bytes) bytes echoed and checked) "
                + "in \(String(format: "%.1f", seconds)) s; server before \(before); after \(after)")
        #expect(full + resumed == n + 20 && resumed == (n + 20) / 2)
        // Bounds: the server's descriptors and threads return to the baseline; its resident
        // memory grows by at most 16 MiB (the session cache is bounded; more under valgrind).
        #expect(after.fileDescriptors <= before.fileDescriptors, "server descriptors: \(before) → \(after)")
        #expect(after.threads <= before.threads, "server threads: \(before) → \(after)")
        #expect(after.residentKiB <= before.residentKiB + rssBoundKiB, "server memory: \(before) → \(after)")
    }

    /// The `dicomtls` executable beside the test bundle, or `$DICOMTLS_BINARY`.
    static func binary() throws -> String {
        if let path = ProcessInfo.processInfo.environment["DICOMTLS_BINARY"] { return path }
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for directory in [bundle, bundle.deletingLastPathComponent()] {
            let candidate = directory.appendingPathComponent("dicomtls").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw LoadFailure("no dicomtls binary next to \(bundle.path): run `swift build` first")
    }
}

struct LoadFailure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// Thread-safe list of failure messages.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ s: String) { lock.lock(); list.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return list }
}
