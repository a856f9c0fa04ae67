/// A safe, bounds-checked big-endian reader over a byte slice (STYLE §5 "everything else" zone).
///
/// Every read checks the remaining length first; a length prefix yields a sub-reader over
/// exactly that many bytes (``subReader(_:context:)``), which the caller must consume, so a
/// lying length can never reach past its container (PS3.8 §9.3: lengths are nested).
struct ByteReader {
    private let bytes: ArraySlice<UInt8>
    private var position: Int

    /// A reader over `bytes`.
    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
    }

    /// A reader over `bytes`.
    init(_ bytes: [UInt8]) { self.init(bytes[...]) }

    /// Bytes not yet read.
    var remaining: Int { bytes.endIndex - position }
    /// Whether every byte was read.
    var isAtEnd: Bool { position == bytes.endIndex }

    /// The next byte without consuming it.
    func peekUInt8() -> UInt8? { isAtEnd ? nil : bytes[position] }

    /// One byte.
    mutating func readUInt8(_ context: @autoclosure () -> String) throws(DicomError) -> UInt8 {
        try need(1, context())
        defer { position += 1 }
        return bytes[position]
    }

    /// A big-endian 16-bit integer.
    mutating func readUInt16(_ context: @autoclosure () -> String) throws(DicomError) -> UInt16 {
        try need(2, context())
        defer { position += 2 }
        return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
    }

    /// A big-endian 32-bit integer.
    mutating func readUInt32(_ context: @autoclosure () -> String) throws(DicomError) -> UInt32 {
        try need(4, context())
        defer { position += 4 }
        return UInt32(bytes[position]) << 24 | UInt32(bytes[position + 1]) << 16
            | UInt32(bytes[position + 2]) << 8 | UInt32(bytes[position + 3])
    }

    /// `count` bytes as a slice of the underlying storage (no copy).
    mutating func readBytes(_ count: Int, _ context: @autoclosure () -> String) throws(DicomError) -> ArraySlice<UInt8> {
        try need(count, context())
        defer { position += count }
        return bytes[position..<position + count]
    }

    /// Skips `count` bytes.
    mutating func skip(_ count: Int, _ context: @autoclosure () -> String) throws(DicomError) {
        try need(count, context())
        position += count
    }

    /// A reader over the next `count` bytes, which this reader then skips.
    mutating func subReader(_ count: Int, context: @autoclosure () -> String) throws(DicomError) -> ByteReader {
        ByteReader(try readBytes(count, context()))
    }

    /// Throws unless every byte was consumed.
    func expectEnd(_ context: @autoclosure () -> String) throws(DicomError) {
        guard isAtEnd else {
            throw .invalid("\(context()): \(remaining) unexpected trailing byte(s)")
        }
    }

    private func need(_ count: Int, _ context: String) throws(DicomError) {
        guard count >= 0, count <= remaining else {
            throw .invalid("\(context): needs \(count) byte(s) but only \(remaining) remain in its container")
        }
    }
}

extension Array where Element == UInt8 {
    /// Appends a big-endian 16-bit integer.
    mutating func appendUInt16(_ v: UInt16) {
        append(UInt8(v >> 8))
        append(UInt8(v & 0xFF))
    }

    /// Appends a big-endian 32-bit integer.
    mutating func appendUInt32(_ v: UInt32) {
        append(UInt8(v >> 24))
        append(UInt8((v >> 16) & 0xFF))
        append(UInt8((v >> 8) & 0xFF))
        append(UInt8(v & 0xFF))
    }

    /// Overwrites a big-endian 16-bit length at `offset` with the bytes written after it.
    mutating func patchUInt16Length(at offset: Int) {
        let length = UInt16(truncatingIfNeeded: count - offset - 2)
        self[offset] = UInt8(length >> 8)
        self[offset + 1] = UInt8(length & 0xFF)
    }

    /// Overwrites a big-endian 32-bit length at `offset` with the bytes written after it.
    mutating func patchUInt32Length(at offset: Int) {
        let length = UInt32(truncatingIfNeeded: count - offset - 4)
        self[offset] = UInt8(length >> 24)
        self[offset + 1] = UInt8((length >> 16) & 0xFF)
        self[offset + 2] = UInt8((length >> 8) & 0xFF)
        self[offset + 3] = UInt8(length & 0xFF)
    }
}
