import Testing
@testable import DicomUL

/// PDUs with every length field lying (issue 8 §2, PS3.8 §9.3): each length of every PDU
/// type, off by ±1, zero and at its maximum, delivered to a machine in the state that
/// expects that PDU. The machine must answer with an A-ABORT and wait for the transport to
/// close (AA-8, Sta13), or, when the PDU header promises more bytes than arrived, wait for
/// them without sending anything. Never a trap, never a half-written PDU.
@Suite struct MalformedPDUTests {
    /// Offsets and widths of every length field of an encoded PDU.
    static func lengthFields(_ pdu: [UInt8]) -> [(offset: Int, width: Int)] {
        var fields = [(2, 4)]
        func be(_ at: Int, _ width: Int) -> Int {
            (0..<width).reduce(0) { $0 << 8 | Int(pdu[at + $1]) }
        }
        switch pdu[0] {
        case 1, 2:  // A-ASSOCIATE-RQ/AC: 68 fixed bytes, then items (type, reserved, length<2>)
            var p = 6 + 68
            while p + 4 <= pdu.count {
                let type = pdu[p]
                let n = be(p + 2, 2)
                fields.append((p + 2, 2))
                if type == 0x20 || type == 0x21 || type == 0x50 {
                    // Sub-items start after 4 more bytes in presentation contexts, at once in user info.
                    var q = p + 4 + (type == 0x50 ? 0 : 4)
                    while q + 4 <= min(p + 4 + n, pdu.count) {
                        fields.append((q + 2, 2))
                        let sub = pdu[q]
                        let m = be(q + 2, 2)
                        if sub == 0x54, q + 6 <= pdu.count {  // role selection: uid-length<2> inside
                            fields.append((q + 4, 2))
                        }
                        q += 4 + m
                    }
                }
                p += 4 + n
            }
        case 4:  // P-DATA-TF: PDV items, item-length<4>
            var p = 6
            while p + 4 <= pdu.count {
                fields.append((p, 4))
                p += 4 + be(p, 4)
            }
        default: break
        }
        return fields
    }

    static func set(_ pdu: [UInt8], _ f: (offset: Int, width: Int), _ change: (Int) -> Int) -> [UInt8] {
        var out = pdu
        let old = (0..<f.width).reduce(0) { $0 << 8 | Int(pdu[f.offset + $1]) }
        let v = min(max(change(old), 0), (1 << (8 * f.width)) - 1)
        for k in 0..<f.width { out[f.offset + k] = UInt8((v >> (8 * (f.width - 1 - k))) & 0xFF) }
        return out
    }

    /// A machine in the state where `pdu` is expected.
    static func machine(for pdu: [UInt8]) throws -> ULConnection {
        switch pdu[0] {
        case 2, 3:  // AC/RJ: a requestor awaiting the answer (Sta5)
            var m = ULConnection(role: .requestor, maximumDataPDULength: 16384)
            try m.requestAssociation(PDUTests.request)
            try m.transportConnected()
            _ = m.takeOutput()
            #expect(m.state == .awaitingAssociateAC)
            return m
        case 1:  // RQ: an acceptor awaiting the request (Sta2)
            var m = ULConnection(role: .acceptor, maximumDataPDULength: 16384)
            try m.transportAccepted()
            return m
        case 6:  // RP: an acceptor that requested release (Sta7)
            var m = try machine(for: [4])
            try m.requestRelease()
            _ = m.takeOutput()
            #expect(m.state == .awaitingReleaseRP)
            return m
        default:  // an established acceptor (Sta6)
            var m = ULConnection(role: .acceptor, maximumDataPDULength: 16384)
            try m.transportAccepted()
            m.receive(PDU.associateRQ(PDUTests.request).encode())
            while m.nextIndication() != nil {}
            try m.accept(PDUTests.accept)
            _ = m.takeOutput()
            #expect(m.state == .established)
            return m
        }
    }

    enum Outcome: Equatable { case aborted, waiting, accepted }

    static func deliver(_ bytes: [UInt8]) throws -> Outcome {
        var m = try machine(for: bytes)
        m.receive(bytes)
        var indications: [ULIndication] = []
        while let i = m.nextIndication() { indications.append(i) }
        let out = m.takeOutput()
        if m.state == .awaitingTransportClose {
            // Only whole A-ABORT PDUs went out: AA-8, then AA-7 for any further invalid PDU
            // received in Sta13 (PS3.8 Table 9-10).
            #expect(!out.isEmpty && out.count % 10 == 0, "output \(out)")
            for k in stride(from: 0, to: out.count, by: 10) {
                let pdu = Array(out[k..<min(out.count, k + 10)])
                #expect((try? PDU.decode(pdu)).map { if case .abort = $0 { true } else { false } } == true, "output \(out)")
            }
            #expect(indications.contains { if case .providerAborted = $0 { true } else { false } })
            m.transportClosed()
            #expect(m.state == .idle)
            return .aborted
        }
        if indications.isEmpty && out.isEmpty { return .waiting }
        return .accepted
    }

    @Test func everyLengthFieldLying() throws {
        var cases = 0, aborted = 0
        var accepted: [String] = []
        #expect(PDUTests.allPDUs.count == 7)
        for pdu in PDUTests.allPDUs {
            let bytes = pdu.encode()
            #expect(try Self.deliver(bytes) != .aborted, "the unmodified \(pdu.type) is accepted")
            let fields = Self.lengthFields(bytes)
            for field in fields {
                for (name, change) in [("+1", { (n: Int) in n + 1 }), ("-1", { $0 - 1 }), ("zero", { _ in 0 }), ("max", { _ in Int.max })] {
                    let bad = Self.set(bytes, field, change)
                    if bad == bytes { continue }
                    cases += 1
                    let outcome = try Self.deliver(bad)
                    switch outcome {
                    case .aborted: aborted += 1
                    case .waiting:
                        // Only a header that promises more than arrived may leave the machine waiting.
                        #expect(field.offset == 2 && name == "+1", "\(pdu.type) length at \(field.offset) \(name) left the machine waiting")
                    case .accepted:
                        accepted.append("\(pdu.type)@\(field.offset)\(name)")
                    }
                }
            }
        }
        #expect(cases > 120)
        print("lying PDU lengths: \(cases) cases, \(aborted) A-ABORTs, the rest waiting for promised bytes")
        #expect(accepted.isEmpty, "lying lengths accepted: \(accepted)")
        #expect(aborted >= cases - 8)
    }

    @Test func truncatedAtEveryByteThenTheTransportCloses() throws {
        var cases = 0
        for pdu in PDUTests.allPDUs {
            let bytes = pdu.encode()
            for cut in 0..<bytes.count {
                cases += 1
                var m = try Self.machine(for: bytes)
                m.receive(bytes.prefix(cut))
                while m.nextIndication() != nil {}
                #expect(m.takeOutput().isEmpty && m.bytesNeeded > 0)
                // The peer goes away mid-PDU: the machine ends in Sta1 without writing.
                m.transportClosed()
                #expect(m.state == .idle || m.state == .awaitingTransportClose)
            }
        }
        #expect(cases > 300)
        print("truncated PDUs: \(cases) cuts")
    }

    @Test func anAcceptorWaitingForARequestIsAbortedByARTIM() throws {
        var m = ULConnection(role: .acceptor, maximumDataPDULength: 16384)
        try m.transportAccepted()
        m.receive(PDU.associateRQ(PDUTests.request).encode().prefix(20))
        while m.nextIndication() != nil {}
        #expect(m.artimRunning)
        m.artimExpired()
        // AA-2: stop ARTIM, close the transport (nothing is sent in Sta2).
        #expect(m.state == .idle)
        #expect(m.wantsTransportClose)
    }
}
