import Testing
@testable import DicomUL

/// The machine frames PDUs from raw bytes cut anywhere (the async driver's path).
@Suite struct StreamReceiveTests {
    @Test func rawBytesCutAnywhereFrameOnePDU() throws {
        let rq = AssociateRQ(
            calledAETitle: "SCP", callingAETitle: "SCU",
            presentationContexts: [PresentationContextProposal(id: 1, abstractSyntax: DicomUID.verification, transferSyntaxes: [DicomUID.implicitVRLittleEndian])],
            userInformation: UserInformation(maximumLength: 16384, implementationClassUID: DicomUID.implementationClassUID))
        let pdu = PDU.associateRQ(rq).encode()
        for cut in [1, 5, 6, 7, pdu.count - 1] {
            var m = ULConnection(role: .acceptor, maximumDataPDULength: 16384)
            try m.transportAccepted()
            unsafe pdu[..<cut].withUnsafeBytes { unsafe m.receive($0) }
            #expect(!m.hasWholePDU)
            #expect(m.bytesNeeded == (cut < PDU.headerLength ? PDU.headerLength - cut : pdu.count - cut))
            #expect(m.nextIndication() == nil)
            unsafe pdu[cut...].withUnsafeBytes { unsafe m.receive($0) }
            #expect(m.hasWholePDU)
            #expect(m.nextIndication() == .associateRequest(rq))
            #expect(!m.hasWholePDU)
        }
    }
}
