import NIOCore
import NIOEmbedded
import TLSNIO
import TLSRecord
@testable import TLSHandshake

/// A NIO client and a NIO server, each an `EmbeddedChannel` with a ``TLSChannelHandler``,
/// joined in memory: the test moves ciphertext between them by hand, whole or one byte at
/// a time, so every run is the same (NIO's `interactInMemory`).
final class EmbeddedPair {
    let client: EmbeddedChannel
    let server: EmbeddedChannel
    let clientReads = ReadCounter()
    let serverReads = ReadCounter()
    let clientSink = RecordingHandler()
    let serverSink = RecordingHandler()

    init(client clientConfig: TLSConfiguration, server serverConfig: TLSConfiguration, resuming: TLSSession? = nil) throws {
        client = EmbeddedChannel()
        server = EmbeddedChannel()
        try client.pipeline.syncOperations.addHandlers([
            clientReads, try TLSChannelHandler(client: clientConfig, serverName: "localhost", resuming: resuming), clientSink,
        ])
        try server.pipeline.syncOperations.addHandlers([
            serverReads, try TLSChannelHandler(server: serverConfig), serverSink,
        ])
        let address = try SocketAddress(ipAddress: "127.0.0.1", port: 2762)
        try server.connect(to: address).wait()
        try client.connect(to: address).wait()
    }

    var clientHandler: TLSChannelHandler { get throws { try client.pipeline.syncOperations.handler(type: TLSChannelHandler.self) } }
    var serverHandler: TLSChannelHandler { get throws { try server.pipeline.syncOperations.handler(type: TLSChannelHandler.self) } }

    /// Moves ciphertext both ways until neither side writes more (bounded), one byte per
    /// `channelRead` when `byteAtATime`. Returns the number of bytes moved.
    @discardableResult
    func interact(byteAtATime: Bool = false, limit: Int = 10_000) throws -> Int {
        var moved = 0
        for _ in 0..<limit {
            let a = try move(from: client, to: server, byteAtATime)
            let b = try move(from: server, to: client, byteAtATime)
            moved += a + b
            if a + b == 0 { return moved }
        }
        return moved
    }

    /// Bytes `from` wrote, taken from its outbound side.
    func outbound(_ from: EmbeddedChannel) throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let buffer = try from.readOutbound(as: ByteBuffer.self) { bytes += buffer.readableBytesView }
        return bytes
    }

    /// Delivers `bytes` to `to` as one read (or byte by byte), each followed by a read-complete.
    func deliver(_ bytes: [UInt8], to: EmbeddedChannel, byteAtATime: Bool = false) throws {
        guard !bytes.isEmpty, to.isActive else { return }
        if byteAtATime {
            for b in bytes where to.isActive {
                try to.writeInbound(ByteBuffer(bytes: [b]))
            }
        } else {
            try to.writeInbound(ByteBuffer(bytes: bytes))
        }
    }

    private func move(from: EmbeddedChannel, to: EmbeddedChannel, _ byteAtATime: Bool) throws -> Int {
        let bytes = try outbound(from)
        try deliver(bytes, to: to, byteAtATime: byteAtATime)
        return bytes.count
    }
}

/// The socket end of the pipeline, below the TLS handler: counts the `read()` calls that
/// reach the channel (read backpressure made visible), and models a TCP half-close, which
/// `EmbeddedChannel` turns into a full close.
final class ReadCounter: ChannelOutboundHandler {
    typealias OutboundIn = ByteBuffer
    private(set) var count = 0
    private(set) var outputHalfClosed = false

    func read(context: ChannelHandlerContext) {
        count += 1
        context.read()
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .output else { return context.close(mode: mode, promise: promise) }
        outputHalfClosed = true
        promise?.succeed(())
    }
}

/// Records what the TLS handler passes up: plaintext, events, errors, end of channel.
final class RecordingHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private(set) var received: [UInt8] = []
    private(set) var reads = 0
    private(set) var events: [TLSChannelEvent] = []
    private(set) var errors: [any Error] = []
    private(set) var inactive = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        reads += 1
        received += unwrapInboundIn(data).readableBytesView
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSChannelEvent { events.append(event) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { errors.append(error) }

    func channelInactive(context: ChannelHandlerContext) { inactive = true }

    var handshakes: [SessionInfo] {
        events.compactMap {
            switch $0 {
            case .handshakeCompleted(let info), .renegotiated(let info): info
            case .warningAlert: nil
            }
        }
    }

    var channelErrors: [TLSChannelError] { errors.compactMap { $0 as? TLSChannelError } }
}
