import DicomUL
import NIOCore

/// The async association driver: a SwiftNIO channel handler that carries one DICOM
/// association by driving the sans-I/O ``ULConnection`` (PS3.8's state machine, the same one
/// the blocking `Association` uses) for either role, over TCP or TLS alike.
///
/// Pipeline, socket end first: [`TLSChannelHandler`] → `DicomULHandler` → (usually) a
/// `NIOAsyncChannel<DicomInbound, DicomOutbound>`. The handler reads the byte stream as it
/// comes (any read boundaries): the machine frames PDUs and rejects a hostile length from
/// its header alone (Evt19, A-ABORT), never buffering more than one PDU within the limits.
/// ``DicomPipeline/configure(_:role:configuration:tls:)`` builds it.
///
/// - Inbound: the bytes go into the ``ULConnection``; its indications come out as
///   ``DicomInbound`` values, P-DATA reassembled by the shared ``DIMSEReassembler`` (commands
///   whole, data sets fragment by fragment).
/// - Outbound: ``DicomOutbound`` values become primitives of the machine; commands and data
///   are fragmented by the shared ``PDVFragmenter`` to the peer's maximum PDU length.
/// - Timers on the event loop: ARTIM whenever the machine runs it (Evt18; for an acceptor it
///   starts when TCP connects, so it bounds the TLS handshake and the wait for the
///   A-ASSOCIATE-RQ); the reply timer for the A-ASSOCIATE-AC, a DIMSE response and the
///   A-RELEASE-RP; the idle timer between an acceptor's messages; each PDU of a message
///   within the reply time of our asking for it, and a whole data set within
///   ``DicomTimeouts/message``. Expiry aborts (A-ABORT) and closes.
/// - A-RELEASE-RQ is answered by the driver (collisions per AR-8…AR-10).
/// - ``DicomAbortRequest`` (a user outbound event, from any thread) and closing the channel
///   in the middle of an association send A-ABORT first.
///
/// ## Using it as a requestor
///
/// Create the handler with the A-ASSOCIATE-RQ (`DicomULHandler(requestor: rq, configuration:)`,
/// or `DicomPipeline.configure(channel, role: .requestor(rq), ...)` inside a
/// `ClientBootstrap.connect(host:port:channelInitializer:)` that wraps the channel in a
/// `NIOAsyncChannel<DicomInbound, DicomOutbound>`). The RQ goes out when TCP is up (after the
/// TLS handshake, which the TLS handler holds writes for). Read the first inbound element:
/// ``DicomInbound/associateAccepted(_:)`` or ``DicomInbound/associateRejected(_:)``. Then
/// write ``DicomOutbound/command(_:contextID:)`` (and ``DicomOutbound/dataFragment(_:contextID:isLast:)``
/// chunks for a data set; each write completes when its PDUs are written, so awaiting writes
/// paces a large store), read the response ``DicomInbound/command(contextID:_:)``, and end
/// with ``DicomOutbound/release`` and wait for ``DicomInbound/releaseConfirmed`` (the stream
/// then ends), or ``DicomOutbound/abort``. Wrap the task's work in
/// `withTaskCancellationHandler` whose handler calls ``DicomAssociationChannel/abort()``
/// (it sends ``DicomAbortRequest``), so cancellation aborts. `RequestorDriverTests` in
/// Tests/DicomNIOTests shows the whole exchange against the blocking server.
///
/// Event-loop bound, like every channel handler: not `Sendable`.
public final class DicomULHandler: ChannelDuplexHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = DicomInbound
    public typealias OutboundIn = DicomOutbound
    public typealias OutboundOut = ByteBuffer

    /// Settings of one association.
    public struct Configuration: Sendable {
        /// Time limits (ARTIM, reply, idle, message).
        public var timeouts: DicomTimeouts
        /// Largest P-DATA-TF body we accept (what we advertise; 0 = unlimited, capped at 64 MiB).
        public var maximumReceivePDULength: UInt32

        /// Creates settings.
        public init(timeouts: DicomTimeouts = DicomTimeouts(), maximumReceivePDULength: UInt32 = 65536) {
            self.timeouts = timeouts
            self.maximumReceivePDULength = maximumReceivePDULength
        }

        /// The body limit the machine and the framer enforce on P-DATA-TF.
        var dataLimit: Int { maximumReceivePDULength == 0 ? 64 << 20 : Int(maximumReceivePDULength) }
    }

    /// The role and, for a requestor, the request to send.
    public enum Role: Sendable {
        /// Accept an association: wait for the A-ASSOCIATE-RQ.
        case acceptor
        /// Request an association with this A-ASSOCIATE-RQ once connected.
        case requestor(AssociateRQ)
    }

    /// The settings.
    public let configuration: Configuration
    /// The machine: the single implementation of PS3.8's state machine.
    public internal(set) var ul: ULConnection
    /// The A-ASSOCIATE-RQ (sent or received).
    public private(set) var request: AssociateRQ?
    /// The accepted presentation contexts, once established.
    public private(set) var contexts: [UInt8: NegotiatedContext] = [:]

    var reassembler: DIMSEReassembler?
    var fragmenter = PDVFragmenter(peerMaximumPDULength: 0)
    var storedContext: ChannelHandlerContext?
    var artimTimer: Scheduled<Void>?
    var readTimer: Scheduled<Void>?
    var messageTimer: Scheduled<Void>?
    /// A `read()` passed through that no whole PDU has answered yet.
    var readPending = false
    /// Requestor: a request was sent whose final response has not come.
    var awaitingReply = false
    /// Requestor: a request's data set is still being sent; the reply time starts after it.
    var sendingRequestDataSet = false
    /// An error was already fired (one per association).
    var failed = false
    var artimFired = false

    /// A handler for `role`.
    public init(role: Role, configuration: Configuration = Configuration()) {
        self.configuration = configuration
        switch role {
        case .acceptor:
            ul = ULConnection(role: .acceptor, maximumDataPDULength: configuration.dataLimit)
        case .requestor(let rq):
            ul = ULConnection(role: .requestor, maximumDataPDULength: configuration.dataLimit)
            request = rq
        }
    }

    /// A requestor's handler (see the type's documentation).
    public convenience init(requestor request: AssociateRQ, configuration: Configuration = Configuration()) {
        self.init(role: .requestor(request), configuration: configuration)
    }

    /// The peer's largest P-DATA-TF body (0 = unlimited), once established.
    public var peerMaximumPDULength: UInt32 = 0

    // MARK: Channel lifecycle

    public func handlerAdded(context: ChannelHandlerContext) {
        storedContext = context
        if context.channel.isActive { start(context) }
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimers()
        storedContext = nil
    }

    public func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    private func start(_ context: ChannelHandlerContext) {
        guard ul.state == .idle, ul.lastAction == nil else { return }
        do throws(DicomError) {
            if ul.role == .acceptor {
                try ul.transportAccepted()  // AE-5: ARTIM starts (it bounds the TLS handshake too)
            } else if let request {
                try ul.requestAssociation(request)
                try ul.transportConnected()  // AE-2: the RQ goes out (after TLS, held by its handler)
            }
        } catch {
            fail(context, error)
        }
        pump(context)
    }

    public func channelInactive(context: ChannelHandlerContext) {
        if ul.state != .idle {
            ul.transportClosed()  // Evt17: AA-4 / AR-5 / AA-5 / AA-2
            drainIndications(context)
        }
        cancelTimers()
        context.fireChannelInactive()
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Transport errors (TLS alerts, resets): the association is gone with them.
        if !failed {
            failed = true
            context.fireErrorCaught(error)
        }
        if ul.state != .idle { ul.transportClosed() }
        cancelTimers()
        context.close(promise: nil)
    }

    // MARK: Inbound

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Any slice of the byte stream: the machine frames the PDUs (one copy, into its buffer).
        let bytes = unwrapInboundIn(data)
        unsafe bytes.withUnsafeReadableBytes { unsafe ul.receive($0) }
        if ul.hasWholePDU {
            readPending = false
            readTimer?.cancel()
            readTimer = nil
        }
        pump(context)
    }

    public func read(context: ChannelHandlerContext) {
        readPending = true
        armReadTimer(context)
        context.read()
    }

    /// Runs the machine: indications out, PDUs written, timers set, transport closed when due.
    func pump(_ context: ChannelHandlerContext) {
        drainIndications(context)
        flush(context)
        updateTimers(context)
        if ul.wantsTransportClose, context.channel.isActive { context.close(promise: nil) }
    }

    private func drainIndications(_ context: ChannelHandlerContext) {
        while let indication = ul.nextIndication() {
            handle(indication, context)
        }
    }

    private func handle(_ indication: ULIndication, _ context: ChannelHandlerContext) {
        switch indication {
        case .associateRequest(let rq):
            request = rq
            context.fireChannelRead(wrapInboundOut(.associateRequest(rq)))
        case .associateAccepted(let ac):
            established(request: request, acceptance: ac, peerMaximum: ac.userInformation.maximumLength)
            context.fireChannelRead(wrapInboundOut(.associateAccepted(ac)))
        case .associateRejected(let rj):
            context.fireChannelRead(wrapInboundOut(.associateRejected(rj)))
        case .data(let pdata):
            deliver(pdata, context)
        case .releaseRequested:
            // Sta8 (no collision) and Sta9 (requestor collision) answer now (AR-4, AR-9);
            // Sta10 waits for the peer's A-RELEASE-RP first.
            if ul.state == .awaitingLocalReleaseResponse || ul.state == .collisionRequestorAwaitingLocalResponse {
                try? ul.respondRelease()
            }
            context.fireChannelRead(wrapInboundOut(.releaseRequested))
        case .releaseConfirmed:
            if ul.state == .collisionAcceptorAwaitingLocalResponse { try? ul.respondRelease() }
            context.fireChannelRead(wrapInboundOut(.releaseConfirmed))
        case .aborted(let abort):
            fail(context, DicomError(.aborted, "\(Self.peer(context)) aborted the association (\(abort))"))
        case .providerAborted(let cause):
            fail(context, cause)
        }
    }

    private func deliver(_ pdata: PDataTF, _ context: ChannelHandlerContext) {
        for pdv in pdata.values {
            guard var assembler = reassembler else {
                abort(context, DicomError(.invalidState, "P-DATA before the association was established"))
                return
            }
            let part: DIMSEReassembler.Part?
            do throws(DicomError) {
                part = try assembler.consume(pdv)
            } catch {
                abort(context, DicomError(.invalidDIMSE, "\(Self.peer(context)): \(error.message); association aborted"))
                return
            }
            let wasInsideDataSet = reassembler?.expecting != .command
            reassembler = assembler
            switch part {
            case .command(let id, let command)?:
                if let field = command.commandField, field.rawValue & 0x8000 != 0,
                   !(command.status.map(Self.isPending) ?? false) {
                    awaitingReply = false
                }
                if command.hasDataSet { startMessageTimer(context) }
                context.fireChannelRead(wrapInboundOut(.command(contextID: id, command)))
            case .dataFragment(let id, let bytes, let isLast)?:
                if isLast, wasInsideDataSet { cancelMessageTimer() }
                context.fireChannelRead(wrapInboundOut(.dataFragment(contextID: id, bytes, isLast: isLast)))
            case nil:
                continue
            }
        }
    }

    static func isPending(_ status: DIMSEStatus) -> Bool {
        status.rawValue == 0xFF00 || status.rawValue == 0xFF01
    }

    // MARK: Outbound

    public func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let message = unwrapOutboundIn(data)
        do throws(DicomError) {
            switch message {
            case .accept(let ac):
                try ul.accept(ac)
                established(request: request, acceptance: ac, peerMaximum: request?.userInformation.maximumLength)
            case .reject(let rj):
                try ul.reject(rj)
            case .command(let command, let contextID):
                guard contexts[contextID] != nil else {
                    throw DicomError(.noPresentationContext, "presentation context \(contextID) was not accepted")
                }
                if let field = command.commandField, field.rawValue & 0x8000 == 0 {
                    // The reply time counts from the end of the request, its data set included
                    // (as the blocking Association's): a large store is not cut off while sent.
                    if command.hasDataSet { sendingRequestDataSet = true } else { awaitingReply = true }
                }
                try send(command.encode(), contextID: contextID, isCommand: true, isLast: true, context, promise: promise)
                updateTimers(context)
                return
            case .dataFragment(let bytes, let contextID, let isLast):
                guard contexts[contextID] != nil else {
                    throw DicomError(.noPresentationContext, "presentation context \(contextID) was not accepted")
                }
                if isLast, sendingRequestDataSet {
                    sendingRequestDataSet = false
                    awaitingReply = true
                }
                if !bytes.isEmpty || isLast {
                    try send(bytes, contextID: contextID, isCommand: false, isLast: isLast, context, promise: promise)
                    updateTimers(context)
                    return
                }
            case .release:
                try ul.requestRelease()
            case .abort:
                abort(context, nil)
                promise?.succeed()
                return
            }
        } catch {
            promise?.fail(error)
            return
        }
        flush(context, promise: promise)
        updateTimers(context)
        if ul.wantsTransportClose { context.close(promise: nil) }
    }

    public func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        if event is DicomAbortRequest {
            abort(context, nil)
            promise?.succeed()
        } else {
            context.triggerUserOutboundEvent(event, promise: promise)
        }
    }

    public func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        // Closing in the middle of an association aborts it (A-ABORT first, PS3.8 §7.3).
        if mode == .all, ul.state != .idle, ul.state != .awaitingTransportClose, context.channel.isActive {
            ul.abort()
            flush(context)
        }
        context.close(mode: mode, promise: promise)
    }

    /// Frames `bytes` as PDVs (one chunk of a message: the last PDV flagged only if `isLast`;
    /// an empty last chunk is one empty PDV) and writes them, after anything the machine
    /// queued, straight into one channel buffer: the only copy of the data on its way to
    /// the TLS handler or the socket.
    private func send(
        _ bytes: [UInt8], contextID: UInt8, isCommand: Bool, isLast: Bool, _ context: ChannelHandlerContext,
        promise: EventLoopPromise<Void>?
    ) throws(DicomError) {
        let pdus = max(1, (bytes.count + fragmenter.fragmentLength - 1) / fragmenter.fragmentLength)
        var buffer = context.channel.allocator.buffer(capacity: bytes.count + pdus * PDVFragmenter.headerLength)
        if ul.hasOutput { buffer.writeBytes(ul.takeOutput()) }
        var offset = 0
        repeat {
            let count = min(fragmenter.fragmentLength, bytes.count - offset)
            try ul.sendDataWrittenByCaller()
            buffer.writeBytes(PDVFragmenter.header(
                count: count, contextID: contextID, isCommand: isCommand, isLast: isLast && offset + count == bytes.count))
            buffer.writeBytes(bytes[offset..<offset + count])
            offset += count
        } while offset < bytes.count
        context.writeAndFlush(wrapOutboundOut(buffer), promise: promise)
    }

    /// Aborts (Evt15: A-ABORT) and closes; `error` is reported upward unless one already was.
    func abort(_ context: ChannelHandlerContext, _ error: DicomError?) {
        if let error { fail(context, error) }
        ul.abort()
        flush(context)
        if ul.state != .idle { ul.transportClosed() }
        cancelTimers()
        if context.channel.isActive { context.close(promise: nil) }
    }

    /// Reports `error` upward once (the async inbound stream ends with it).
    func fail(_ context: ChannelHandlerContext, _ error: DicomError) {
        guard !failed else { return }
        failed = true
        context.fireErrorCaught(error)
    }

    private func flush(_ context: ChannelHandlerContext, promise: EventLoopPromise<Void>? = nil) {
        guard ul.hasOutput else {
            promise?.succeed()
            return
        }
        let bytes = ul.takeOutput()
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: promise)
    }

    private func established(request: AssociateRQ?, acceptance: AssociateAC, peerMaximum: UInt32?) {
        let accepted = NegotiatedContext.accepted(request: request, acceptance: acceptance)
        contexts = accepted
        peerMaximumPDULength = peerMaximum ?? 0
        fragmenter = PDVFragmenter(peerMaximumPDULength: peerMaximumPDULength)
        reassembler = DIMSEReassembler(acceptedContexts: Set(accepted.keys))
    }

    static func peer(_ context: ChannelHandlerContext) -> String {
        context.channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "peer"
    }
}

@available(*, unavailable)
extension DicomULHandler: Sendable {}
