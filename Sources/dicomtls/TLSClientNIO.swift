import Foundation
import NIOCore
import NIOPosix
import Synchronization
import TLSHandshake
import TLSNIO
import TLSRecord

/// `tls-client` on the SwiftNIO adapter: the connection's plaintext goes to stdout from the
/// event loop; stdin is read on a thread of its own and written to the channel. At stdin's
/// end the channel closes (our `close_notify`, then the peer's); a peer's `close_notify`
/// ends the relay at once.
enum TLSClientNIO {
    /// One connected client channel and what its pipeline saw.
    struct Connection {
        let channel: any Channel
        let result: TLSHandshakeResult
        let state: Outcome
    }

    /// The first error the pipeline reported and the handshake's future, shared with the
    /// thread that waits.
    final class Outcome: Sendable {
        let error = Mutex<(any Error)?>(nil)
        let handshake = Mutex<EventLoopFuture<TLSHandshakeResult>?>(nil)
    }

    /// Connects and completes the handshake, printing the handshake line.
    static func connect(
        host: String, port: UInt16, configuration: TLSConfiguration, serverName: String, resuming: TLSSession?,
        handshakeTimeout: TimeAmount
    ) throws -> Connection {
        let outcome = Outcome()
        let channel = try ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(handshakeTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let tls = try TLSChannelHandler(
                        client: configuration, serverName: serverName, resuming: resuming, handshakeTimeout: handshakeTimeout)
                    try channel.pipeline.syncOperations.addHandlers([tls, StdoutHandler(outcome)])
                    // Taken here, not looked up after connect: a handshake that fails at once
                    // (an alert in the server's first flight) may have removed the handler by then.
                    outcome.handshake.withLock { $0 = tls.handshakeFuture }
                }
            }
            .connect(host: host, port: Int(port)).wait()
        guard let future = outcome.handshake.withLock({ $0 }) else { throw ChannelError.ioOnClosedChannel }
        let handshake = try future.wait()
        CommandLineTool.log(HandshakeReport.line(handshake.sessionInfo, peer: peer(channel, host, port)))
        return Connection(channel: channel, result: handshake, state: outcome)
    }

    /// Copies stdin to the connection until stdin ends or the peer closes; throws the
    /// pipeline's error (a truncation, an alert) if there was one.
    static func relay(_ connection: Connection) throws {
        let channel = connection.channel
        Thread {
            while channel.isActive {
                let data = FileHandle.standardInput.availableData
                if data.isEmpty {
                    channel.close(promise: nil)  // close_notify; the handler waits for the peer's
                    return
                }
                do {
                    try channel.writeAndFlush(ByteBuffer(bytes: data)).wait()
                } catch {
                    return
                }
            }
        }.start()
        try? channel.closeFuture.wait()
        if let error = connection.state.error.withLock({ $0 }) { throw error }
    }

    /// Closes with `close_notify` both ways; throws the pipeline's error if there was one.
    static func close(_ connection: Connection) throws {
        try? connection.channel.close().wait()
        if let error = connection.state.error.withLock({ $0 }) { throw error }
    }

    static func peer(_ channel: any Channel, _ host: String, _ port: UInt16) -> String {
        guard let ip = channel.remoteAddress?.ipAddress else { return "\(host):\(port)" }
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }

    /// Writes plaintext to stdout and keeps the first error.
    final class StdoutHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let outcome: Outcome

        init(_ outcome: Outcome) { self.outcome = outcome }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            FileHandle.standardOutput.write(Data(unwrapInboundIn(data).readableBytesView))
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            outcome.error.withLock { if $0 == nil { $0 = error } }
        }
    }
}
