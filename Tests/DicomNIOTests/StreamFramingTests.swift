import DicomUL
import NIOCore
import NIOEmbedded
import Testing
@testable import DicomNIO

/// The driver frames PDUs from the byte stream itself, whatever the read boundaries
/// (TLS records, TCP segments), and refuses a hostile length from its header alone.
@Suite struct StreamFramingTests {
    static let syntax = DicomUID.explicitVRLittleEndian

    static func acceptor() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(DicomULHandler(role: .acceptor))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 104)).wait()
        return channel
    }

    static let request = AssociateRQ(
        calledAETitle: "SCP", callingAETitle: "SCU",
        presentationContexts: [PresentationContextProposal(id: 1, abstractSyntax: DicomUID.verification, transferSyntaxes: [syntax])],
        userInformation: UserInformation(maximumLength: 16384, implementationClassUID: DicomUID.implementationClassUID))

    @Test func aRequestDeliveredByteByByteIsOneIndication() throws {
        let channel = try Self.acceptor()
        let pdu = PDU.associateRQ(Self.request).encode()
        for byte in pdu.dropLast() {
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
            #expect(try channel.readInbound(as: DicomInbound.self) == nil)
        }
        try channel.writeInbound(ByteBuffer(bytes: [pdu[pdu.count - 1]]))
        #expect(try channel.readInbound(as: DicomInbound.self) == .associateRequest(Self.request))
        #expect(channel.isActive)
        _ = try? channel.finish()
    }

    @Test func twoPDUsInOneReadAndOneCutAcrossReads() throws {
        let channel = try Self.acceptor()
        let rq = PDU.associateRQ(Self.request).encode()
        try channel.writeInbound(ByteBuffer(bytes: rq))
        #expect(try channel.readInbound(as: DicomInbound.self) == .associateRequest(Self.request))
        let ac = AssociateAC(
            calledAETitle: "SCP", callingAETitle: "SCU",
            presentationContexts: [PresentationContextResult(id: 1, result: .acceptance, transferSyntax: Self.syntax)],
            userInformation: UserInformation(maximumLength: 16384, implementationClassUID: DicomUID.implementationClassUID))
        try channel.writeOutbound(DicomOutbound.accept(ac))
        // A C-ECHO-RQ command (one P-DATA-TF) and an A-RELEASE-RQ: the first read carries the
        // whole P-DATA-TF and 3 bytes of the release, the second the rest.
        let command = DIMSE.echoRequest(messageID: 7).encode()
        let pdata = PDVFragmenter.header(count: command.count, contextID: 1, isCommand: true, isLast: true) + command
        let release = PDU.releaseRQ.encode()
        try channel.writeInbound(ByteBuffer(bytes: pdata + release[0..<3]))
        #expect(try channel.readInbound(as: DicomInbound.self) == .command(contextID: 1, try CommandSet(decoding: command)))
        #expect(try channel.readInbound(as: DicomInbound.self) == nil)
        try channel.writeInbound(ByteBuffer(bytes: release[3...]))
        #expect(try channel.readInbound(as: DicomInbound.self) == .releaseRequested)
        _ = try? channel.finish()
    }

    @Test func anOversizeLengthAbortsFromItsHeader() throws {
        let channel = try Self.acceptor()
        // An A-ASSOCIATE-RQ claiming 4 GiB − 1 bytes: A-ABORT as soon as the header is in.
        let error = #expect(throws: DicomError.self) {
            try channel.writeInbound(ByteBuffer(bytes: [0x01, 0, 0xFF, 0xFF, 0xFF, 0xFF]))
        }
        #expect(error?.code == .pduTooLarge, "the error fired up the pipeline names the length")
        var sent: [UInt8] = []
        while let b = try channel.readOutbound(as: ByteBuffer.self) { sent += Array(b.readableBytesView) }
        #expect(sent.first == 0x07, "an A-ABORT is sent")
        // Sta13: the peer is given ARTIM to close first, then the connection is closed.
        channel.embeddedEventLoop.advanceTime(by: .seconds(Int64(DicomTimeouts().artim) + 1))
        #expect(!channel.isActive)
    }
}
