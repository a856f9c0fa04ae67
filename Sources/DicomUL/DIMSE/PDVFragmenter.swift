/// Splits a command or data set into P-DATA-TF PDUs of one PDV each, honouring the peer's
/// maximum PDU length (PS3.8 §9.3.5, Annex D.1 and E), without I/O: the blocking
/// ``Association`` and the SwiftNIO driver send what it frames.
///
/// Each PDU is built whole in one reusable buffer (header, PDV header, fragment read straight
/// from the ``DataSetSource``), so a large object is never copied whole.
public struct PDVFragmenter: Sendable {
    /// Largest fragment put in one PDV.
    public let fragmentLength: Int

    /// Largest PDV fragment sent when the peer sets no limit (maximum length 0).
    public static let unlimitedFragmentLength = 1 << 20
    /// PDU header plus PDV header: the bytes before a fragment in each PDU.
    public static let headerLength = PDU.headerLength + PDataTF.pdvOverhead

    /// A fragmenter for a peer that advertised `peerMaximumPDULength` (0 = unlimited).
    public init(peerMaximumPDULength: UInt32) {
        let maximumBody = peerMaximumPDULength == 0
            ? Self.unlimitedFragmentLength + PDataTF.pdvOverhead : Int(peerMaximumPDULength)
        fragmentLength = max(1, maximumBody - PDataTF.pdvOverhead)
    }

    /// Frames `source` on `contextID` as PDUs, calling `emit` with each one (the same buffer,
    /// refilled: copy it if it must outlive the call). An empty source is one empty last PDV.
    public func forEachPDU(
        of source: any DataSetSource, contextID: UInt8, isCommand: Bool, buffer: inout [UInt8],
        _ emit: ([UInt8]) throws(DicomError) -> Void
    ) throws(DicomError) {
        var offset = 0
        repeat {
            let count = min(fragmentLength, source.length - offset)
            let isLast = offset + count == source.length
            Self.frame(&buffer, count: count, contextID: contextID, isCommand: isCommand, isLast: isLast)
            try source.read(into: &buffer, at: Self.headerLength, count: count, offset: offset)
            try emit(buffer)
            offset += count
        } while offset < source.length
    }

    /// The ``headerLength`` bytes before a fragment of `count` bytes: the P-DATA-TF header
    /// (type, reserved, body length) and the PDV header (item length, context, control).
    public static func header(count: Int, contextID: UInt8, isCommand: Bool, isLast: Bool) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: headerLength)
        writeHeader(into: &header, count: count, contextID: contextID, isCommand: isCommand, isLast: isLast)
        return header
    }

    /// Writes the ``headerLength`` header bytes at the start of `pdu`.
    private static func writeHeader(into pdu: inout [UInt8], count: Int, contextID: UInt8, isCommand: Bool, isLast: Bool) {
        let body = UInt32(PDataTF.pdvOverhead + count), item = UInt32(count + 2)
        pdu[0] = PDUType.dataTF.rawValue
        pdu[1] = 0
        put(body, into: &pdu, at: 2)
        put(item, into: &pdu, at: 6)
        pdu[10] = contextID
        pdu[11] = (isCommand ? 1 : 0) | (isLast ? 2 : 0)
    }

    /// Sizes `pdu` to one P-DATA-TF carrying a single PDV of `count` bytes and writes its
    /// headers; the fragment goes at ``headerLength``.
    public static func frame(_ pdu: inout [UInt8], count: Int, contextID: UInt8, isCommand: Bool, isLast: Bool) {
        if pdu.count != headerLength + count { pdu = [UInt8](repeating: 0, count: headerLength + count) }
        writeHeader(into: &pdu, count: count, contextID: contextID, isCommand: isCommand, isLast: isLast)
    }

    private static func put(_ v: UInt32, into b: inout [UInt8], at i: Int) {
        b[i] = UInt8(v >> 24)
        b[i + 1] = UInt8((v >> 16) & 0xFF)
        b[i + 2] = UInt8((v >> 8) & 0xFF)
        b[i + 3] = UInt8(v & 0xFF)
    }
}
