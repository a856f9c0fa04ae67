import Foundation
import NIOCore
import NIOPosix
import Synchronization
import TLSHandshake
import TLSNIO
import TLSRecord

/// `tls-server` on the SwiftNIO adapter: one event loop per core, each with its own listening
/// socket on the port (`SO_REUSEPORT`), serves every connection; RSA premaster decryptions run
/// on a thread pool; accepting pauses for a second when descriptors run out
/// (`AcceptPauseHandler`, one `accept failed` line a second at most); connections over
/// `--max-connections` (or over `--max-handshakes-per-address` still in the handshake) are
/// closed at once, a connection silent for `--idle-timeout` is closed, and SIGINT/SIGTERM
/// stop it gracefully. Lines on stderr are those of the blocking server.
enum TLSServerNIO {
    struct Settings: Sendable {
        var host: String
        var port: UInt16
        var configuration: TLSConfiguration
        var http: Bool
        var handshakeTimeout: TimeAmount
        var idleTimeout: TimeAmount
        var maxConnections: Int
        var maxHandshakesPerAddress: Int
        var gracePeriod: TimeAmount
    }

    /// Binds, prints `listening on HOST:PORT`, and serves until SIGINT or SIGTERM has
    /// stopped it (stop accepting, a grace period for open connections, close the rest).
    static func run(_ settings: Settings) throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let pool = NIOThreadPool(numberOfThreads: System.coreCount)
        pool.start()
        let open = Counter()
        let pending = PendingPerAddress()
        let live = LiveChannels()
        let acceptLog = AcceptLogLimit()
        // One listening socket per event loop (SO_REUSEPORT), each accepting onto its own
        // loop: no hand-over between threads per connection; the kernel spreads them.
        var channels: [any Channel] = []
        do {
            var port = Int(settings.port)
            for loop in group.makeIterator() {
                let channel = try ServerBootstrap(group: loop, childGroup: loop)
                    .serverChannelOption(.backlog, value: 1024)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .serverChannelOption(.socketOption(NIOBSDSocket.Option(rawValue: SO_REUSEPORT)), value: 1)
                    .serverChannelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandlers([AcceptPauseHandler(), AcceptErrorLog(acceptLog)])
                        }
                    }
                    .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                    .childChannelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            // The cap counts open connections; one over it is closed before any TLS.
                            guard open.increment(limit: settings.maxConnections) else {
                                CommandLineTool.log("\(Self.peer(channel)): over --max-connections \(settings.maxConnections); closed")
                                channel.close(promise: nil)
                                return
                            }
                            live.insert(channel)
                            channel.closeFuture.whenComplete { _ in
                                open.decrement()
                                live.remove(channel)
                            }
                            let address = channel.remoteAddress?.ipAddress ?? "?"
                            guard pending.enter(address, limit: settings.maxHandshakesPerAddress) else {
                                CommandLineTool.log("\(Self.peer(channel)): over --max-handshakes-per-address \(settings.maxHandshakesPerAddress); closed")
                                channel.close(promise: nil)
                                return
                            }
                            let tls = try TLSChannelHandler(
                                server: settings.configuration, offload: .threadPool(pool),
                                handshakeTimeout: settings.handshakeTimeout)
                            try channel.pipeline.syncOperations.addHandlers([
                                tls, IdleStateHandler(allTimeout: settings.idleTimeout),
                                ConnectionHandler(http: settings.http, idleTimeout: settings.idleTimeout),
                            ])
                            // Leaves the pending count once, when the handshake completes or fails
                            // (the future exists once the handler is in the pipeline).
                            if let handshake = tls.handshakeFuture {
                                handshake.whenComplete { _ in pending.leave(address) }
                            } else {
                                pending.leave(address)
                            }
                        }
                    }
                    .bind(host: settings.host, port: port).wait()
                port = channel.localAddress?.port ?? port
                channels.append(channel)
            }
        } catch {
            for channel in channels { channel.close(promise: nil) }
            let reason = (error as? IOError).map { String(cString: strerror($0.errnoCode)) } ?? "\(error)"
            throw ListenError(description: "cannot listen on \(settings.host):\(settings.port): \(reason)")
        }
        let listeners = channels
        let address = listeners.first?.localAddress
        let host = address?.ipAddress ?? settings.host
        CommandLineTool.log("listening on \(host.contains(":") ? "[\(host)]" : host):\(address?.port ?? 0)")
        let grace = settings.gracePeriod
        let signals = ShutdownSignals { name in
            CommandLineTool.log("\(name): stopping (grace period \(Double(grace.nanoseconds) / 1e9) s)")
            for channel in listeners { try? channel.close().wait() }
            let deadline = NIODeadline.now() + grace
            while live.count > 0 && NIODeadline.now() < deadline { usleep(10_000) }
            let cut = live.closeAll()
            CommandLineTool.log("stopped; \(cut) connection(s) closed")
        }
        for channel in listeners { try? channel.closeFuture.wait() }
        signals.waitForStop()
    }

    /// The listening socket could not be set up (port in use, bad address).
    struct ListenError: Error, CustomStringConvertible {
        var description: String
    }

    static func peer(_ channel: any Channel) -> String {
        guard let address = channel.remoteAddress, let ip = address.ipAddress, let port = address.port else { return "peer" }
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }

    /// Open connections, shared by every event loop.
    final class Counter: Sendable {
        private let value = Atomic<Int>(0)

        /// Counts one more connection unless `limit` are open already.
        func increment(limit: Int) -> Bool {
            let now = value.add(1, ordering: .relaxed).newValue
            if now > limit {
                value.subtract(1, ordering: .relaxed)
                return false
            }
            return true
        }

        func decrement() { value.subtract(1, ordering: .relaxed) }
    }

    /// Connections still in the handshake, per remote address (a client address may hold at
    /// most `limit`; review F10).
    final class PendingPerAddress: Sendable {
        private let counts = Mutex<[String: Int]>([:])

        func enter(_ address: String, limit: Int) -> Bool {
            counts.withLock { counts in
                guard counts[address, default: 0] < limit else { return false }
                counts[address, default: 0] += 1
                return true
            }
        }

        func leave(_ address: String) {
            counts.withLock { counts in
                let left = counts[address, default: 1] - 1
                counts[address] = left > 0 ? left : nil
            }
        }
    }

    /// The open connections, to close those a graceful stop cuts short.
    final class LiveChannels: Sendable {
        private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

        var count: Int { channels.withLock { $0.count } }
        func insert(_ channel: any Channel) { channels.withLock { $0[ObjectIdentifier(channel)] = channel } }
        func remove(_ channel: any Channel) { _ = channels.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) } }

        /// Closes every open connection (with close_notify); returns how many there were.
        func closeAll() -> Int {
            let all = channels.withLock { Array($0.values) }
            let closing = all.map { $0.close() }  // in parallel, each bounded by its shutdown timeout
            for future in closing { try? future.wait() }
            return all.count
        }
    }

    /// One `accept failed` line a second at most while `AcceptPauseHandler` waits out a
    /// shortage of descriptors (review F10: no log flood, no busy loop).
    final class AcceptErrorLog: ChannelInboundHandler {
        typealias InboundIn = any Channel
        private let limit: AcceptLogLimit

        init(_ limit: AcceptLogLimit) { self.limit = limit }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            guard limit.mayLog() else { return }
            let reason = (error as? IOError).map { String(cString: strerror($0.errnoCode)) } ?? "\(error)"
            CommandLineTool.log("accept failed: \(reason); backing off")
        }
    }

    /// The last `accept failed` line, shared by the listening sockets of every loop.
    final class AcceptLogLimit: Sendable {
        private let lastLine = Mutex<NIODeadline?>(nil)

        /// Whether a line may be written now (one a second at most), noting it if so.
        func mayLog() -> Bool {
            let now = NIODeadline.now()
            return lastLine.withLock { last in
                guard last.map({ now - $0 >= .seconds(1) }) ?? true else { return false }
                last = now
                return true
            }
        }
    }

    /// Echoes (or answers one HTTP request) and logs like the blocking server.
    final class ConnectionHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        let http: Bool
        let idleTimeout: TimeAmount
        var established = false
        var failed = false
        var request: [UInt8] = []

        init(http: Bool, idleTimeout: TimeAmount) {
            self.http = http
            self.idleTimeout = idleTimeout
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            switch event {
            case TLSChannelEvent.handshakeCompleted(let info), TLSChannelEvent.renegotiated(let info):
                established = true
                CommandLineTool.log(HandshakeReport.line(info, peer: TLSServerNIO.peer(context.channel)))
            case is IdleStateHandler.IdleStateEvent:
                failed = true
                // close_notify goes out, but a silent peer is not waited for.
                (try? context.pipeline.syncOperations.handler(type: TLSChannelHandler.self))?.shutdownTimeout = .zero
                CommandLineTool.log("\(TLSServerNIO.peer(context.channel)): idle for \(idleTimeout.nanoseconds / 1_000_000_000) seconds (or too slow); connection closed")
                context.close(promise: nil)
            default:
                context.fireUserInboundEventTriggered(event)
            }
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            guard http else {
                context.write(wrapOutboundOut(buffer), promise: nil)
                return
            }
            guard request.count <= 65536 else { return }
            request += buffer.readableBytesView
            if request.ends(with: Array("\r\n\r\n".utf8)) || request.ends(with: Array("\n\n".utf8)) || request.count > 65536 {
                request = Array(repeating: 0, count: 65537)  // answered: ignore the rest
                answer(context)
            }
        }

        func channelReadComplete(context: ChannelHandlerContext) {
            context.flush()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            guard !failed else { return }
            failed = true
            let text = (error as? TLSChannelError)?.description ?? CommandLineTool.explain(error)
            CommandLineTool.log("\(TLSServerNIO.peer(context.channel)): \(established ? "" : "handshake failed: ")\(text)")
        }

        func channelInactive(context: ChannelHandlerContext) {
            if established && !failed {
                CommandLineTool.log("\(TLSServerNIO.peer(context.channel)): closed cleanly (close_notify both ways)")
            }
        }

        /// The page `gnutls-serv --http` would give, then `close_notify`.
        private func answer(_ context: ChannelHandlerContext) {
            let info = (try? context.pipeline.syncOperations.handler(type: TLSChannelHandler.self))?.sessionInfo
            let suite = info?.cipherSuite.name ?? "?"
            let body = """
                <html><head><title>dicomtls</title></head><body>
                <h1>dicomtls tls-server</h1>
                <p>Protocol: TLS 1.0<br>Cipher suite: \(suite)<br>Resumed: \(info?.isResumed == true ? "yes" : "no")</p>
                </body></html>

                """
            let head = "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: head + body)), promise: nil)
            context.close(promise: nil)
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
