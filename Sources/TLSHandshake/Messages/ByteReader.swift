/// A safe, bounds-checked reader over handshake bytes (STYLE.md §5, "everything else" zone).
///
/// Every read checks the remaining length first and throws `decode_error` when the input
/// is short. A length-prefixed field yields a sub-reader that the caller must consume
/// exactly (``finish(_:)``), the way rustls' `read_bytes` and swift-asn1's `DER.sequence`
/// work, so trailing bytes inside a vector are always an error (RFC 2246 §4.3).
struct ByteReader {
    private let bytes: [UInt8]
    private var index: Int
    private let end: Int

    /// A reader over all of `bytes`.
    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        index = 0
        end = bytes.count
    }

    private init(bytes: [UInt8], start: Int, end: Int) {
        self.bytes = bytes
        index = start
        self.end = end
    }

    /// Bytes not yet read.
    var remaining: Int { end - index }

    /// Whether every byte has been read.
    var isAtEnd: Bool { index == end }

    /// One byte.
    mutating func u8(_ field: StaticString) throws(TLSError) -> UInt8 {
        guard remaining >= 1 else { throw .decode("truncated \(field)") }
        defer { index += 1 }
        return bytes[index]
    }

    /// A big-endian 16-bit integer.
    mutating func u16(_ field: StaticString) throws(TLSError) -> UInt16 {
        guard remaining >= 2 else { throw .decode("truncated \(field)") }
        defer { index += 2 }
        return UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
    }

    /// A big-endian 24-bit integer.
    mutating func u24(_ field: StaticString) throws(TLSError) -> Int {
        guard remaining >= 3 else { throw .decode("truncated \(field)") }
        defer { index += 3 }
        return Int(bytes[index]) << 16 | Int(bytes[index + 1]) << 8 | Int(bytes[index + 2])
    }

    /// Exactly `count` bytes.
    mutating func bytes(_ count: Int, _ field: StaticString) throws(TLSError) -> [UInt8] {
        guard count >= 0, remaining >= count else { throw .decode("truncated \(field)") }
        defer { index += count }
        return Array(bytes[index..<(index + count)])
    }

    /// Every byte left.
    mutating func rest() -> [UInt8] {
        defer { index = end }
        return Array(bytes[index..<end])
    }

    /// A sub-reader over the next `count` bytes, which the caller must consume exactly.
    mutating func sub(_ count: Int, _ field: StaticString) throws(TLSError) -> ByteReader {
        guard count >= 0, remaining >= count else { throw .decode("truncated \(field)") }
        defer { index += count }
        return ByteReader(bytes: bytes, start: index, end: index + count)
    }

    /// A sub-reader over a vector with a one-byte length prefix (`<0..2^8-1>`).
    mutating func vector8(_ field: StaticString) throws(TLSError) -> ByteReader {
        try sub(Int(u8(field)), field)
    }

    /// A sub-reader over a vector with a two-byte length prefix (`<0..2^16-1>`).
    mutating func vector16(_ field: StaticString) throws(TLSError) -> ByteReader {
        try sub(Int(u16(field)), field)
    }

    /// A sub-reader over a vector with a three-byte length prefix (`<0..2^24-1>`).
    mutating func vector24(_ field: StaticString) throws(TLSError) -> ByteReader {
        try sub(u24(field), field)
    }

    /// Throws `decode_error` unless every byte has been read.
    func finish(_ what: String) throws(TLSError) {
        guard isAtEnd else { throw .decode("\(remaining) trailing byte(s) after \(what)") }
    }
}

/// Big-endian encoding helpers for handshake messages.
extension Array where Element == UInt8 {
    /// Appends a big-endian 16-bit integer.
    mutating func appendU16(_ v: UInt16) {
        append(UInt8(v >> 8))
        append(UInt8(truncatingIfNeeded: v))
    }

    /// Appends a big-endian 24-bit integer.
    mutating func appendU24(_ v: Int) {
        append(UInt8(truncatingIfNeeded: v >> 16))
        append(UInt8(truncatingIfNeeded: v >> 8))
        append(UInt8(truncatingIfNeeded: v))
    }

    /// Appends a vector with a one-byte length prefix.
    mutating func appendVector8(_ body: [UInt8]) {
        append(UInt8(truncatingIfNeeded: body.count))
        append(contentsOf: body)
    }

    /// Appends a vector with a two-byte length prefix.
    mutating func appendVector16(_ body: [UInt8]) {
        appendU16(UInt16(truncatingIfNeeded: body.count))
        append(contentsOf: body)
    }

    /// Appends a vector with a three-byte length prefix.
    mutating func appendVector24(_ body: [UInt8]) {
        appendU24(body.count)
        append(contentsOf: body)
    }
}
