/// The 5-byte record header (RFC 2246 §6.2.1) and the 13-byte MAC input prefix
/// (RFC 2246 §6.2.3.1), read and written through raw pointers on the hot path.
struct RecordHeader: Sendable {
    /// The content type.
    var type: ContentType
    /// The record version.
    var version: ProtocolVersion
    /// The length of the body that follows.
    var length: Int

    /// Reads a header from the first 5 bytes of `bytes`.
    /// - Precondition: `bytes.count >= 5` (checked by every caller).
    init(_ bytes: UnsafeRawBufferPointer) {
        type = ContentType(rawValue: unsafe bytes[0])
        version = ProtocolVersion(major: unsafe bytes[1], minor: unsafe bytes[2])
        length = Int(unsafe bytes[3]) << 8 | Int(unsafe bytes[4])
    }

    /// Writes a header into the first 5 bytes of `record`.
    /// - Precondition: `record.count >= 5` and `length < 2^16` (checked by every caller).
    static func write(
        into record: UnsafeMutableRawBufferPointer, type: ContentType, version: ProtocolVersion, length: Int
    ) {
        unsafe record[0] = type.rawValue
        unsafe record[1] = version.major
        unsafe record[2] = version.minor
        unsafe record[3] = UInt8(truncatingIfNeeded: length >> 8)
        unsafe record[4] = UInt8(truncatingIfNeeded: length)
    }

    /// `seq_num(8) ‖ type(1) ‖ version(2) ‖ length(2)` in the first 13 bytes of a 16-byte
    /// value that lives on the stack (no allocation).
    static func macHeader(
        sequence: UInt64, type: ContentType, version: ProtocolVersion, length: Int
    ) -> (UInt64, UInt64) {
        var tail: UInt64 = 0
        unsafe withUnsafeMutableBytes(of: &tail) { t in
            unsafe t[0] = type.rawValue
            unsafe t[1] = version.major
            unsafe t[2] = version.minor
            unsafe t[3] = UInt8(truncatingIfNeeded: length >> 8)
            unsafe t[4] = UInt8(truncatingIfNeeded: length)
        }
        return (sequence.bigEndian, tail)
    }
}
