import DicomUL
import NIOCore
import NIOEmbedded
import Testing
@testable import DicomNIO

/// The driver's requestor timers on an `EmbeddedChannel` (virtual time, no threads).
@Suite struct RequestorTimerTests {
    static let sopClass = DicomUID.secondaryCaptureImageStorage
    static let syntax = DicomUID.explicitVRLittleEndian

    /// A requestor's handler on an embedded channel, past the A-ASSOCIATE-AC.
    static func established(reply: Double) throws -> EmbeddedChannel {
        let user = UserInformation(
            maximumLength: 16384, implementationClassUID: DicomUID.implementationClassUID,
            implementationVersionName: DicomUID.implementationVersionName)
        let rq = AssociateRQ(
            calledAETitle: "SCP", callingAETitle: "SCU",
            presentationContexts: [PresentationContextProposal(id: 1, abstractSyntax: sopClass, transferSyntaxes: [syntax])], userInformation: user)
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            DicomULHandler(requestor: rq, configuration: .init(timeouts: DicomTimeouts(reply: reply, idle: nil, message: nil))))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 104)).wait()
        #expect(try channel.readOutbound(as: ByteBuffer.self)?.readableBytesView.first == 0x01)  // the A-ASSOCIATE-RQ
        let ac = AssociateAC(
            calledAETitle: "SCP", callingAETitle: "SCU",
            presentationContexts: [PresentationContextResult(id: 1, result: .acceptance, transferSyntax: syntax)], userInformation: user)
        try channel.writeInbound(ByteBuffer(bytes: PDU.associateAC(ac).encode()))
        #expect(try channel.readInbound(as: DicomInbound.self) == .associateAccepted(ac))
        channel.read()  // what an async channel asks for: the read timer counts from here
        return channel
    }

    /// The reply time counts from the end of the request's data set, as the blocking
    /// Association's does: sending a data set for longer than the reply timeout is fine.
    @Test func replyTimerStartsAfterTheDataSet() throws {
        let channel = try Self.established(reply: 2)
        let rq = DIMSE.storeRequest(messageID: 1, sopClassUID: Self.sopClass, sopInstanceUID: "1.2.3")
        try channel.writeOutbound(DicomOutbound.command(rq, contextID: 1))
        channel.embeddedEventLoop.advanceTime(by: .seconds(5))
        #expect(channel.isActive, "the association was aborted while the data set was still being sent")
        try channel.writeOutbound(DicomOutbound.dataFragment([1, 2, 3, 4], contextID: 1, isLast: false))
        channel.embeddedEventLoop.advanceTime(by: .seconds(5))
        #expect(channel.isActive)
        try channel.writeOutbound(DicomOutbound.dataFragment([5, 6], contextID: 1, isLast: true))
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(channel.isActive)
        // No response within the reply time after the data set: A-ABORT, then close.
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
        var sent: [UInt8] = []
        while let b = try channel.readOutbound(as: ByteBuffer.self) { sent = Array(b.readableBytesView) }
        #expect(sent.first == 0x07, "the last PDU sent is an A-ABORT")
        #expect(throws: DicomError.self) { try channel.throwIfErrorCaught() }
    }

    /// A request without a data set: the reply time counts from its command.
    @Test func replyTimerStartsAtACommandWithoutDataSet() throws {
        let channel = try Self.established(reply: 2)
        try channel.writeOutbound(DicomOutbound.command(DIMSE.echoRequest(messageID: 1), contextID: 1))
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
    }
}
