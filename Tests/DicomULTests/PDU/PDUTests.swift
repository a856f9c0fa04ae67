import Testing
@testable import DicomUL

/// PDU encoding, strict decoding and fuzz-style robustness (PS3.8 §9.3).
@Suite struct PDUTests {
    static let request = AssociateRQ(
        calledAETitle: "STORESCP", callingAETitle: "DICOMTLS",
        presentationContexts: [
            PresentationContextProposal(id: 1, abstractSyntax: "1.2.840.10008.1.1", transferSyntaxes: ["1.2.840.10008.1.2"]),
            PresentationContextProposal(
                id: 3, abstractSyntax: "1.2.840.10008.5.1.4.1.1.7",
                transferSyntaxes: ["1.2.840.10008.1.2.1", "1.2.840.10008.1.2"]),
        ],
        userInformation: UserInformation(
            maximumLength: 16384, implementationClassUID: "2.25.1234", implementationVersionName: "TEST_1",
            asynchronousOperationsWindow: .init(invoked: 1, performed: 1),
            roleSelections: [.init(sopClassUID: "1.2.840.10008.5.1.4.1.1.7", scuRole: true, scpRole: false)],
            unknownSubItems: [.init(type: 0x58, value: [1, 0, 0, 3, 0x61, 0x62, 0x63, 0, 0])]))

    static let accept = AssociateAC(
        calledAETitle: "STORESCP", callingAETitle: "DICOMTLS",
        presentationContexts: [
            PresentationContextResult(id: 1, result: .acceptance, transferSyntax: "1.2.840.10008.1.2"),
            PresentationContextResult(id: 3, result: .transferSyntaxesNotSupported, transferSyntax: "1.2.840.10008.1.2"),
        ],
        userInformation: UserInformation(maximumLength: 0, implementationClassUID: "2.25.99"))

    static let allPDUs: [PDU] = [
        .associateRQ(request), .associateAC(accept), .associateRJ(.calledAETitleNotRecognized),
        .dataTF(PDataTF(values: [
            PresentationDataValue(contextID: 1, isCommand: true, isLast: true, data: [1, 2, 3, 4][...]),
            PresentationDataValue(contextID: 3, isCommand: false, isLast: false, data: [][...]),
        ])),
        .releaseRQ, .releaseRP, .abort(Abort(source: .serviceProvider, reason: .invalidPDUParameterValue)),
    ]

    @Test func roundTripsEveryPDU() throws {
        #expect(Self.allPDUs.count == 7)
        for pdu in Self.allPDUs {
            let bytes = pdu.encode()
            #expect(bytes.count >= 10)
            #expect(bytes[0] == pdu.type.rawValue)
            #expect(try PDU.decode(bytes) == pdu)
        }
    }

    /// A-ASSOCIATE-RQ bytes laid out by hand from PS3.8 Table 9-11 (not our encoder's output).
    @Test func decodesHandBuiltAssociateRQ() throws {
        var body: [UInt8] = [0x00, 0x01, 0, 0]
        body += Array("ANY-SCP         ".utf8) + Array("ECHOSCU         ".utf8) + [UInt8](repeating: 0, count: 32)
        let app = Array("1.2.840.10008.3.1.1.1".utf8)
        body += [0x10, 0, 0, UInt8(app.count)] + app
        let abs = Array("1.2.840.10008.1.1".utf8), ts = Array("1.2.840.10008.1.2".utf8)
        let pcLen = 4 + 4 + abs.count + 4 + ts.count
        body += [0x20, 0, 0, UInt8(pcLen), 1, 0, 0xFF, 0] + [0x30, 0, 0, UInt8(abs.count)] + abs + [0x40, 0, 0, UInt8(ts.count)] + ts
        let uid = Array("1.2.276.0.7230010.3.0.3.6.7".utf8)
        let uiLen = 8 + 4 + uid.count
        body += [0x50, 0, 0, UInt8(uiLen), 0x51, 0, 0, 4, 0, 0, 0x40, 0] + [0x52, 0, 0, UInt8(uid.count)] + uid
        let pdu = [0x01, 0, 0, 0, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
        guard case .associateRQ(let rq) = try PDU.decode(pdu) else {
            Issue.record("not an A-ASSOCIATE-RQ")
            return
        }
        #expect(rq.calledAETitle == "ANY-SCP")
        #expect(rq.callingAETitle == "ECHOSCU")
        #expect(rq.presentationContexts == [PresentationContextProposal(id: 1, abstractSyntax: "1.2.840.10008.1.1", transferSyntaxes: ["1.2.840.10008.1.2"])])
        #expect(rq.userInformation.maximumLength == 16384)
        #expect(rq.userInformation.implementationClassUID == "1.2.276.0.7230010.3.0.3.6.7")
    }

    @Test func keepsUnknownUserInformationSubItems() throws {
        guard case .associateRQ(let rq) = try PDU.decode(PDU.associateRQ(Self.request).encode()) else {
            Issue.record("not an A-ASSOCIATE-RQ")
            return
        }
        #expect(rq.userInformation.unknownSubItems == [.init(type: 0x58, value: [1, 0, 0, 3, 0x61, 0x62, 0x63, 0, 0])])
    }

    /// Every proper prefix of every PDU must be rejected with a typed error, never a trap.
    @Test func truncationAtEveryByteIsAnError() {
        var checked = 0
        for pdu in Self.allPDUs {
            let bytes = pdu.encode()
            for cut in 0..<bytes.count {
                #expect(throws: DicomError.self) { try PDU.decode(Array(bytes.prefix(cut))) }
                // Truncating the body but patching the header length to match must also fail
                // (a lying inner length now reaches past its container) or decode to something else.
                if cut > PDU.headerLength {
                    var patched = Array(bytes.prefix(cut))
                    patched.patchUInt32Length(at: 2)
                    if let decoded = try? PDU.decode(patched) { #expect(decoded != pdu) }
                }
                checked += 1
            }
        }
        #expect(checked > 500)
    }

    /// Every 16- and 32-bit length field rewritten to lie (bigger and smaller): an error or a
    /// different PDU, never a crash.
    @Test func lyingLengthsAreRejected() {
        var mutations = 0
        for pdu in Self.allPDUs {
            let bytes = pdu.encode()
            for i in PDU.headerLength..<bytes.count {
                for delta in [1, 0x7F, 0xFF] {
                    var m = bytes
                    m[i] = m[i] &+ UInt8(delta)
                    _ = try? PDU.decode(m)
                    mutations += 1
                }
            }
        }
        #expect(mutations > 1000)
        // A concrete lie: the presentation context item claims more bytes than its container.
        var bytes = PDU.associateRQ(Self.request).encode()
        let itemOffset = 74 + 4 + 21  // after the fixed fields and the application context item
        #expect(bytes[itemOffset] == 0x20)
        bytes[itemOffset + 2] = 0xFF
        #expect(throws: DicomError.self) { try PDU.decode(bytes) }
    }

    @Test func unknownPDUTypeIsUnrecognized() {
        for type: UInt8 in [0x00, 0x08, 0x10, 0xFF] {
            do {
                _ = try PDU.decode([type, 0, 0, 0, 0, 4, 0, 0, 0, 0])
                Issue.record("type \(type) decoded")
            } catch {
                #expect(error.code == .invalidPDU)
                #expect(error.abortReason == .unrecognizedPDU)
            }
        }
    }

    @Test func oversizePDUIsRefusedBeforeAllocation() {
        do {
            _ = try PDUHeader([0x04, 0, 0xFF, 0xFF, 0xFF, 0xFF][...], maximumLength: 16384)
            Issue.record("accepted a 4 GiB PDU")
        } catch {
            #expect(error.code == .pduTooLarge)
        }
    }

    @Test func tlsRecordOnPlainPortIsNamed() {
        // A TLS 1.0 ClientHello record header.
        do {
            _ = try PDUHeader([0x16, 0x03, 0x01, 0x00, 0x9A, 0x01][...], maximumLength: 1 << 20)
            Issue.record("TLS bytes parsed as a PDU")
        } catch {
            #expect(error.code == .protocolMismatch)
            #expect(error.message.contains("peer is speaking TLS on a plain DICOM port"))
        }
        #expect(ProtocolSniffer.looksLikeAssociateRQ(PDU.associateRQ(Self.request).encode()[...]))
        #expect(!ProtocolSniffer.looksLikeAssociateRQ([0x16, 0x03, 0x01, 0, 5, 1, 0, 0][...]))
    }

    @Test func pdvRulesAreEnforced() {
        // Reserved bits in the message control header.
        #expect(throws: DicomError.self) { try PDU.decode([0x04, 0, 0, 0, 0, 6, 0, 0, 0, 2, 1, 0x04]) }
        // PDV item length 1 (shorter than its header).
        #expect(throws: DicomError.self) { try PDU.decode([0x04, 0, 0, 0, 0, 5, 0, 0, 0, 1, 1]) }
        // Empty P-DATA-TF.
        #expect(throws: DicomError.self) { try PDU.decode([0x04, 0, 0, 0, 0, 0]) }
        // Trailing garbage after A-RELEASE-RQ.
        #expect(throws: DicomError.self) { try PDU.decode([0x05, 0, 0, 0, 0, 5, 0, 0, 0, 0, 9]) }
    }

    @Test func evenPresentationContextIDIsInvalid() {
        var rq = Self.request
        rq.presentationContexts[0].id = 2
        #expect(throws: DicomError.self) { try PDU.decode(PDU.associateRQ(rq).encode()) }
        var ac = Self.accept
        ac.presentationContexts[0].id = 4
        #expect(throws: DicomError.self) { try PDU.decode(PDU.associateAC(ac).encode()) }
    }

    @Test func rejectDescriptionsNameTheReason() {
        #expect(AssociateRJ.calledAETitleNotRecognized.description.contains("called-AE-title-not-recognized"))
        #expect(AETitle.isValid("STORESCP"))
        #expect(!AETitle.isValid("THIS-IS-MORE-THAN-16"))
        #expect(!AETitle.isValid("A\\B"))
    }
}
