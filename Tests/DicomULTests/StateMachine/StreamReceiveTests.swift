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

    /// A PDU within the limits is buffered whole without growing as it arrives; a header
    /// alone never reserves more than `PDUFramer.largestReservation`.
    @Test func theBufferIsSizedFromTheHeaderWithinLimits() throws {
        var m = ULConnection(role: .acceptor, maximumDataPDULength: 64 << 20)
        try m.transportAccepted()
        // P-DATA-TF headers: 65,536 bytes of body, then (another machine) 64 MiB.
        unsafe [UInt8]([0x04, 0, 0, 1, 0, 0]).withUnsafeBytes { unsafe m.receive($0) }
        #expect(m.receiveCapacityForTesting >= 65_542)
        var hostile = ULConnection(role: .acceptor, maximumDataPDULength: 64 << 20)
        try hostile.transportAccepted()
        unsafe [UInt8]([0x04, 0, 0x04, 0, 0, 0]).withUnsafeBytes { unsafe hostile.receive($0) }
        #expect(hostile.receiveCapacityForTesting < PDUFramer.largestReservation)
        #expect(hostile.bytesNeeded == 64 << 20)
    }
}
