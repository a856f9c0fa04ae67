/// The DICOM upper-layer protocol machine for one association, without I/O (STYLE §2).
///
/// Bytes from the transport go in through ``receive(_:)-([UInt8])``; local primitives are methods
/// (``requestAssociation(_:)``, ``accept(_:)``, ``sendData(_:)``, ``requestRelease()``, ...);
/// expiry of the ARTIM timer is an input (``artimExpired()``, Evt18). Out come bytes to write
/// (``takeOutput()``, whole PDUs), indications (``nextIndication()``), and the timer and
/// transport commands (``artimRunning``, ``wantsTransportClose``). Every transition is a
/// lookup in ``ULStateTable`` (PS3.8 Table 9-10) followed by its action.
public struct ULConnection: Sendable {
    /// Which side of the association this machine plays.
    public enum Role: Sendable { case requestor, acceptor }

    /// The role.
    public let role: Role
    /// The current state.
    public private(set) var state: ULState = .idle
    /// The last action performed (for tests and diagnostics).
    public private(set) var lastAction: ULAction?
    /// Whether the ARTIM timer should be running (PS3.8 §9.1.5); the driver arms a deadline.
    public private(set) var artimRunning = false
    /// Whether the transport connection should now be closed.
    public var wantsTransportClose: Bool { state == .idle && lastAction != nil }
    /// Largest P-DATA-TF body accepted (our advertised maximum length plus PDU framing).
    public let maximumDataPDULength: Int
    /// Largest body accepted for every other PDU.
    public let maximumControlPDULength: Int

    private var output: [UInt8] = []
    private var framer: PDUFramer
    private var pendingRequest: AssociateRQ?
    private var indications: [ULIndication] = []
    private var receivedAnyPDU = false

    /// Creates a machine in Sta1. `maximumDataPDULength` bounds received P-DATA-TF bodies
    /// (PS3.8 Annex D.1: the maximum length we advertise); anything longer is an invalid PDU.
    public init(role: Role, maximumDataPDULength: Int, maximumControlPDULength: Int = PDUHeader.defaultMaximumLength) {
        self.role = role
        self.maximumDataPDULength = maximumDataPDULength
        self.maximumControlPDULength = maximumControlPDULength
        framer = PDUFramer(maximumDataPDULength: maximumDataPDULength, maximumControlPDULength: maximumControlPDULength)
    }

    // MARK: Local primitives (requestor)

    /// A-ASSOCIATE request (Evt1 → AE-1): the driver must now open the transport connection.
    public mutating func requestAssociation(_ request: AssociateRQ) throws(DicomError) {
        pendingRequest = request
        try fire(.associateRequest)
    }

    /// Transport connect confirmation (Evt2 → AE-2): sends the A-ASSOCIATE-RQ.
    public mutating func transportConnected() throws(DicomError) {
        try fire(.transportConnectConfirm)
    }

    // MARK: Local primitives (acceptor)

    /// Transport connection indication (Evt5 → AE-5): starts ARTIM and awaits the request.
    public mutating func transportAccepted() throws(DicomError) {
        try fire(.transportConnectIndication)
    }

    /// A-ASSOCIATE response, accept (Evt7 → AE-7).
    public mutating func accept(_ answer: AssociateAC) throws(DicomError) {
        try fire(.associateAccept, sending: .associateAC(answer))
    }

    /// A-ASSOCIATE response, reject (Evt8 → AE-8).
    public mutating func reject(_ answer: AssociateRJ) throws(DicomError) {
        try fire(.associateReject, sending: .associateRJ(answer))
    }

    // MARK: Local primitives (both)

    /// P-DATA request (Evt9 → DT-1 or AR-7).
    public mutating func sendData(_ data: PDataTF) throws(DicomError) {
        try fire(.dataRequest, sending: .dataTF(data))
    }

    /// P-DATA request with an already encoded P-DATA-TF PDU (header included), so streamed
    /// data is not re-encoded. The caller builds it with ``PDataTF`` framing rules.
    public mutating func sendEncodedData(_ pdu: [UInt8]) throws(DicomError) {
        try fire(.dataRequest, encoded: pdu)
    }

    /// P-DATA request for a PDU the driver writes to the transport itself, straight after
    /// the bytes of ``takeOutput()``: the machine checks the state and moves it (Evt9 → DT-1
    /// or AR-7) and queues nothing, so a large data set is not copied into the outbox. The
    /// caller frames the PDU with ``PDVFragmenter`` rules.
    public mutating func sendDataWrittenByCaller() throws(DicomError) {
        try fire(.dataRequest)
    }

    /// A-RELEASE request (Evt11 → AR-1).
    public mutating func requestRelease() throws(DicomError) {
        try fire(.releaseRequest, sending: .releaseRQ)
    }

    /// A-RELEASE response (Evt14 → AR-4 or AR-9).
    public mutating func respondRelease() throws(DicomError) {
        try fire(.releaseResponse, sending: .releaseRP)
    }

    /// A-ABORT request (Evt15 → AA-1 or AA-2). Ignored where Table 9-10 has no cell.
    public mutating func abort() {
        guard ULStateTable.action(for: .abortRequest, in: state) != nil else { return }
        try? fire(.abortRequest, sending: .abort(.byUser))
    }

    // MARK: Transport and timer inputs

    /// Transport connection closed indication (Evt17).
    public mutating func transportClosed() {
        guard ULStateTable.action(for: .transportClosed, in: state) != nil else { return }
        try? fire(.transportClosed)
    }

    /// ARTIM timer expired (Evt18 → AA-2).
    public mutating func artimExpired() {
        guard ULStateTable.action(for: .artimExpired, in: state) != nil else { return }
        try? fire(.artimExpired)
    }

    /// Bytes received from the transport, cut anywhere; call ``nextIndication()`` afterwards.
    /// An array holding only whole PDUs is adopted as it is, without a copy.
    public mutating func receive(_ bytes: [UInt8]) {
        framer.append(bytes)
    }

    /// Bytes received from the transport; call ``nextIndication()`` afterwards.
    public mutating func receive(_ bytes: some Collection<UInt8>) {
        framer.append(Array(bytes))
    }

    /// Bytes received from the transport, copied once (the async driver's path); call
    /// ``nextIndication()`` afterwards.
    public mutating func receive(_ bytes: UnsafeRawBufferPointer) {
        unsafe framer.append(bytes)
    }

    /// Whether a whole PDU is buffered (a header over the limits fails as soon as it is
    /// decoded, whatever this says).
    public var hasWholePDU: Bool { framer.hasWholePDU }

    /// How many more bytes the machine needs before it can decode the next PDU (at least 1).
    public var bytesNeeded: Int { framer.bytesNeeded }

    /// The capacity of the buffer of an incomplete PDU (tests).
    var receiveCapacityForTesting: Int { framer.partialCapacity }

    /// The next indication, decoding buffered PDUs as needed; nil when more bytes are needed.
    /// A malformed PDU becomes Evt19 (A-ABORT sent) and a `.providerAborted` indication.
    public mutating func nextIndication() -> ULIndication? {
        while indications.isEmpty, state != .idle, let pdu = decodeNext() {
            switch pdu {
            case .success(let pdu):
                try? fire(ULEvent(received: pdu), received: pdu)
            case .failure(let error):
                try? fire(.invalidPDUReceived, error: error)
            }
        }
        return indications.isEmpty ? nil : indications.removeFirst()
    }

    /// The bytes to write to the transport (whole PDUs), emptying the outbox.
    public mutating func takeOutput() -> [UInt8] {
        defer { output = [] }
        return output
    }

    /// Whether there are bytes to write.
    public var hasOutput: Bool { !output.isEmpty }

    // MARK: The table-driven core

    private mutating func decodeNext() -> Result<PDU, DicomError>? {
        guard let headerBytes = framer.frontHeader else { return nil }
        let header: PDUHeader
        do throws(DicomError) {
            if !receivedAnyPDU, ProtocolSniffer.looksLikeTLSRecord(headerBytes) {
                throw ProtocolSniffer.tlsOnPlainPortError
            }
            header = try PDUHeader(headerBytes, maximumLength: framer.limit(forType: headerBytes[headerBytes.startIndex]))
        } catch {
            framer.removeAll()
            return .failure(error)
        }
        // The PDU decodes straight from the receive buffer: PDV fragments are slices of it.
        guard let body = framer.takeBody(length: header.length) else { return nil }
        receivedAnyPDU = true
        do {
            return .success(try PDU.decode(type: header.type, body: body))
        } catch {
            return .failure(error)
        }
    }

    private mutating func fire(
        _ event: ULEvent, sending pdu: PDU? = nil, encoded: [UInt8]? = nil, received: PDU? = nil, error: DicomError? = nil
    ) throws(DicomError) {
        guard let action = ULStateTable.action(for: event, in: state) else {
            throw DicomError(.invalidState, "\(event) is not allowed in \(state) (PS3.8 Table 9-10)")
        }
        lastAction = action
        var acceptable = true
        switch action {
        case .ae1:
            break  // the driver opens the transport
        case .ae2:
            if let request = pendingRequest { write(.associateRQ(request)) }
        case .ae3:
            if case .associateAC(let ac)? = received { indications.append(.associateAccepted(ac)) }
        case .ae4:
            if case .associateRJ(let rj)? = received { indications.append(.associateRejected(rj)) }
        case .ae5:
            artimRunning = true
        case .ae6:
            artimRunning = false
            if case .associateRQ(let rq)? = received {
                if rq.protocolVersion & 1 == 0 {
                    acceptable = false
                    write(.associateRJ(.protocolVersionNotSupported))
                    artimRunning = true
                } else {
                    indications.append(.associateRequest(rq))
                }
            }
        case .ae7, .ar9:
            if let pdu { write(pdu) }
        case .ae8, .ar4:
            if let pdu { write(pdu) }
            artimRunning = true
        case .dt1, .ar7:
            if let encoded { writeEncoded(encoded) } else if let pdu { write(pdu) }
        case .dt2, .ar6:
            if case .dataTF(let data)? = received { indications.append(.data(data)) }
        case .ar1:
            if let pdu { write(pdu) }
        case .ar2, .ar8:
            indications.append(.releaseRequested)
        case .ar3, .ar10:
            indications.append(.releaseConfirmed)
        case .ar5, .aa5:
            artimRunning = false
        case .aa1:
            if event == .abortRequest {
                write(.abort(.byUser))
            } else {
                // Sta2: the peer sent something other than an A-ASSOCIATE-RQ. The abort goes out
                // as Table 9-10 says; the cause is also reported so the acceptor can log it.
                let cause = error ?? DicomError(
                    .unexpectedPDU, "received \(received?.type.description ?? event.description) before any A-ASSOCIATE-RQ",
                    abortReason: .unexpectedPDU)
                write(.abort(Abort(source: .serviceProvider, reason: cause.abortReason)))
                indications.append(.providerAborted(cause))
            }
            artimRunning = true
        case .aa2:
            artimRunning = false
        case .aa3:
            if case .abort(let abort)? = received {
                if abort.source == .serviceUser {
                    indications.append(.aborted(abort))
                } else {
                    indications.append(.providerAborted(DicomError(.aborted, "the peer's upper layer aborted the association: \(abort)")))
                }
            }
        case .aa4:
            indications.append(.providerAborted(DicomError(.connectionClosed, "the peer closed the connection in \(state) without releasing the association")))
        case .aa6:
            break
        case .aa7:
            write(.abort(Abort(source: .serviceProvider, reason: error?.abortReason ?? .unexpectedPDU)))
        case .aa8:
            let cause = error ?? DicomError(
                .unexpectedPDU, "received \(received?.type.description ?? event.description) in \(state), which PS3.8 Table 9-10 does not allow",
                abortReason: .unexpectedPDU)
            write(.abort(Abort(source: .serviceProvider, reason: cause.abortReason)))
            indications.append(.providerAborted(cause))
            artimRunning = true
        }
        state = action.nextState(isRequestor: role == .requestor, acceptable: acceptable)
    }

    private mutating func write(_ pdu: PDU) {
        writeEncoded(pdu.encode())
    }

    private mutating func writeEncoded(_ bytes: [UInt8]) {
        if output.isEmpty { output = bytes } else { output += bytes }
    }
}
