import Testing
@testable import DicomUL

/// Walks every (state, event) cell of PS3.8 Table 9-10 that can be driven, for both roles.
@Suite struct StateTableTests {
    /// Table 9-10 transcribed row by row (events) and column by column (Sta1…Sta13),
    /// independently of `ULStateTable`; "-" is an empty cell.
    static let transcription: [String] = [
        "AE-1 - - - - - - - - - - - -",                                  // Evt1
        "- - - AE-2 - - - - - - - - -",                                  // Evt2
        "- AA-1 AA-8 - AE-3 AA-8 AA-8 AA-8 AA-8 AA-8 AA-8 AA-8 AA-6",     // Evt3
        "- AA-1 AA-8 - AE-4 AA-8 AA-8 AA-8 AA-8 AA-8 AA-8 AA-8 AA-6",     // Evt4
        "AE-5 - - - - - - - - - - - -",                                  // Evt5
        "- AE-6 AA-8 - AA-8 AA-8 AA-8 AA-8 AA-8 AA-8 AA-8 AA-8 AA-7",     // Evt6
        "- - AE-7 - - - - - - - - - -",                                  // Evt7
        "- - AE-8 - - - - - - - - - -",                                  // Evt8
        "- - - - - DT-1 - AR-7 - - - - -",                               // Evt9
        "- AA-1 AA-8 - AA-8 DT-2 AR-6 AA-8 AA-8 AA-8 AA-8 AA-8 AA-6",     // Evt10
        "- - - - - AR-1 - - - - - - -",                                  // Evt11
        "- AA-1 AA-8 - AA-8 AR-2 AR-8 AA-8 AA-8 AA-8 AA-8 AA-8 AA-6",     // Evt12
        "- AA-1 AA-8 - AA-8 AA-8 AR-3 AA-8 AA-8 AR-10 AR-3 AA-8 AA-6",    // Evt13
        "- - - - - - - AR-4 AR-9 - - AR-4 -",                            // Evt14
        "- - AA-1 AA-2 AA-1 AA-1 AA-1 AA-1 AA-1 AA-1 AA-1 AA-1 -",        // Evt15
        "- AA-2 AA-3 - AA-3 AA-3 AA-3 AA-3 AA-3 AA-3 AA-3 AA-3 AA-2",     // Evt16
        "- AA-5 AA-4 AA-4 AA-4 AA-4 AA-4 AA-4 AA-4 AA-4 AA-4 AA-4 AR-5",  // Evt17
        "- AA-2 - - - - - - - - - - AA-2",                               // Evt18
        "- AA-1 AA-8 - AA-8 AA-8 AA-8 AA-8 AA-8 AA-8 AA-8 AA-8 AA-7",     // Evt19
    ]

    static func expected(_ event: ULEvent, _ state: ULState) -> ULAction? {
        let cells = transcription[event.rawValue - 1].split(separator: " ")
        let cell = String(cells[state.rawValue - 1])
        return cell == "-" ? nil : ULAction(rawValue: cell)
    }

    @Test func tableMatchesTranscription() {
        #expect(Self.transcription.count == 19)
        var filled = 0
        for event in ULEvent.allCases {
            #expect(Self.transcription[event.rawValue - 1].split(separator: " ").count == 13)
            for state in ULState.allCases {
                #expect(ULStateTable.action(for: event, in: state) == Self.expected(event, state), "\(state) \(event)")
                if Self.expected(event, state) != nil { filled += 1 }
            }
        }
        #expect(filled == ULStateTable.table.count)
        #expect(filled == 123)
    }

    // MARK: Driving the machine into each state

    static let rq = AssociateRQ(
        calledAETitle: "SCP", callingAETitle: "SCU",
        presentationContexts: [.init(id: 1, abstractSyntax: "1.2.840.10008.1.1", transferSyntaxes: ["1.2.840.10008.1.2"])],
        userInformation: .init(maximumLength: 16384, implementationClassUID: "2.25.1"))
    static let ac = AssociateAC(
        calledAETitle: "SCP", callingAETitle: "SCU",
        presentationContexts: [.init(id: 1, result: .acceptance, transferSyntax: "1.2.840.10008.1.2")],
        userInformation: .init(maximumLength: 16384, implementationClassUID: "2.25.1"))
    static let data = PDataTF(values: [.init(contextID: 1, isCommand: true, isLast: true, data: [0, 0][...])])

    /// A machine in `state`, with its role chosen so the state is reachable, plus that role.
    static func machine(in state: ULState, role preferred: ULConnection.Role) throws -> ULConnection {
        var m = ULConnection(role: preferred, maximumDataPDULength: 1 << 20)
        func feed(_ pdu: PDU) { m.receive(pdu.encode()); _ = m.nextIndication() }
        switch state {
        case .idle: break
        case .awaitingAssociateRQ: try m.transportAccepted()
        case .awaitingLocalAssociateResponse: try m.transportAccepted(); feed(.associateRQ(rq))
        case .awaitingTransportOpen: try m.requestAssociation(rq)
        case .awaitingAssociateAC: try m.requestAssociation(rq); try m.transportConnected()
        case .established: m = try established(role: preferred)
        case .awaitingReleaseRP: m = try established(role: preferred); try m.requestRelease()
        case .awaitingLocalReleaseResponse: m = try established(role: preferred); m.receive(PDU.releaseRQ.encode()); _ = m.nextIndication()
        case .collisionRequestorAwaitingLocalResponse: m = try collision(role: .requestor)
        case .collisionAcceptorAwaitingReleaseRP: m = try collision(role: .acceptor)
        case .collisionRequestorAwaitingReleaseRP: m = try collision(role: .requestor); try m.respondRelease()
        case .collisionAcceptorAwaitingLocalResponse:
            m = try collision(role: .acceptor); m.receive(PDU.releaseRP.encode()); _ = m.nextIndication()
        case .awaitingTransportClose: try m.transportAccepted(); feed(.associateRQ(rq)); try m.reject(.noReasonGiven)
        }
        _ = m.takeOutput()
        while m.nextIndication() != nil {}
        return m
    }

    static func established(role: ULConnection.Role) throws -> ULConnection {
        var m = ULConnection(role: role, maximumDataPDULength: 1 << 20)
        if role == .requestor {
            try m.requestAssociation(rq); try m.transportConnected()
            m.receive(PDU.associateAC(ac).encode())
        } else {
            try m.transportAccepted()
            m.receive(PDU.associateRQ(rq).encode())
        }
        _ = m.nextIndication()
        if role == .acceptor { try m.accept(ac) }
        return m
    }

    static func collision(role: ULConnection.Role) throws -> ULConnection {
        var m = try established(role: role)
        try m.requestRelease()
        m.receive(PDU.releaseRQ.encode())
        _ = m.nextIndication()
        return m
    }

    /// Applies `event` to the machine; returns false when the event cannot be driven (a local
    /// primitive in an empty cell throws `invalidState`, checked here).
    static func drive(_ event: ULEvent, _ m: inout ULConnection) -> Bool {
        func feed(_ bytes: [UInt8]) { m.receive(bytes); _ = m.nextIndication() }
        func local(_ body: (inout ULConnection) throws -> Void) -> Bool {
            do { try body(&m); return true } catch {
                #expect((error as? DicomError)?.code == .invalidState)
                return false
            }
        }
        switch event {
        case .associateRequest: return local { try $0.requestAssociation(rq) }
        case .transportConnectConfirm: return local { try $0.transportConnected() }
        case .associateACReceived: feed(PDU.associateAC(ac).encode())
        case .associateRJReceived: feed(PDU.associateRJ(.noReasonGiven).encode())
        case .transportConnectIndication: return local { try $0.transportAccepted() }
        case .associateRQReceived: feed(PDU.associateRQ(rq).encode())
        case .associateAccept: return local { try $0.accept(ac) }
        case .associateReject: return local { try $0.reject(.noReasonGiven) }
        case .dataRequest: return local { try $0.sendData(data) }
        case .dataTFReceived: feed(PDU.dataTF(data).encode())
        case .releaseRequest: return local { try $0.requestRelease() }
        case .releaseRQReceived: feed(PDU.releaseRQ.encode())
        case .releaseRPReceived: feed(PDU.releaseRP.encode())
        case .releaseResponse: return local { try $0.respondRelease() }
        case .abortRequest: m.abort()
        case .abortReceived: feed(PDU.abort(.byUser).encode())
        case .transportClosed: m.transportClosed()
        case .artimExpired: m.artimExpired()
        case .invalidPDUReceived: feed([0x09, 0, 0, 0, 0, 0])
        }
        return true
    }

    /// States in which no transport connection exists, so no PDU can arrive.
    static let unconnected: Set<ULState> = [.idle, .awaitingTransportOpen]
    static let pduEvents: Set<ULEvent> = [
        .associateACReceived, .associateRJReceived, .associateRQReceived, .dataTFReceived,
        .releaseRQReceived, .releaseRPReceived, .abortReceived, .invalidPDUReceived,
    ]

    @Test(arguments: [ULConnection.Role.requestor, .acceptor])
    func everyDrivableCell(role: ULConnection.Role) throws {
        var driven = 0
        for state in ULState.allCases {
            for event in ULEvent.allCases {
                if Self.unconnected.contains(state), Self.pduEvents.contains(event) { continue }
                var m = try Self.machine(in: state, role: role)
                let start = m.state
                let expected = Self.expected(event, start)
                let before = m.lastAction
                let ok = Self.drive(event, &m)
                guard let expected else {
                    // Empty cell: nothing happens (primitives throw, timer/close are ignored).
                    #expect(m.state == start, "\(start) \(event) moved to \(m.state)")
                    #expect(m.lastAction == before)
                    continue
                }
                #expect(ok)
                #expect(m.lastAction == expected, "\(start) \(event): \(String(describing: m.lastAction)) ≠ \(expected)")
                let isRequestor = m.role == .requestor
                #expect(m.state == expected.nextState(isRequestor: isRequestor), "\(start) \(event) → \(m.state)")
                driven += 1
            }
        }
        // Every filled cell (123) can be driven from either role.
        #expect(driven == 123)
    }

    /// A P-DATA request whose PDU the driver writes itself follows Evt9's cells exactly and
    /// queues nothing: DT-1 in Sta6, AR-7 in Sta8, an error (state unchanged) elsewhere.
    @Test(arguments: [ULConnection.Role.requestor, .acceptor])
    func dataRequestWrittenByTheCallerFollowsEvt9(role: ULConnection.Role) throws {
        for state in ULState.allCases {
            var m = try Self.machine(in: state, role: role)
            let start = m.state
            _ = m.takeOutput()
            let expected = Self.expected(.dataRequest, start)
            do {
                try m.sendDataWrittenByCaller()
                #expect(expected != nil, "\(start): a P-DATA request was allowed")
                #expect(m.lastAction == expected)
                #expect(m.state == expected?.nextState(isRequestor: m.role == .requestor))
                #expect(!m.hasOutput, "\(start): the machine queued bytes for a PDU the caller writes")
            } catch {
                #expect(expected == nil, "\(start): \(error)")
                #expect(error.code == .invalidState)
                #expect(m.state == start)
            }
        }
    }

    @Test func abortsCarryTheRightPDUs() throws {
        // AA-8: an unexpected PDU in Sta6 sends a provider A-ABORT and reports the cause.
        var m = try Self.established(role: .acceptor)
        _ = m.takeOutput()
        m.receive(PDU.associateRQ(Self.rq).encode())
        guard case .providerAborted(let e)? = m.nextIndication() else { Issue.record("no A-P-ABORT"); return }
        #expect(e.code == .unexpectedPDU)
        #expect(try PDU.decode(m.takeOutput()) == .abort(Abort(source: .serviceProvider, reason: .unexpectedPDU)))
        #expect(m.artimRunning)
        #expect(m.state == .awaitingTransportClose)
        // Evt19 in Sta6 with a lying length: invalid-PDU-parameter value in the abort.
        var n = try Self.established(role: .requestor)
        _ = n.takeOutput()
        n.receive([0x05, 0, 0, 0, 0, 2, 0, 0])
        guard case .providerAborted(let f)? = n.nextIndication() else { Issue.record("no A-P-ABORT"); return }
        #expect(f.code == .invalidPDU)
        #expect(try PDU.decode(n.takeOutput()) == .abort(Abort(source: .serviceProvider, reason: .invalidPDUParameterValue)))
        // AE-6 with an unsupported protocol version: A-ASSOCIATE-RJ from the provider, Sta13.
        var a = ULConnection(role: .acceptor, maximumDataPDULength: 16384)
        try a.transportAccepted()
        var bad = Self.rq
        bad.protocolVersion = 2
        a.receive(PDU.associateRQ(bad).encode())
        #expect(a.nextIndication() == nil)
        #expect(a.state == .awaitingTransportClose)
        #expect(try PDU.decode(a.takeOutput()) == .associateRJ(.protocolVersionNotSupported))
        // ARTIM expiry in Sta13 closes the transport.
        a.artimExpired()
        #expect(a.state == .idle)
        #expect(a.wantsTransportClose)
    }

    @Test func tlsBytesOnAcceptorGiveAClearAbort() throws {
        var a = ULConnection(role: .acceptor, maximumDataPDULength: 16384)
        try a.transportAccepted()
        a.receive([0x16, 0x03, 0x01, 0x00, 0x9A, 0x01, 0x00, 0x00])
        guard case .providerAborted(let e)? = a.nextIndication() else { Issue.record("no A-P-ABORT"); return }
        #expect(e.code == .protocolMismatch)
        #expect(a.state == .awaitingTransportClose)
    }

    @Test func oversizeDataPDUIsAborted() throws {
        var m = try Self.established(role: .requestor)
        _ = m.takeOutput()
        m.receive([0x04, 0, 0, 1, 0, 0])  // claims 65536 bytes; limit is 1 MiB here, so use a small machine
        #expect(m.nextIndication() == nil)
        var small = ULConnection(role: .acceptor, maximumDataPDULength: 1000)
        try small.transportAccepted()
        small.receive(PDU.associateRQ(Self.rq).encode())
        _ = small.nextIndication()
        try small.accept(Self.ac)
        small.receive([0x04, 0, 0, 1, 0, 0])
        guard case .providerAborted(let e)? = small.nextIndication() else { Issue.record("no A-P-ABORT"); return }
        #expect(e.code == .pduTooLarge)
    }
}
