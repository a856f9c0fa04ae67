import Logging
import NIOCore
import NIOPosix
import TLSHandshake

/// One TLS connection for async code: plaintext in and out through a `NIOAsyncChannel`
/// (`for try await` over ``channel``'s inbound, `write` on its outbound), over a
/// ``TLSChannelHandler``.
///
/// ```swift
/// let connection = try await TLSNIOClient.connect(host: "pacs.local", port: 2762, configuration: config)
/// try await connection.channel.executeThenClose { inbound, outbound in
///     try await outbound.write(ByteBuffer(string: "hello"))
///     for try await reply in inbound { … }
/// }
/// ```
/// A peer that drops TCP without `close_notify` ends the inbound iteration with
/// ``TLSChannelError/truncated(_:)``; a protocol failure with ``TLSChannelError/tls(_:)``.
public struct TLSAsyncConnection: Sendable {
    /// Plaintext in and out; closing it (or finishing its outbound writer) sends `close_notify`.
    public let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    /// Completes with the first handshake.
    public let handshakeFuture: EventLoopFuture<TLSHandshakeResult>

    /// Waits for the first handshake and returns what it established.
    public func handshake() async throws -> TLSHandshakeResult {
        try await handshakeFuture.get()
    }

    /// Adds `handler` to `channel` and wraps the channel; runs on the channel's event loop.
    static func wrap(_ channel: any Channel, _ handler: TLSChannelHandler) throws -> TLSAsyncConnection {
        try channel.pipeline.syncOperations.addHandler(handler)
        guard let handshake = handler.handshakeFuture else { throw ChannelError.ioOnClosedChannel }
        let async = try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
            wrappingChannelSynchronously: channel,
            configuration: .init(isOutboundHalfClosureEnabled: true))
        return TLSAsyncConnection(channel: async, handshakeFuture: handshake)
    }
}

/// Client bootstrap helper: connect, add a ``TLSChannelHandler``, run the handshake.
public enum TLSNIOClient {
    /// Connects to `host:port`, runs a client handshake and returns the connection once it
    /// completed (or throws its error, ``TLSChannelError``).
    ///
    /// - Parameters:
    ///   - host: the server's name or address.
    ///   - port: the server's port.
    ///   - configuration: a client configuration.
    ///   - serverName: sent in SNI and checked against the certificate; defaults to `host`.
    ///   - session: an earlier connection's ``TLSHandshakeResult/session``, to resume it.
    ///   - offload: where a client certificate's signature is computed.
    ///   - group: the event loops; the shared singleton by default.
    ///   - logger: for the handler's lines.
    public static func connect(
        host: String, port: Int, configuration: TLSConfiguration, serverName: String? = nil,
        resuming session: TLSSession? = nil, offload: TLSPrivateKeyOffload = .inline,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "DicomTLS.TLSNIO")
    ) async throws -> TLSAsyncConnection {
        let name = serverName ?? host
        let connection = try await ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(30))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try TLSChannelHandler(
                        client: configuration, serverName: name, resuming: session, offload: offload, logger: logger)
                    return try TLSAsyncConnection.wrap(channel, handler)
                }
            }
        do {
            _ = try await connection.handshake()
        } catch {
            // The async wrapper must be finished (its writer and reader), not just its channel.
            try? await connection.channel.executeThenClose { _, _ in }
            throw error
        }
        return connection
    }
}

/// Server bootstrap helper: a listening channel whose children each carry a ``TLSChannelHandler``.
public enum TLSNIOServer {
    /// Binds `host:port` and yields one ``TLSAsyncConnection`` per accepted TCP connection,
    /// its handshake under way (await ``TLSAsyncConnection/handshake()``). Run each one's
    /// `channel.executeThenClose`, as with every `NIOAsyncChannel`.
    ///
    /// ```swift
    /// let server = try await TLSNIOServer.bind(host: "0.0.0.0", port: 2762, configuration: config)
    /// try await server.executeThenClose { connections in
    ///     for try await connection in connections { … }   // one task per connection
    /// }
    /// ```
    /// - Parameters:
    ///   - host: the address to listen on.
    ///   - port: the port; 0 picks a free one (read it from `localAddress`).
    ///   - configuration: a server configuration.
    ///   - offload: where the RSA premaster decryptions run (a thread pool keeps the loops free).
    ///   - group: the event loops; the shared singleton by default.
    ///   - backlog: the listen backlog.
    ///   - handshakeTimeout: limit for each connection's first handshake.
    ///   - logger: for the handlers' lines.
    public static func bind(
        host: String, port: Int, configuration: TLSConfiguration, offload: TLSPrivateKeyOffload = .inline,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, backlog: Int32 = 1024,
        handshakeTimeout: TimeAmount? = .seconds(30), logger: Logger = Logger(label: "DicomTLS.TLSNIO")
    ) async throws -> NIOAsyncChannel<TLSAsyncConnection, Never> {
        var configuration = configuration
        try configuration.prepare()  // validated once here, not per accepted connection
        let prepared = configuration
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: backlog)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try TLSChannelHandler(
                        server: prepared, offload: offload, handshakeTimeout: handshakeTimeout, logger: logger)
                    return try TLSAsyncConnection.wrap(channel, handler)
                }
            }
    }
}
