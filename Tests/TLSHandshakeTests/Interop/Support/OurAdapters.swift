import Foundation
import NIOCore
import NIOPosix
import Synchronization
import TLSHandshake
import TLSNIO
import TLSSockets
import TestSupport
import Testing

/// Which of our I/O adapters an interop test drives the engine through: the blocking socket
/// stream (TLSSockets) or the SwiftNIO channel handler (TLSNIO). The peers, configurations
/// and exchanges are the same for both.
enum OurAdapter: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case blocking, nio

    var testDescription: String { rawValue }

    /// Connects to 127.0.0.1:`port` and completes a client handshake.
    func connect(
        port: UInt16, configuration: TLSConfiguration, serverName: String = "localhost", resuming: TLSSession? = nil
    ) throws -> any OurClientStream {
        switch self {
        case .blocking:
            let stream = try BlockingTLSStream.connect(
                host: "127.0.0.1", port: port, configuration: configuration, serverName: serverName,
                resuming: resuming, timeout: .seconds(20))
            stream.ioTimeout = .seconds(60)
            return stream
        case .nio:
            return try NIOClientStream(port: port, configuration: configuration, serverName: serverName, resuming: resuming)
        }
    }

    /// An in-process echo server on a free loopback port (see ``OurEchoServer``).
    func echoServer(configuration: TLSConfiguration, connections: Int = 1) throws -> any OurServer {
        switch self {
        case .blocking: try OurEchoServer(configuration: configuration, connections: connections)
        case .nio: try NIOEchoServer(configuration: configuration)
        }
    }
}

/// Our client side of an interop test, whichever adapter carries it.
protocol OurClientStream: AnyObject {
    var sessionInfo: SessionInfo { get }
    var session: TLSSession? { get }
    func write(_ bytes: [UInt8]) throws
    /// Up to `maxCount` bytes, at least one; empty after the peer's `close_notify`.
    func read(maxCount: Int) throws -> [UInt8]
    /// Renegotiates and waits for the new handshake.
    func renegotiateAndWait() throws
    /// Sends `close_notify`, waits for the peer's, closes TCP.
    func closeCleanly() throws
}

/// Our in-process echo server, whichever adapter carries it.
protocol OurServer: Sendable {
    var port: UInt16 { get }
    func connections(count: Int, timeout: Duration) -> [OurEchoServer.Connection]
    func stop()
}

extension OurServer {
    func connections(count: Int) -> [OurEchoServer.Connection] { connections(count: count, timeout: .seconds(60)) }
}

extension BlockingTLSStream: OurClientStream {
    func renegotiateAndWait() throws { try renegotiate() }
    func closeCleanly() throws { try close() }
}

extension OurEchoServer: OurServer {}

/// What a ``TLSChannelHandler`` passes up the pipeline, collected for synchronous tests.
final class PlaintextSink: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    struct State {
        var bytes: [UInt8] = []
        var handshakes: [SessionInfo] = []
        var error: (any Error)?
        var inactive = false
    }

    let state = Mutex(State())

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        state.withLock { $0.bytes += buffer.readableBytesView }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSChannelEvent {
            switch event {
            case .handshakeCompleted(let info), .renegotiated(let info): state.withLock { $0.handshakes.append(info) }
            case .warningAlert: break
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        state.withLock { if $0.error == nil { $0.error = error } }
    }

    func channelInactive(context: ChannelHandlerContext) {
        state.withLock { $0.inactive = true }
    }

    /// Polls `body` until it returns a value, or throws after `timeout`.
    func wait<T>(timeout: Duration, _ what: String, _ body: (inout State) throws -> T?) throws -> T {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let value = try state.withLock({ try body(&$0) }) { return value }
            guard ContinuousClock.now < deadline else { throw PeerProcess.Failure(description: "timed out waiting for \(what)") }
            Thread.sleep(forTimeInterval: 0.001)
        }
    }
}

/// A synchronous face on a NIO client channel (TLSChannelHandler + PlaintextSink), so the
/// interop tests written for the blocking stream run unchanged on the event-loop adapter.
final class NIOClientStream: OurClientStream {
    let channel: any Channel
    let sink = PlaintextSink()
    private(set) var session: TLSSession?
    private var firstHandshake: SessionInfo

    init(port: UInt16, configuration: TLSConfiguration, serverName: String, resuming: TLSSession?) throws {
        let sink = self.sink
        channel = try ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try TLSChannelHandler(client: configuration, serverName: serverName, resuming: resuming)
                    try channel.pipeline.syncOperations.addHandlers([handler, sink])
                }
            }
            .connect(host: "127.0.0.1", port: Int(port)).wait()
        let channel = self.channel
        let handshake = try channel.eventLoop.flatSubmit {
            let handler = try? channel.pipeline.syncOperations.handler(type: TLSChannelHandler.self)
            return handler?.handshakeFuture ?? channel.eventLoop.makeFailedFuture(ChannelError.ioOnClosedChannel)
        }.wait()
        session = handshake.session
        firstHandshake = handshake.sessionInfo
    }

    /// The latest handshake's summary (renegotiations included).
    var sessionInfo: SessionInfo { sink.state.withLock { $0.handshakes.last } ?? firstHandshake }

    func write(_ bytes: [UInt8]) throws {
        try channel.writeAndFlush(ByteBuffer(bytes: bytes)).wait()
    }

    func read(maxCount: Int) throws -> [UInt8] {
        try sink.wait(timeout: .seconds(60), "application data") { state in
            if !state.bytes.isEmpty {
                let chunk = Array(state.bytes.prefix(maxCount))
                state.bytes.removeFirst(chunk.count)
                return chunk
            }
            if let error = state.error { throw error }
            return state.inactive ? [] : nil
        }
    }

    func renegotiateAndWait() throws {
        let before = sink.state.withLock { $0.handshakes.count }
        try channel.eventLoop.submit { [channel] in
            try channel.pipeline.syncOperations.handler(type: TLSChannelHandler.self).renegotiate()
        }.wait()
        _ = try sink.wait(timeout: .seconds(30), "the renegotiation") { state in
            if let error = state.error { throw error }
            return state.handshakes.count > before ? true : nil
        }
    }

    func closeCleanly() throws {
        try channel.close().wait()
        if let error = sink.state.withLock({ $0.error }) { throw error }
    }
}

/// An echo server on the NIO adapter with the same record of each connection as
/// ``OurEchoServer``; connections are served concurrently on the event loops.
final class NIOEchoServer: OurServer {
    let channel: any Channel
    let port: UInt16
    private let records = Records()

    /// Connections in the order they were accepted (they may end in another order).
    final class Records: Sendable {
        private let state = Mutex<(accepted: Int, done: [(Int, OurEchoServer.Connection)])>((0, []))

        func nextIndex() -> Int { state.withLock { s in defer { s.accepted += 1 }; return s.accepted } }
        func finish(_ index: Int, _ record: OurEchoServer.Connection) { state.withLock { $0.done.append((index, record)) } }
        var list: [OurEchoServer.Connection] { state.withLock { $0.done.sorted { $0.0 < $1.0 }.map(\.1) } }
    }

    init(configuration: TLSConfiguration) throws {
        let records = self.records
        channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try TLSChannelHandler(server: configuration)
                    try channel.pipeline.syncOperations.addHandlers([handler, EchoHandler(records)])
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
        port = UInt16(channel.localAddress?.port ?? 0)
    }

    func connections(count: Int, timeout: Duration) -> [OurEchoServer.Connection] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let done = records.list
            if done.count >= count { return done }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return records.list
    }

    func stop() { channel.close(promise: nil) }

    /// Echoes plaintext and records the connection when it ends.
    private final class EchoHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let records: Records
        let index: Int
        var record = OurEchoServer.Connection()

        init(_ records: Records) {
            self.records = records
            index = records.nextIndex()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            record.received += buffer.readableBytesView
            context.write(wrapOutboundOut(buffer), promise: nil)
        }

        func channelReadComplete(context: ChannelHandlerContext) {
            context.flush()
            context.fireChannelReadComplete()
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case .handshakeCompleted(let info) = event as? TLSChannelEvent { record.info = info }
            context.fireUserInboundEventTriggered(event)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            guard record.error == nil else { return }
            record.error =
                switch error as? TLSChannelError {
                case .tls(let e): .tls(e)
                case .truncated(let text): .truncated(text)
                case .handshakeTimedOut(let text): .timedOut(text)
                default: .timedOut("unexpected: \(error)")
                }
        }

        func channelInactive(context: ChannelHandlerContext) {
            record.closedCleanly = record.error == nil && record.info != nil
            records.finish(index, record)
            context.fireChannelInactive()
        }
    }
}
