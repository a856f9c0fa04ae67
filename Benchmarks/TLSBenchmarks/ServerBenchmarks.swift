import CryptoPrimitives
import Foundation
import NIOCore
import NIOPosix
import Synchronization
import TLSHandshake
import TLSNIO
import TLSSockets
import X509

#if canImport(Glibc)
import Glibc
#endif

/// The blocking, the NIO and a GnuTLS server side by side (issue 14), each in a child
/// process (ours: this executable with `--serve blocking|nio`; GnuTLS: `gnutls-serv --echo`,
/// when installed) with the clients here: full and resumed handshakes per second and the
/// server's CPU per handshake (from `/proc/PID/stat`), then, for ours, memory per idle
/// connection (RSS growth / connections) and the thread count at 1,000 and 10,000 idle
/// connections, and how long the last connection's handshake takes while all the others
/// stay open (`gnutls-serv`'s `select()` loop cannot hold that many). `ulimit -n` is raised
/// here, not in the tests.
enum ServerComparison {
    /// The servers compared; `nioPlain` is SwiftNIO with no TLS at all (see ``NIOFloor``).
    enum Kind: String, CaseIterable { case blocking, nio, gnutls, nioPlain = "nio-plain" }

    /// Runs the comparison and prints its table; `quick` keeps it small and bounded (CI);
    /// `idle` false leaves out the idle connections (handshake figures only).
    static func run(quick: Bool, idle: Bool = true) {
        raiseDescriptorLimit()
        let idleSteps = quick ? [100] : [1000, 10000]
        let fullCount = quick ? 10 : 300
        let resumedCount = quick ? 50 : 3000
        print("\nServers side by side (clients in this process, server in a child process)")
        if let rsa = rsaDecryptMicroseconds() {
            print("  RSA-2048 premaster decryption here: \(format(rsa, 0)) µs CPU (full-handshake target: ≤ \(format(rsa + 150, 0)) µs)")
        }
        // GnuTLS only in the full run: --quick stays bounded and needs no peer binary.
        for kind in Kind.allCases where kind != .nioPlain && (kind != .gnutls || !quick) {
            do {
                guard let server = try ServerChild(kind) else {
                    print("  \(kind.rawValue): not measured (gnutls-serv is not installed)")
                    continue
                }
                defer { server.stop() }
                let (_, client) = try BenchmarkIdentity.configurations(suite: .rsaWith3DESEDECBCSHA)
                let full = try handshakes(server, client, count: fullCount, resume: false)
                let resumed = try handshakes(server, client, count: resumedCount, resume: true)
                print("  \(kind.rawValue): full \(format(full.perSecond, 0))/s, server CPU \(format(full.cpuMicroseconds, 0)) µs each; "
                    + "resumed \(format(resumed.perSecond, 0))/s, server CPU \(format(resumed.cpuMicroseconds, 0)) µs each")
                if !quick { try bulkEcho(server, kind: kind) }
                if idle && kind != .gnutls { try idleConnections(server, client, steps: idleSteps, kind: kind) }
            } catch {
                print("  \(kind.rawValue): failed: \(error)")
            }
            if kind == .nio { NIOFloor.report(count: resumedCount) }
        }
    }

    struct Rate {
        var perSecond: Double
        var cpuMicroseconds: Double
    }

    /// `count` sequential handshakes (each closed with close_notify), resumed or full.
    static func handshakes(_ server: ServerChild, _ client: TLSConfiguration, count: Int, resume: Bool) throws -> Rate {
        var session: TLSSession?
        if resume {
            let first = try BlockingTLSStream.connect(host: "127.0.0.1", port: server.port, configuration: client, serverName: "localhost")
            session = first.session
            try first.close()
        }
        let cpu0 = server.cpuSeconds(), t0 = now()
        for _ in 0..<count {
            let stream = try BlockingTLSStream.connect(
                host: "127.0.0.1", port: server.port, configuration: client, serverName: "localhost", resuming: session)
            try stream.close()
        }
        let wall = now() - t0, cpu = server.cpuSeconds() - cpu0
        return Rate(perSecond: Double(count) / wall, cpuMicroseconds: cpu / Double(count) * 1e6)
    }

    /// Bulk data echoed by the server, 16 KB records: the server opens and seals each one,
    /// the work of the in-memory record round trip. Its CPU per record (from /proc, so the
    /// client in this process does not count) against that round trip's thread CPU time.
    static func bulkEcho(_ server: ServerChild, kind: Kind) throws {
        var figures: [String] = []
        for (suite, record, label, records) in [
            // Enough records for ~50 or more 10 ms ticks of server CPU each (/proc's resolution).
            (CipherSuite.rsaWithNullSHA, RecordSuite.nullSHA, "NULL-SHA", 8192), (.rsaWith3DESEDECBCSHA, .tripleDES, "3DES", 384),
        ] {
            let (_, client) = try BenchmarkIdentity.configurations(suite: suite)
            let size = 16384
            let trip = RecordRoundTrip(record, size)
            let inMemory = threadCPUSeconds { trip.run(records / 4) } / Double(records / 4)
            let stream = try BlockingTLSStream.connect(
                host: "127.0.0.1", port: server.port, configuration: client, serverName: "localhost", timeout: .seconds(10))
            stream.ioTimeout = .seconds(10)
            // Lines (gnutls-serv echoes line by line): 16,383 bytes and a newline.
            let chunk = [UInt8](repeating: 0x5A, count: size - 1) + [0x0A]
            let cpu0 = server.cpuSeconds()
            for _ in 0..<records {
                try stream.write(chunk)
                var echoed = 0
                while echoed < size {
                    let data = try stream.read(maxCount: size)
                    guard !data.isEmpty else { throw ServerChild.Failure(description: "the echo stopped") }
                    echoed += data.count
                }
            }
            let perRecord = (server.cpuSeconds() - cpu0) / Double(records)
            try? stream.close()
            figures.append("\(label) \(format(perRecord * 1e6, 0)) µs CPU per 16 KB record (in memory \(format(inMemory * 1e6, 0)) µs: ratio \(format(inMemory / perRecord, 3)))")
        }
        print("    \(kind.rawValue) bulk echo, server side: " + figures.joined(separator: "; "))
    }

    /// This thread's CPU time running `body`, in seconds.
    static func threadCPUSeconds(_ body: () -> Void) -> Double {
        var t0 = timespec(), t1 = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0)
        body()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1)
        return Double(t1.tv_sec - t0.tv_sec) + Double(t1.tv_nsec - t0.tv_nsec) / 1e9
    }

    /// Opens resumed connections up to each step and leaves them idle; reports the server's
    /// RSS growth per connection and its thread count, and times the last handshake.
    static func idleConnections(_ server: ServerChild, _ client: TLSConfiguration, steps: [Int], kind: Kind) throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        defer { try? group.syncShutdownGracefully() }
        let first = try BlockingTLSStream.connect(host: "127.0.0.1", port: server.port, configuration: client, serverName: "localhost")
        let session = first.session
        try first.close()
        Thread.sleep(forTimeInterval: 0.5)
        let baseline = server.residentBytes()
        var open: [any Channel] = []
        for step in steps {
            let deadline = now() + 300
            while open.count < step - 1 && now() < deadline {
                let batch = min(100, step - 1 - open.count)
                let futures = try (0..<batch).map { _ in try connect(group, server.port, client, session) }
                for (channel, handshake) in futures {
                    _ = try handshake.wait()
                    open.append(channel)
                }
            }
            // The last one, timed, with the others open.
            let t0 = now()
            let (last, handshake) = try connect(group, server.port, client, session)
            _ = try handshake.wait()
            let lastMilliseconds = (now() - t0) * 1000
            open.append(last)
            let stillOpen = open.filter(\.isActive).count
            Thread.sleep(forTimeInterval: 1.0)  // let the server settle (buffers given back when idle)
            let grown = Double(server.residentBytes() - baseline)
            print("    \(kind.rawValue) \(step) idle connections: \(format(grown / Double(step) / 1024, 1)) KiB RSS each, "
                + "\(server.threadCount()) threads; connection \(step) handshook in \(format(lastMilliseconds, 1)) ms "
                + "with \(stillOpen - 1) others open")
        }
        for channel in open { channel.close(promise: nil) }
        Thread.sleep(forTimeInterval: 1.0)
    }

    static func connect(
        _ group: any EventLoopGroup, _ port: UInt16, _ configuration: TLSConfiguration, _ session: TLSSession?
    ) throws -> (any Channel, EventLoopFuture<TLSHandshakeResult>) {
        let channel = try ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        try TLSChannelHandler(client: configuration, serverName: "localhost", resuming: session))
                }
            }
            .connect(host: "127.0.0.1", port: Int(port)).wait()
        let handshake = try channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: TLSChannelHandler.self).handshakeFuture
        }.wait()
        guard let handshake else { throw ServerChild.Failure(description: "no handshake future") }
        return (channel, handshake)
    }

    static func rsaDecryptMicroseconds() -> Double? {
        guard let (_, _, key) = try? BenchmarkIdentity.identity.get(),
            let ciphertext = try? key.publicKey.encryptPKCS1v15([UInt8](repeating: 3, count: 48), random: SystemRandom())
        else { return nil }
        // This thread's CPU time, comparable with the server's CPU per handshake.
        let seconds = threadCPUSeconds {
            for _ in 0..<30 { _ = key.decryptPremaster(ciphertext, clientVersion: 0x0301, random: SystemRandom()) }
        }
        return seconds / 30 * 1e6
    }

    static func raiseDescriptorLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}

/// A server in a child process (this executable, or `gnutls-serv`), with its CPU and
/// memory read from /proc.
final class ServerChild {
    struct Failure: Error, CustomStringConvertible { var description: String }

    let process = Process()
    let port: UInt16
    private var files: String?

    /// Starts the server; nil for GnuTLS when `gnutls-serv` is not installed.
    init?(_ kind: ServerComparison.Kind) throws {
        guard kind == .gnutls else {
            port = try Self.startChild(["--serve", kind.rawValue], label: "the \(kind) server", process)
            return
        }
        let binary = "/usr/bin/gnutls-serv"
        guard FileManager.default.isExecutableFile(atPath: binary) else { return nil }
        let (folder, certificate, key) = try Self.writeIdentity()
        files = folder
        // A free port: bind to 0, note it, let it go.
        let probe = try TCPListener(host: "127.0.0.1", port: 0)
        port = probe.port
        probe.close()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "--echo", "--quiet", "--disable-client-cert", "--port", "\(port)", "--x509certfile", certificate,
            "--x509keyfile", key, "--priority", "NONE:+VERS-TLS1.0:+RSA:+3DES-CBC:+NULL:+SHA1:+COMP-NULL:+SIGN-ALL",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = now() + 10
        while (try? TCPSocket.connect(host: "127.0.0.1", port: port, timeout: .seconds(1)))?.close() == nil {
            guard process.isRunning, now() < deadline else { throw Failure(description: "gnutls-serv did not listen on \(port)") }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// This executable with `arguments` (a `--serve…` mode), serving until stopped.
    init(serving arguments: [String], label: String) throws {
        port = try Self.startChild(arguments, label: label, process)
    }

    /// Starts this executable with `arguments`; the port from the `PORT n` line it prints.
    private static func startChild(_ arguments: [String], label: String, _ process: Process) throws -> UInt16 {
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = arguments
        process.standardOutput = output
        try process.run()
        var line: [UInt8] = []
        while !line.contains(0x0A) {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { throw Failure(description: "\(label) exited before listening") }
            line += data
        }
        guard let text = String(bytes: line, encoding: .utf8), let port = UInt16(text.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") else {
            throw Failure(description: "\(label) printed no port")
        }
        return port
    }

    /// The benchmark's server certificate and key as PEM files for `gnutls-serv`.
    private static func writeIdentity() throws -> (folder: String, certificate: String, key: String) {
        let (_, leaf, key) = try BenchmarkIdentity.identity.get()
        let folder = NSTemporaryDirectory() + "tlsbench-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let certificatePath = folder + "/cert.pem", keyPath = folder + "/key.pem"
        try leaf.pemEncoded.write(toFile: certificatePath, atomically: true, encoding: .utf8)
        try PEMDocument(label: "RSA PRIVATE KEY", derBytes: key.pkcs1DER).pemEncoded
            .write(toFile: keyPath, atomically: true, encoding: .utf8)
        return (folder, certificatePath, keyPath)
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
        if let files { try? FileManager.default.removeItem(atPath: files) }
    }

    /// utime + stime of every thread, living or gone, in seconds.
    func cpuSeconds() -> Double {
        ThreadCPU.read("/proc/\(process.processIdentifier)/stat")?.seconds ?? 0
    }

    func residentBytes() -> Int { status("VmRSS:") * 1024 }
    func threadCount() -> Int { status("Threads:") }
    /// Open file descriptors (entries of /proc/PID/fd).
    func descriptorCount() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(process.processIdentifier)/fd").count) ?? 0
    }

    private func status(_ key: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8) else { return 0 }
        let line = text.split(separator: "\n").first { $0.hasPrefix(key) } ?? ""
        return Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") ?? 0
    }
}

/// `TLSBenchmarks --serve blocking|nio`: an echo server on a free port (printed as
/// `PORT n`), serving until killed.
enum ServerChildMode {
    static func run(_ kind: ServerComparison.Kind) -> Never {
        ServerComparison.raiseDescriptorLimit()
        do {
            var configuration = try BenchmarkIdentity.configurations(suite: .rsaWith3DESEDECBCSHA).server
            configuration.cipherSuites = [.rsaWith3DESEDECBCSHA, .rsaWithNullSHA]  // the client picks by offering one
            try configuration.prepare()
            let server = configuration
            switch kind {
            case .blocking:
                let listener = try TCPListener(host: "127.0.0.1", port: 0)
                announce(listener.port)
                while true {
                    guard let socket = try? listener.accept() else { continue }
                    Thread {
                        guard let stream = try? BlockingTLSStream(server: socket, configuration: server) else { return }
                        while let data = try? stream.read(), !data.isEmpty { try? stream.write(data) }
                        try? stream.close()
                    }.start()
                }
            case .gnutls:
                exit(2)  // not ours: ServerChild starts gnutls-serv itself
            case .nioPlain:
                try NIOFloor.serve()
            case .nio:
                try serveOnEachLoop { [try TLSChannelHandler(server: server), EchoHandler()] }
            }
        } catch {
            FileHandle.standardError.write(Data("server child: \(error)\n".utf8))
        }
        exit(1)
    }

    /// Serves on every event loop of the NIO singleton group with a fresh set of `handlers` per
    /// connection: one listening socket per loop (SO_REUSEPORT), each accepting onto its own
    /// loop, so no connection is handed between threads. Prints the port, returns when closed.
    static func serveOnEachLoop(_ handlers: @escaping @Sendable () throws -> [any ChannelHandler]) throws {
        var port = 0
        var channels: [any Channel] = []
        for loop in MultiThreadedEventLoopGroup.singleton.makeIterator() {
            let channel = try ServerBootstrap(group: loop, childGroup: loop)
                .serverChannelOption(.backlog, value: 1024)
                .serverChannelOption(.socketOption(NIOBSDSocket.Option(rawValue: SO_REUSEPORT)), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandlers(try handlers()) }
                }
                .bind(host: "127.0.0.1", port: port).wait()
            port = channel.localAddress?.port ?? 0
            channels.append(channel)
        }
        announce(UInt16(port))
        for channel in channels { try channel.closeFuture.wait() }
    }

    static func announce(_ port: UInt16) {
        FileHandle.standardOutput.write(Data("PORT \(port)\n".utf8))
    }

    final class EchoHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            context.write(data, promise: nil)
        }

        func channelReadComplete(context: ChannelHandlerContext) { context.flush() }
    }
}
