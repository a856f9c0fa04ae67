import DicomUL
import NIOCore

/// Frames upper-layer PDUs from the byte stream (PS3.8 §9.3.1: type, reserved, 32-bit
/// length): each `ByteBuffer` passed on is one whole PDU, header included.
///
/// A PDU whose declared length is over the limits is not buffered: its 6-byte header alone
/// is passed on (the ``ULConnection`` rejects it: Evt19, A-ABORT) and every later byte is
/// dropped, so a hostile length never costs memory.
struct PDUFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    /// Largest P-DATA-TF body accepted.
    let maximumDataPDULength: Int
    /// Largest body of any other PDU.
    let maximumControlPDULength: Int
    private var discarding = false

    init(maximumDataPDULength: Int, maximumControlPDULength: Int) {
        self.maximumDataPDULength = maximumDataPDULength
        self.maximumControlPDULength = maximumControlPDULength
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if discarding {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return .needMoreData
        }
        let start = buffer.readerIndex
        guard buffer.readableBytes >= PDU.headerLength,
              let type = buffer.getInteger(at: start, as: UInt8.self),
              let length = buffer.getInteger(at: start + 2, as: UInt32.self)
        else { return .needMoreData }
        let limit = type == PDUType.dataTF.rawValue ? maximumDataPDULength : maximumControlPDULength
        if Int(length) > limit {
            if let header = buffer.readSlice(length: PDU.headerLength) { context.fireChannelRead(wrapInboundOut(header)) }
            discarding = true
            return .continue
        }
        guard buffer.readableBytes >= PDU.headerLength + Int(length),
              let pdu = buffer.readSlice(length: PDU.headerLength + Int(length))
        else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(pdu))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        buffer.moveReaderIndex(to: buffer.writerIndex)  // a partial PDU at EOF is dropped (Evt17 follows)
        return .needMoreData
    }
}
