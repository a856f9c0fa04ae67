import DicomUL
import NIOCore
import NIOEmbedded
import Testing
@testable import DicomNIO

/// The framer passes whole PDUs on and never buffers a hostile length.
@Suite struct PDUFrameDecoderTests {
    func channel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(
            ByteToMessageHandler(PDUFrameDecoder(maximumDataPDULength: 1024, maximumControlPDULength: 256)))
        return channel
    }

    @Test func splitsAndJoinsPDUs() throws {
        let channel = try channel()
        // A-RELEASE-RQ (PS3.8 Table 9-24): type 5, length 4, 4 reserved bytes; twice, cut mid-PDU.
        let two: [UInt8] = [0x05, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0x05, 0, 0, 0, 0, 4, 0, 0, 0, 0]
        try channel.writeInbound(ByteBuffer(bytes: two[0..<7]))
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        try channel.writeInbound(ByteBuffer(bytes: two[7...]))
        #expect(try channel.readInbound(as: ByteBuffer.self).map { Array($0.readableBytesView) } == Array(two[0..<10]))
        #expect(try channel.readInbound(as: ByteBuffer.self).map { Array($0.readableBytesView) } == Array(two[10...]))
        _ = try channel.finish()
    }

    @Test func oversizeLengthPassesOnlyTheHeader() throws {
        let channel = try channel()
        // A P-DATA-TF claiming 4 GiB - 1: only the header goes on; what follows is dropped.
        try channel.writeInbound(ByteBuffer(bytes: [0x04, 0, 0xFF, 0xFF, 0xFF, 0xFF] + [UInt8](repeating: 7, count: 5000)))
        #expect(try channel.readInbound(as: ByteBuffer.self).map { Array($0.readableBytesView) } == [0x04, 0, 0xFF, 0xFF, 0xFF, 0xFF])
        try channel.writeInbound(ByteBuffer(bytes: [UInt8](repeating: 1, count: 5000)))
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        _ = try channel.finish()
    }
}
