import Foundation
import Testing
@testable import DicomUL

/// Presentation context negotiation and association rejection (PS3.8 Tables 9-18 and 9-21).
@Suite struct NegotiationTests {
    static let policy = AcceptancePolicy(
        aeTitle: "SCP", allowedCallingAETitles: ["SCU"],
        abstractSyntaxes: [DicomUID.verification, "1.2.3.4"], acceptsAllStorageClasses: true,
        refusedAbstractSyntaxes: ["1.2.3.4"], transferSyntaxes: [DicomUID.implicitVRLittleEndian, DicomUID.explicitVRLittleEndian],
        maximumPresentationContexts: 4)

    static func request(called: String = "SCP", calling: String = "SCU", contexts: [PresentationContextProposal]) -> AssociateRQ {
        AssociateRQ(calledAETitle: called, callingAETitle: calling, presentationContexts: contexts,
                    userInformation: UserInformation(maximumLength: 16384, implementationClassUID: "2.25.1"))
    }

    @Test func everyResultCode() {
        let rq = Self.request(contexts: [
            .init(id: 1, abstractSyntax: DicomUID.verification, transferSyntaxes: [DicomUID.explicitVRBigEndian, DicomUID.explicitVRLittleEndian]),
            .init(id: 3, abstractSyntax: "1.2.3.4", transferSyntaxes: [DicomUID.implicitVRLittleEndian]),
            .init(id: 5, abstractSyntax: "1.9.9.9", transferSyntaxes: [DicomUID.implicitVRLittleEndian]),
            .init(id: 7, abstractSyntax: DicomUID.secondaryCaptureImageStorage, transferSyntaxes: ["1.2.840.10008.1.2.4.50"]),
            .init(id: 9, abstractSyntax: DicomUID.verification, transferSyntaxes: [DicomUID.implicitVRLittleEndian]),
        ])
        guard case .accept(let ac) = Self.policy.answer(rq, maximumReceivePDULength: 32768) else {
            Issue.record("rejected")
            return
        }
        #expect(ac.presentationContexts.map(\.id) == [1, 3, 5, 7, 9])
        #expect(ac.presentationContexts.map(\.result) == [.acceptance, .userRejection, .abstractSyntaxNotSupported, .transferSyntaxesNotSupported, .noReason])
        // The requestor's preference order among supported transfer syntaxes wins.
        #expect(ac.presentationContexts[0].transferSyntax == DicomUID.explicitVRLittleEndian)
        #expect(ac.userInformation.maximumLength == 32768)
        #expect(ac.userInformation.implementationClassUID == DicomUID.implementationClassUID)
        #expect(ac.calledAETitle == "SCP" && ac.callingAETitle == "SCU")
    }

    @Test func rejectionsNameResultSourceAndReason() {
        let ctx = [PresentationContextProposal(id: 1, abstractSyntax: DicomUID.verification, transferSyntaxes: [DicomUID.implicitVRLittleEndian])]
        #expect(Self.policy.answer(Self.request(called: "OTHER", contexts: ctx), maximumReceivePDULength: 0) == .reject(AssociateRJ(result: 1, source: 1, reason: 7)))
        #expect(Self.policy.answer(Self.request(calling: "STRANGER", contexts: ctx), maximumReceivePDULength: 0) == .reject(AssociateRJ(result: 1, source: 1, reason: 3)))
        let open = AcceptancePolicy.storageSCP(aeTitle: nil)
        #expect(open.answer(Self.request(called: "", contexts: ctx), maximumReceivePDULength: 0) == .reject(.calledAETitleNotRecognized))
        #expect(open.answer(Self.request(calling: "", contexts: ctx), maximumReceivePDULength: 0) == .reject(.callingAETitleNotRecognized))
        var rq = Self.request(contexts: ctx)
        rq.applicationContextName = "1.2.3"
        #expect(Self.policy.answer(rq, maximumReceivePDULength: 0) == .reject(AssociateRJ(result: 1, source: 1, reason: 2)))
    }

    @Test func implementationClassUIDIsTheUUIDUnder2_25() {
        // 7d3f9a52-1c4b-4e8d-9a06-3b5e2f71c8d4 as a 128-bit integer, in decimal.
        #expect(DicomUID.decimal(hi: 0x7d3f_9a52_1c4b_4e8d, lo: 0x9a06_3b5e_2f71_c8d4) == "166483744171747087448638235296266307796")
        #expect(DicomUID.implementationClassUID == "2.25.166483744171747087448638235296266307796")
        #expect(DicomUID.decimal(hi: 0, lo: 0) == "0")
        #expect(DicomUID.decimal(hi: UInt64.max, lo: UInt64.max) == "340282366920938463463374607431768211455")
        #expect(DicomUID.isValid(DicomUID.implementationClassUID))
        #expect(DicomUID.isValid("1.2.840.10008.1.1"))
        #expect(!DicomUID.isValid("1.02.3") && !DicomUID.isValid("1..2") && !DicomUID.isValid("1.2.") && !DicomUID.isValid(""))
        #expect(!DicomUID.isValid("../etc") && !DicomUID.isValid(String(repeating: "1", count: 65)))
        let fresh = DicomUID.make()
        #expect(fresh.hasPrefix("2.25.") && fresh.count <= 64 && fresh != DicomUID.make())
    }

    /// Maximum length 0 means unlimited both ways: a 2 MB object goes in 1 MiB fragments.
    @Test func unlimitedMaximumLength() throws {
        let out = try PeerProcess.temporaryFolder("scp-unlimited")
        let server = try DicomServer(try DicomServerConfiguration(port: 0, outputDirectory: out, host: "127.0.0.1", maximumReceivePDULength: 0))
        server.start()
        defer { server.stop() }
        let src = try PeerProcess.temporaryFolder("scu-unlimited")
        let files = try PeerProcess.writeObjects(1, rows: 1500, columns: 1400, in: src)
        let client = DicomClient(try DicomClientConfiguration(host: "127.0.0.1", port: server.port, calledAETitle: "STORESCP", maximumReceivePDULength: 0))
        #expect(try client.store(file: files[0].path) == .success)
        #expect(try PeerProcess.dataSet(of: out + "/" + files[0].object.sopInstanceUID + ".dcm") == files[0].object.dataSet)
    }
}
