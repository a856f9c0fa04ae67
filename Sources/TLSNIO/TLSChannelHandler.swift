import Logging
import NIOCore
import TLSHandshake
import TLSRecord

/// A SwiftNIO channel handler that runs TLS 1.0 over the sans-I/O ``TLSConnection``: the
/// role `NIOSSLHandler` plays for BoringSSL (STYLE.md §2).
///
/// Put it first in a pipeline (nearest the socket); the handlers after it read and write
/// plaintext `ByteBuffer`s. Ciphertext from the channel goes into the engine, the engine's
/// records go out through the channel; the engine decides everything about the protocol,
/// and the handler's own state tracks only the channel's lifecycle.
///
/// - Writes made before the handshake completes are held and sent after it.
/// - ``TLSChannelEvent/handshakeCompleted(_:)`` and ``TLSChannelEvent/renegotiated(_:)`` are
///   fired as user events; ``handshakeFuture`` completes with the first handshake.
/// - `close(mode: .all)` sends `close_notify` and waits (up to ``shutdownTimeout``) for the
///   peer's; `close(mode: .output)` sends `close_notify` and half-closes TCP while reading
///   on. A peer's `close_notify` is answered and closes the channel. TCP ending without it is
///   ``TLSChannelError/truncated(_:)``.
/// - Reads honour backpressure: the handler asks the channel for data on its own only while
///   the protocol needs it (handshake, closing) or while a `read()` from the pipeline is
///   still unanswered; with `autoRead` off, nothing else is read.
/// - Every engine error sends its alert, is fired as ``TLSChannelError/tls(_:)`` (which names
///   the alert), fails pending writes and closes the channel.
/// - With a ``TLSPrivateKeyOffload``, RSA private-key operations run off the event loop.
/// - Between handshakes, application-data records are opened straight from the channel's
///   read buffer into one plaintext buffer per read (CBC decrypts into it; NULL-SHA copies
///   the authenticated body once) and sealed straight into the buffer written, with no
///   copy through the engine's queues.
///
/// Event-loop bound, like every channel handler: not `Sendable`.
public final class TLSChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    /// The channel's lifecycle as this handler sees it (never protocol state: that is the engine's).
    enum Lifecycle {
        /// Added, channel not yet active.
        case idle
        /// Channel active, first handshake not yet complete.
        case handshaking
        /// Application data flows (renegotiations included).
        case active
        /// We sent `close_notify` and half-closed our output; input still flows.
        case outputClosed
        /// We sent `close_notify` for a full close and wait for the peer's.
        case closing
        /// Closed or failed: nothing more happens.
        case closed
    }

    /// How long a full close waits for the peer's `close_notify` before closing TCP anyway.
    public var shutdownTimeout: TimeAmount
    /// A first handshake not complete within this time fails the channel; nil: no limit.
    public let handshakeTimeout: TimeAmount?

    var engine: TLSConnection
    var lifecycle = Lifecycle.idle
    let logger: Logger
    let offload: TLSPrivateKeyOffload
    var storedContext: ChannelHandlerContext?
    /// Writes not yet protected: held before the handshake, during a renegotiation, or until flushed.
    var pendingWrites = MarkedCircularBuffer<(ByteBuffer, EventLoopPromise<Void>?)>(initialCapacity: 4)
    var handshakePromise: EventLoopPromise<TLSHandshakeResult>?
    /// The first handshake's outcome; set when the handler is added.
    public private(set) var handshakeFuture: EventLoopFuture<TLSHandshakeResult>?
    var closePromise: EventLoopPromise<Void>?
    var timer: Scheduled<Void>?
    /// A `read()` from the pipeline that no plaintext has answered yet.
    var readRequested = false
    var deliveredPlaintext = false
    var peerClosed = false
    var keyOperationInFlight = false

    /// A client handler: the ClientHello goes out when the channel is active.
    ///
    /// - Parameters:
    ///   - configuration: a client configuration.
    ///   - serverName: sent in SNI and checked against the server's certificate.
    ///   - session: an earlier connection's session, to resume it.
    ///   - offload: where private-key operations run (client certificates); inline by default.
    ///   - handshakeTimeout: limit for the first handshake.
    ///   - logger: receives the handshake, close and failure lines (metadata: peer, suite, session).
    public convenience init(
        client configuration: TLSConfiguration, serverName: String? = nil, resuming session: TLSSession? = nil,
        offload: TLSPrivateKeyOffload = .inline, handshakeTimeout: TimeAmount? = .seconds(30),
        logger: Logger = Logger(label: "DicomTLS.TLSNIO")
    ) throws(TLSError) {
        let engine = try TLSConnection(client: configuration, serverName: serverName, resuming: session)
        self.init(engine: engine, offload: offload, handshakeTimeout: handshakeTimeout, logger: logger)
    }

    /// A server handler, waiting for a ClientHello.
    ///
    /// - Parameters:
    ///   - configuration: a server configuration (its session store serves resumption).
    ///   - offload: where the RSA premaster decryption runs; inline by default.
    ///   - handshakeTimeout: limit for the first handshake.
    ///   - logger: receives the handshake, close and failure lines (metadata: peer, suite, session).
    public convenience init(
        server configuration: TLSConfiguration, offload: TLSPrivateKeyOffload = .inline,
        handshakeTimeout: TimeAmount? = .seconds(30), logger: Logger = Logger(label: "DicomTLS.TLSNIO")
    ) throws(TLSError) {
        let engine = try TLSConnection(server: configuration)
        self.init(engine: engine, offload: offload, handshakeTimeout: handshakeTimeout, logger: logger)
    }

    init(engine: TLSConnection, offload: TLSPrivateKeyOffload, handshakeTimeout: TimeAmount?, logger: Logger) {
        self.engine = engine
        self.offload = offload
        self.handshakeTimeout = handshakeTimeout
        self.logger = logger
        shutdownTimeout = .seconds(5)
        self.engine.defersPrivateKeyOperations = offload.defers
    }

    /// The latest completed handshake's summary (renegotiations included).
    public var sessionInfo: SessionInfo? { engine.sessionInfo }

    /// The session to offer when reconnecting; nil when not resumable.
    public var session: TLSSession? { engine.session }

    /// Starts a renegotiation (RFC 5746): a client sends a new ClientHello, a server a
    /// HelloRequest. Its completion is fired as ``TLSChannelEvent/renegotiated(_:)``.
    public func renegotiate() throws(TLSError) {
        try engine.renegotiate()
        if let context = storedContext { flushEngineOutput(context) }
    }

    // MARK: Lifecycle

    public func handlerAdded(context: ChannelHandlerContext) {
        storedContext = context
        let promise = context.eventLoop.makePromise(of: TLSHandshakeResult.self)
        handshakePromise = promise
        handshakeFuture = promise.futureResult
        if context.channel.isActive { startHandshake(context) }
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        failEverything(ChannelError.ioOnClosedChannel)
        storedContext = nil
    }

    public func channelActive(context: ChannelHandlerContext) {
        startHandshake(context)
        context.fireChannelActive()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        let wasOpen = lifecycle != .closed && lifecycle != .closing
        let before = lifecycle
        lifecycle = .closed
        timer?.cancel()
        if wasOpen && before != .idle && !peerClosed {
            let error = TLSChannelError.truncated(
                before == .handshaking
                    ? "\(peer(context)) closed the TCP connection during the TLS handshake"
                    : "\(peer(context)) closed the TCP connection without sending close_notify: the data may be incomplete")
            logger.debug("TLS connection truncated", metadata: metadata(context))
            failEverything(error)
            context.fireErrorCaught(error)
        } else {
            failEverything(ChannelError.ioOnClosedChannel)
        }
        closePromise?.succeed(())
        closePromise = nil
        context.fireChannelInactive()
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // With half-closure allowed, a TCP FIN arrives as an event: without close_notify it
        // is a truncation all the same.
        if let event = event as? ChannelEvent, event == .inputClosed, !peerClosed, lifecycle != .closed {
            let error = TLSChannelError.truncated(
                "\(peer(context)) closed its side of the TCP connection without sending close_notify")
            failEverything(error)
            context.fireErrorCaught(error)
            lifecycle = .closed
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func startHandshake(_ context: ChannelHandlerContext) {
        guard lifecycle == .idle else { return }
        lifecycle = .handshaking
        if let handshakeTimeout {
            timer = context.eventLoop.assumeIsolated().scheduleTask(in: handshakeTimeout) { [self] in
                guard lifecycle == .handshaking, let context = storedContext else { return }
                fail(context, TLSChannelError.handshakeTimedOut(
                    "the TLS handshake with \(peer(context)) did not finish within \(handshakeTimeout)"))
            }
        }
        flushEngineOutput(context)
        context.read()  // the protocol needs the peer's flight, whatever autoRead says
    }

    // MARK: Inbound

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard lifecycle != .closed else { return }
        receive(buffer, context)
    }

    /// Largest plaintext of one record (RFC 2246 §6.2.1).
    static let largestRecordPlaintext = 1 << 14

    public func channelReadComplete(context: ChannelHandlerContext) {
        let needsMore: Bool =
            switch lifecycle {
            case .handshaking, .closing, .outputClosed: true
            case .active: readRequested && !deliveredPlaintext
            case .idle, .closed: false
            }
        deliveredPlaintext = false
        // Buffers are taken when data flows and given back when it stops.
        if !engine.hasPendingOutput { engine.releaseIdleBuffers() }
        context.fireChannelReadComplete()
        if needsMore && !keyOperationInFlight { context.read() }
    }

    /// Takes every event the engine has from its input, then writes what it queued. The
    /// plaintext of the records opened meanwhile is copied once, from the engine's buffer
    /// into one `ByteBuffer`, and passed on before the next event.
    func driveEngine(_ context: ChannelHandlerContext, plaintextCapacity: Int = 0) {
        var plaintext: ByteBuffer?
        driveEngine(context, appendingTo: &plaintext, capacity: plaintextCapacity)
        firePlaintext(&plaintext, context)
    }

    /// ``driveEngine(_:plaintextCapacity:)`` that leaves the plaintext opened after the last
    /// event in `plaintext` (appended to what it holds; a new buffer of `capacity` if none),
    /// for the caller to pass on with more, unless the channel closes (then it is passed on).
    func driveEngine(_ context: ChannelHandlerContext, appendingTo plaintext: inout ByteBuffer?, capacity: Int) {
        guard !keyOperationInFlight else { return }
        let allocator = context.channel.allocator
        do {
            while lifecycle != .closed, let event = try unsafe engine.nextEvent(applicationData: { bytes in
                if plaintext == nil { plaintext = allocator.buffer(capacity: max(bytes.count, capacity)) }
                unsafe plaintext?.writeBytes(bytes)
            }) {
                firePlaintext(&plaintext, context)
                switch event {
                case .handshakeComplete(let info):
                    handshakeCompleted(info, context)
                case .applicationData(let bytes):
                    guard !bytes.isEmpty else { continue }
                    readRequested = false
                    deliveredPlaintext = true
                    context.fireChannelRead(wrapInboundOut(allocator.buffer(bytes: bytes)))
                case .warningAlert(let alert):
                    logger.debug("TLS warning alert \(alert)", metadata: metadata(context))
                    context.fireUserInboundEventTriggered(TLSChannelEvent.warningAlert(alert))
                case .closed:
                    peerClosed = true
                case .privateKeyOperationNeeded(let operation):
                    runPrivateKeyOperation(operation, context)
                    flushEngineOutput(context)
                    return
                }
            }
        } catch {
            firePlaintext(&plaintext, context)  // what was authentic before the failure
            fail(context, TLSChannelError.tls(error))
            return
        }
        flushEngineOutput(context)
        if peerClosed && lifecycle != .closed {
            firePlaintext(&plaintext, context)
            closeAfterPeerCloseNotify(context)
        }
    }

    /// Passes accumulated plaintext on, if any.
    func firePlaintext(_ plaintext: inout ByteBuffer?, _ context: ChannelHandlerContext) {
        guard let buffer = plaintext.take(), buffer.readableBytes > 0 else { return }
        readRequested = false
        deliveredPlaintext = true
        context.fireChannelRead(wrapInboundOut(buffer))
    }

    private func handshakeCompleted(_ info: SessionInfo, _ context: ChannelHandlerContext) {
        // Built only when a debug line will be written (the hot path of a busy server).
        var log: Logger.Metadata = [:]
        if logger.logLevel <= .debug {
            log = metadata(context)
            log["suite"] = "\(info.cipherSuite.name)"
            log["session"] = "\(hex(info.sessionID))"
        }
        if lifecycle == .handshaking {
            lifecycle = .active
            timer?.cancel()
            timer = nil
            logger.debug("TLS handshake complete\(info.isResumed ? " (resumed)" : "")", metadata: log)
            context.fireUserInboundEventTriggered(TLSChannelEvent.handshakeCompleted(info))
            handshakePromise?.succeed(TLSHandshakeResult(sessionInfo: info, session: engine.session))
            handshakePromise = nil
        } else {
            logger.debug("TLS renegotiation complete", metadata: log)
            context.fireUserInboundEventTriggered(TLSChannelEvent.renegotiated(info))
        }
        protectPendingWrites(context)
    }

    /// RFC 2246 §7.2.1: the engine answered the peer's `close_notify`; send it and close.
    private func closeAfterPeerCloseNotify(_ context: ChannelHandlerContext) {
        logger.debug("TLS peer sent close_notify", metadata: metadata(context))
        lifecycle = .closed
        timer?.cancel()
        failEverything(ChannelError.outputClosed)
        let promise = closePromise
        closePromise = nil
        context.close(mode: .all, promise: promise)
    }

    // MARK: Outbound

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard lifecycle != .closed && lifecycle != .closing && lifecycle != .outputClosed else {
            promise?.fail(ChannelError.outputClosed)
            return
        }
        pendingWrites.append((unwrapOutboundIn(data), promise))
    }

    public func flush(context: ChannelHandlerContext) {
        pendingWrites.mark()
        protectPendingWrites(context)
    }

    public func read(context: ChannelHandlerContext) {
        readRequested = true
        context.read()
    }

    /// Seals the flushed writes into records and writes them, each with its promise, once
    /// a handshake is complete and none is in progress.
    func protectPendingWrites(_ context: ChannelHandlerContext) {
        guard lifecycle == .active, pendingWrites.hasMark, !engine.isRenegotiating, !keyOperationInFlight else { return }
        while pendingWrites.hasMark, let (buffer, promise) = pendingWrites.popFirst() {
            do {
                if let sealed = try sealDirectly(buffer, context) {
                    context.write(wrapOutboundOut(sealed), promise: promise)
                    flushEngineOutput(context)  // a rekeying HelloRequest, if any, after the data
                    continue
                }
                try unsafe buffer.withUnsafeReadableBytes { raw throws(TLSError) in try unsafe engine.send(contentsOf: raw) }
            } catch {
                promise?.fail(TLSChannelError.tls(error))
                fail(context, TLSChannelError.tls(error))
                return
            }
            writeEngineOutput(context, promise: promise)
        }
        context.flush()
    }

    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        switch (lifecycle, mode) {
        case (_, .input):
            context.close(mode: mode, promise: promise)
        case (.active, .all), (.outputClosed, .all):
            lifecycle = .closing
            sendCloseNotify(context)
            closePromise = promise ?? context.eventLoop.makePromise()
            timer?.cancel()
            timer = context.eventLoop.assumeIsolated().scheduleTask(in: shutdownTimeout) { [self] in
                guard lifecycle == .closing, let context = storedContext else { return }
                logger.debug("TLS peer did not answer close_notify in time", metadata: metadata(context))
                lifecycle = .closed
                context.close(mode: .all, promise: nil)
            }
            context.read()
        case (.active, .output):
            lifecycle = .outputClosed
            sendCloseNotify(context)
            context.close(mode: .output, promise: promise)
            context.read()
        case (.closing, _):
            if let promise { closePromise?.futureResult.cascade(to: promise) }
        case (.outputClosed, .output):
            promise?.fail(ChannelError.outputClosed)
        case (.idle, _), (.handshaking, _), (.closed, _):
            lifecycle = .closed
            timer?.cancel()
            failEverything(ChannelError.ioOnClosedChannel)
            context.close(mode: mode, promise: promise)
        }
    }

    private func sendCloseNotify(_ context: ChannelHandlerContext) {
        // Unflushed writes are dropped on close, as a channel does.
        protectPendingWrites(context)
        failPendingWrites(ChannelError.outputClosed)
        engine.close()
        flushEngineOutput(context)
        logger.debug("TLS close_notify sent", metadata: metadata(context))
    }

    // MARK: Engine output and failure

    /// Writes the engine's queued records, copied once into a channel buffer.
    func writeEngineOutput(_ context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        guard engine.hasPendingOutput else {
            promise?.succeed(())
            return
        }
        let buffer = unsafe engine.withPendingOutput { raw in
            var b = context.channel.allocator.buffer(capacity: raw.count)
            unsafe b.writeBytes(raw)
            return b
        }
        engine.consumeOutput(buffer.readableBytes)
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    func flushEngineOutput(_ context: ChannelHandlerContext) {
        guard engine.hasPendingOutput else { return }
        writeEngineOutput(context, promise: nil)
        context.flush()
    }

    /// A fatal failure: the engine's alert goes out, then the error, then the channel closes.
    func fail(_ context: ChannelHandlerContext, _ error: TLSChannelError) {
        guard lifecycle != .closed else { return }
        lifecycle = .closed
        timer?.cancel()
        logger.debug("TLS connection failed: \(error)", metadata: metadata(context))
        flushEngineOutput(context)
        failEverything(error)
        context.fireErrorCaught(error)
        context.close(promise: nil)
    }

    private func failEverything(_ error: any Error) {
        failPendingWrites(error)
        handshakePromise?.fail(error)
        handshakePromise = nil
    }

    private func failPendingWrites(_ error: any Error) {
        while let (_, promise) = pendingWrites.popFirst() { promise?.fail(error) }
    }

    /// `IP:port` (`[IPv6]:port`) of the peer, as the blocking stream names it.
    func peer(_ context: ChannelHandlerContext) -> String {
        guard let address = context.channel.remoteAddress, let ip = address.ipAddress, let port = address.port else {
            return context.channel.remoteAddress.map { "\($0)" } ?? "the peer"
        }
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }

    func metadata(_ context: ChannelHandlerContext) -> Logger.Metadata {
        ["peer": "\(peer(context))"]
    }
}

@available(*, unavailable)
extension TLSChannelHandler: Sendable {}
