/// An established DICOM association driven over a blocking ``DicomTransport``.
///
/// This is the thin I/O adapter around the sans-I/O ``ULConnection``: it writes what the
/// machine outputs (whole PDUs, one write each), reads with deadlines (the ARTIM timeout
/// while the timer runs, Evt18 on expiry), and turns indications into DIMSE-level calls:
/// ``send(command:contextID:dataSet:)``, ``receiveCommand(timeout:)``,
/// ``receiveDataSet(contextID:into:)``, ``release()`` and ``abort()``.
public final class Association {
    /// The transport; TCP or TLS, the association does not know which.
    public let transport: any DicomTransport
    /// The time limits in force.
    public let timeouts: DicomTimeouts
    /// The A-ASSOCIATE-RQ that opened the association.
    public let request: AssociateRQ
    /// The A-ASSOCIATE-AC that accepted it.
    public let acceptance: AssociateAC
    /// Accepted presentation contexts by ID.
    public let contexts: [UInt8: NegotiatedContext]
    /// Largest P-DATA-TF body the peer accepts (0 = unlimited, PS3.8 Annex D.1).
    public let peerMaximumPDULength: UInt32

    private var ul: ULConnection
    /// Whether our last ``release()`` met the peer's A-RELEASE-RQ (a release collision).
    public private(set) var releaseCollided = false
    private var pending: [PresentationDataValue] = []
    private var pendingIndex = 0
    private var messageIDs = MessageIDCounter()
    private var pduBuffer: [UInt8] = []
    private var reassembler: DIMSEReassembler
    private let fragmenter: PDVFragmenter

    /// Largest PDV fragment we send when the peer sets no limit.
    public static let unlimitedFragmentLength = PDVFragmenter.unlimitedFragmentLength
    /// Largest single read from the transport.
    static let readChunk = 256 * 1024

    private init(transport: any DicomTransport, timeouts: DicomTimeouts, ul: ULConnection, request: AssociateRQ, acceptance: AssociateAC) {
        self.transport = transport
        self.timeouts = timeouts
        self.ul = ul
        self.request = request
        self.acceptance = acceptance
        let contexts = NegotiatedContext.accepted(request: request, acceptance: acceptance)
        self.contexts = contexts
        let peerMaximum = (ul.role == .requestor ? acceptance.userInformation.maximumLength : request.userInformation.maximumLength) ?? 0
        self.peerMaximumPDULength = peerMaximum
        reassembler = DIMSEReassembler(acceptedContexts: Set(contexts.keys))
        fragmenter = PDVFragmenter(peerMaximumPDULength: peerMaximum)
    }

    // MARK: Establishment

    /// Requests an association over a connected transport (Evt1, Evt2 → AE-2, then AE-3 or AE-4).
    /// Throws `.associationRejected` with the peer's result, source and reason on A-ASSOCIATE-RJ.
    public static func request(
        over transport: any DicomTransport, _ request: AssociateRQ, timeouts: DicomTimeouts, maximumReceivePDULength: UInt32
    ) throws(DicomError) -> Association {
        var ul = ULConnection(role: .requestor, maximumDataPDULength: dataLimit(maximumReceivePDULength))
        try ul.requestAssociation(request)
        try ul.transportConnected()
        let peer = transport.peerDescription
        let indication: ULIndication
        do throws(DicomError) {
            indication = try next(&ul, transport, timeouts, timeout: timeouts.reply, waiting: "the A-ASSOCIATE-AC from \(peer)")
        } catch where error.code == .io || error.code == .connectionClosed {
            // Typically a TLS server resetting the connection after our plain A-ASSOCIATE-RQ
            // (the transport reports a reset as `.connectionClosed`).
            throw DicomError(.connectionClosed, "\(peer) reset the connection without answering the A-ASSOCIATE-RQ (is it a DICOM port, and does the peer expect TLS?): \(error.message)")
        }
        switch indication {
        case .associateAccepted(let ac):
            return Association(transport: transport, timeouts: timeouts, ul: ul, request: request, acceptance: ac)
        case .associateRejected(let rj):
            transport.close()
            throw DicomError(.associationRejected, "\(peer) rejected the association (called AE \(LogText.quoted(request.calledAETitle)), calling AE \(LogText.quoted(request.callingAETitle))): \(rj)")
        case .providerAborted(let cause) where cause.code == .connectionClosed:
            transport.close()
            throw DicomError(.connectionClosed, "\(peer) closed the connection without answering the A-ASSOCIATE-RQ (is it a DICOM port, and does the peer expect TLS?)")
        default:
            throw finish(&ul, transport, indication)
        }
    }

    /// Waits for and answers an association request on a freshly accepted transport (Evt5,
    /// Evt6 → AE-6, then AE-7 or AE-8). The request must arrive within the ARTIM timeout.
    /// A rejection is sent and then thrown as `.associationRejected`.
    public static func accept(
        over transport: any DicomTransport, policy: AcceptancePolicy, timeouts: DicomTimeouts, maximumReceivePDULength: UInt32,
        refuse: ((AssociateRQ) -> AssociateRJ?)? = nil
    ) throws(DicomError) -> Association {
        var ul = ULConnection(role: .acceptor, maximumDataPDULength: dataLimit(maximumReceivePDULength))
        try ul.transportAccepted()
        let peer = transport.peerDescription
        let indication = try next(&ul, transport, timeouts, timeout: timeouts.artim, waiting: "the A-ASSOCIATE-RQ from \(peer)")
        guard case .associateRequest(let rq) = indication else { throw finish(&ul, transport, indication) }
        let answer: AssociationAnswer
        if let rj = refuse?(rq) {
            answer = .reject(rj)
        } else {
            answer = policy.answer(rq, maximumReceivePDULength: maximumReceivePDULength)
        }
        switch answer {
        case .accept(let ac):
            try ul.accept(ac)
            try flush(&ul, transport, timeouts)
            return Association(transport: transport, timeouts: timeouts, ul: ul, request: rq, acceptance: ac)
        case .reject(let rj):
            try ul.reject(rj)
            try flush(&ul, transport, timeouts)
            drainUntilClosed(&ul, transport, timeouts)
            throw DicomError(.associationRejected, "rejected the association from \(peer) (called AE \(LogText.quoted(rq.calledAETitle)), calling AE \(LogText.quoted(rq.callingAETitle))): \(rj)")
        }
    }

    // MARK: DIMSE messages

    /// A fresh message ID.
    public func nextMessageID() -> UInt16 { messageIDs.next() }

    /// The accepted context for an abstract syntax, preferring `transferSyntax` when given.
    public func context(for abstractSyntax: String, transferSyntax: String? = nil) -> NegotiatedContext? {
        contexts.context(for: abstractSyntax, transferSyntax: transferSyntax)
    }

    /// Sends a command and, if given, its data set, as PDVs that honour the peer's maximum
    /// PDU length: one PDV per P-DATA-TF, each PDU built whole and written once (PS3.8 §9.3.5,
    /// Annex E). The data set is read from `dataSet` fragment by fragment.
    public func send(command: CommandSet, contextID: UInt8, dataSet: (any DataSetSource)? = nil) throws(DicomError) {
        guard contexts[contextID] != nil else {
            throw DicomError(.noPresentationContext, "presentation context \(contextID) was not accepted")
        }
        let encoded = MemoryDataSet(command.encode())
        try sendFragments(of: encoded, contextID: contextID, isCommand: true)
        if let dataSet { try sendFragments(of: dataSet, contextID: contextID, isCommand: false) }
    }

    /// The next command from the peer, or nil when the peer released the association
    /// (the release is answered and the transport closed).
    ///
    /// The first fragment may take `timeout` seconds to come; the rest of the command must
    /// then arrive within one reply period in all (one deadline for the message, not one per
    /// PDV: a peer sending a tiny fragment now and then cannot hold the association).
    public func receiveCommand(timeout: Double?) throws(DicomError) -> (contextID: UInt8, command: CommandSet)? {
        var rest: MessageDeadline?
        while true {
            let wait = rest ?? MessageDeadline(seconds: timeout)
            guard let pdv = try nextPDV(wait) else {
                guard !reassembler.isInsideMessage else { throw DicomError(.invalidDIMSE, "the peer released the association in the middle of a command") }
                return nil
            }
            if rest == nil { rest = MessageDeadline(seconds: timeouts.reply) }
            switch try reassemble(pdv) {
            case .command(let contextID, let command)?: return (contextID, command)
            case .dataFragment?: throw protocolError("received a data set fragment where a command was expected")
            case nil: continue
            }
        }
    }

    /// Streams the data set that follows a command into `sink`, fragment by fragment, until
    /// the fragment flagged last (PS3.8 Annex E.2).
    ///
    /// Each fragment must come within the reply timeout, and the whole data set within
    /// ``DicomTimeouts/message`` (one absolute deadline for the message).
    public func receiveDataSet(contextID: UInt8, into sink: (ArraySlice<UInt8>) throws(DicomError) -> Void) throws(DicomError) {
        guard reassembler.expecting == .dataSet(contextID: contextID) else {
            throw DicomError(.invalidState, "no data set is expected on presentation context \(contextID)")
        }
        let whole = MessageDeadline(seconds: timeouts.message)
        while true {
            guard let pdv = try nextPDV(whole.capped(atMost: timeouts.reply)) else {
                throw DicomError(.invalidDIMSE, "the peer released the association in the middle of a data set")
            }
            guard case .dataFragment(_, let data, let isLast)? = try reassemble(pdv) else {
                throw protocolError("received a command fragment inside a data set")
            }
            try sink(data)
            if isLast { return }
        }
    }

    /// The shared reassembly (``DIMSEReassembler``); a violation aborts the association.
    private func reassemble(_ pdv: PresentationDataValue) throws(DicomError) -> DIMSEReassembler.Part? {
        do throws(DicomError) {
            return try reassembler.consume(pdv)
        } catch {
            throw protocolError(error.message)
        }
    }

    /// Sends a command and waits for the response command to `messageID`.
    public func exchange(_ command: CommandSet, contextID: UInt8, dataSet: (any DataSetSource)? = nil, messageID: UInt16) throws(DicomError) -> CommandSet {
        try send(command: command, contextID: contextID, dataSet: dataSet)
        guard let (_, response) = try receiveCommand(timeout: timeouts.reply) else {
            throw DicomError(.connectionClosed, "\(transport.peerDescription) released the association instead of answering")
        }
        guard response.messageIDBeingRespondedTo == messageID else {
            throw protocolError("response answers message \(response.messageIDBeingRespondedTo.map(String.init) ?? "?"), expected \(messageID)")
        }
        if response.hasDataSet {
            try receiveDataSet(contextID: contextID) { _ throws(DicomError) in }
        }
        return response
    }

    // MARK: Release and abort

    /// Releases the association (Evt11 → AR-1, then AR-3; release collisions per AR-8…AR-10)
    /// and closes the transport.
    public func release() throws(DicomError) {
        try Self.flush(&ul, transport, timeouts)
        try ul.requestRelease()
        while true {
            let indication = try Self.next(&ul, transport, timeouts, timeout: timeouts.reply, waiting: "the A-RELEASE-RP")
            switch indication {
            case .releaseConfirmed:
                if ul.state == .collisionAcceptorAwaitingLocalResponse { try ul.respondRelease() }
                try Self.flush(&ul, transport, timeouts)
                if ul.state == .idle { transport.close() } else { Self.drainUntilClosed(&ul, transport, timeouts) }
                return
            case .releaseRequested:
                releaseCollided = true  // AR-8: the peer asked for release too
                if ul.state == .collisionRequestorAwaitingLocalResponse { try ul.respondRelease() }
            case .data:
                continue  // AR-6: late data is delivered but not wanted
            default:
                throw Self.finish(&ul, transport, indication)
            }
        }
    }

    /// Aborts the association (Evt15 → AA-1) and closes the transport.
    public func abort() {
        ul.abort()
        try? Self.flush(&ul, transport, timeouts)
        transport.close()
    }

    // MARK: Internals

    private func sendFragments(of source: any DataSetSource, contextID: UInt8, isCommand: Bool) throws(DicomError) {
        try fragmenter.forEachPDU(of: source, contextID: contextID, isCommand: isCommand, buffer: &pduBuffer) { pdu throws(DicomError) in
            try ul.sendEncodedData(pdu)
            try Self.flush(&ul, transport, timeouts)
        }
    }

    private func nextPDV(_ wait: MessageDeadline) throws(DicomError) -> PresentationDataValue? {
        while pendingIndex >= pending.count {
            // Drop consumed PDVs first: they share storage with the received PDU.
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
            let indication = try Self.next(&ul, transport, timeouts, wait, waiting: "data from \(transport.peerDescription)")
            switch indication {
            case .data(let pdata):
                pending = pdata.values
                pendingIndex = 0
            case .releaseRequested:
                try ul.respondRelease()
                try Self.flush(&ul, transport, timeouts)
                Self.drainUntilClosed(&ul, transport, timeouts)
                return nil
            default:
                throw Self.finish(&ul, transport, indication)
            }
        }
        defer { pendingIndex += 1 }
        return pending[pendingIndex]
    }

    /// Aborts with a provider A-ABORT for a DIMSE-level protocol violation.
    private func protocolError(_ message: String) -> DicomError {
        abort()
        return DicomError(.invalidDIMSE, "\(transport.peerDescription): \(message); association aborted")
    }

    private static func dataLimit(_ advertised: UInt32) -> Int {
        advertised == 0 ? 64 << 20 : Int(advertised)
    }

    /// Writes the machine's pending output (whole PDUs) in one write.
    private static func flush(_ ul: inout ULConnection, _ transport: any DicomTransport, _ timeouts: DicomTimeouts) throws(DicomError) {
        guard ul.hasOutput else { return }
        do throws(DicomError) {
            try transport.write(ul.takeOutput(), timeout: timeouts.write)
        } catch {
            ul.transportClosed()
            transport.close()
            throw error
        }
    }

    /// Runs the machine until it reports an indication, reading with deadlines: the ARTIM
    /// deadline while the timer runs (started when the machine starts it, never extended by
    /// arriving bytes; expiry is Evt18), otherwise a deadline of `timeout` for this
    /// indication, whose expiry aborts the association. A peer trickling bytes cannot hold a
    /// thread past either deadline.
    private static func next(
        _ ul: inout ULConnection, _ transport: any DicomTransport, _ timeouts: DicomTimeouts, timeout: Double?,
        waiting what: @autoclosure () -> String
    ) throws(DicomError) -> ULIndication {
        try next(&ul, transport, timeouts, MessageDeadline(seconds: timeout), waiting: what())
    }

    private static func next(
        _ ul: inout ULConnection, _ transport: any DicomTransport, _ timeouts: DicomTimeouts, _ wait: MessageDeadline,
        waiting what: @autoclosure () -> String
    ) throws(DicomError) -> ULIndication {
        var artimExpired = false
        var artimDeadline: Double?
        let replyDeadline = wait.at
        let timeout = wait.seconds
        while true {
            if let indication = ul.nextIndication() {
                try? flush(&ul, transport, timeouts)
                return indication
            }
            try flush(&ul, transport, timeouts)
            if ul.state == .idle {
                transport.close()
                if artimExpired {
                    throw DicomError(.timeout, "ARTIM timer expired after \(SystemText.formatSeconds(timeouts.artim)) s waiting for \(what()); connection closed")
                }
                throw DicomError(.connectionClosed, "the association with \(transport.peerDescription) is closed")
            }
            let artim = ul.artimRunning
            if artim, artimDeadline == nil { artimDeadline = monotonicSeconds() + timeouts.artim }
            if !artim { artimDeadline = nil }
            let deadline = artim ? artimDeadline : replyDeadline
            let bytes: [UInt8]
            do throws(DicomError) {
                let left = deadline.map { max(0, $0 - monotonicSeconds()) }
                if let left, left <= 0 { throw DicomError(.timeout, "deadline passed") }
                bytes = try transport.read(upTo: min(max(ul.bytesNeeded, 64 * 1024), readChunk), timeout: left)
            } catch where error.code == .timeout {
                if artim {
                    ul.artimExpired()
                    artimExpired = true
                    continue
                }
                ul.abort()
                try? flush(&ul, transport, timeouts)
                transport.close()
                throw DicomError(.timeout, "no answer from \(transport.peerDescription) within \(SystemText.formatSeconds(timeout ?? 0)) s while waiting for \(what()); association aborted")
            } catch {
                ul.transportClosed()
                transport.close()
                throw error
            }
            if bytes.isEmpty {
                ul.transportClosed()
            } else {
                ul.receive(bytes)
            }
        }
    }

    /// Closes after an indication that ends the association and returns the error to throw.
    private static func finish(_ ul: inout ULConnection, _ transport: any DicomTransport, _ indication: ULIndication) -> DicomError {
        let error: DicomError
        switch indication {
        case .aborted(let abort): error = DicomError(.aborted, "\(transport.peerDescription) aborted the association (\(abort))")
        case .providerAborted(let cause): error = cause
        default:
            ul.abort()
            error = DicomError(.unexpectedPDU, "unexpected \(indication) from \(transport.peerDescription) in \(ul.state)")
        }
        try? flush(&ul, transport, DicomTimeouts(write: 5))
        if ul.state == .awaitingTransportClose {
            // AA-8/AA-1 started ARTIM: the peer should now close; do not wait for it longer
            // than a moment, the error is already known.
            drainUntilClosed(&ul, transport, DicomTimeouts(artim: 1))
        }
        transport.close()
        return error
    }

    /// Sta13: waits (bounded by one ARTIM period, however much the peer still sends) for
    /// the peer to close, then closes (AR-5 / AA-2).
    private static func drainUntilClosed(_ ul: inout ULConnection, _ transport: any DicomTransport, _ timeouts: DicomTimeouts) {
        let deadline = monotonicSeconds() + timeouts.artim
        while ul.state != .idle {
            _ = ul.nextIndication()
            try? flush(&ul, transport, timeouts)
            guard ul.state != .idle else { break }
            let left = deadline - monotonicSeconds()
            do throws(DicomError) {
                guard left > 0 else { throw DicomError(.timeout, "ARTIM expired") }
                let bytes = try transport.read(upTo: 64 * 1024, timeout: left)
                if bytes.isEmpty { ul.transportClosed() } else { ul.receive(bytes) }
            } catch where error.code == .timeout {
                ul.artimExpired()
                if ul.state != .idle { ul.transportClosed() }
            } catch {
                ul.transportClosed()
            }
        }
        transport.close()
    }
}

@available(*, unavailable)
extension Association: Sendable {}

/// One absolute deadline (monotonic seconds) and the period it stands for, for messages.
struct MessageDeadline {
    /// When the wait ends; nil: never.
    let at: Double?
    /// The period, as said in messages ("no answer within 60 s").
    let seconds: Double?

    /// A deadline `seconds` from now (nil: none).
    init(seconds: Double?) {
        self.seconds = seconds
        at = seconds.map { monotonicSeconds() + $0 }
    }

    private init(at: Double?, seconds: Double?) {
        self.at = at
        self.seconds = seconds
    }

    /// This deadline, or `seconds` from now if that comes first.
    func capped(atMost seconds: Double) -> MessageDeadline {
        let other = monotonicSeconds() + seconds
        guard let at, at <= other else { return MessageDeadline(at: other, seconds: seconds) }
        return self
    }
}
