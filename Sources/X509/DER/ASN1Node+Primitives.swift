// Decoders for the primitive universal types (X.690 §8.2–§8.8 and the DER rules of §10–§11).
// Each takes the tag to expect, so IMPLICIT context tags use the same code.

extension ASN1Node {
    /// The two's-complement contents of an INTEGER, checked to be minimal (X.690 §8.3.2).
    public func integerBytes(tag: ASN1Identifier = .integer) throws(X509Error) -> ArraySlice<UInt8> {
        try expect(tag, "INTEGER")
        guard let first = content.first else { throw error(.invalidInteger, "INTEGER has no contents") }
        if content.count > 1 {
            let second = content[content.startIndex + 1]
            if (first == 0x00 && second & 0x80 == 0) || (first == 0xFF && second & 0x80 != 0) {
                throw error(.invalidInteger, "INTEGER is not minimally encoded")
            }
        }
        return content
    }

    /// A non-negative INTEGER as big-endian magnitude bytes without the sign byte (a zero
    /// value is one `0x00` byte). Used for serial numbers and RSA moduli.
    public func unsignedIntegerBytes(tag: ASN1Identifier = .integer) throws(X509Error) -> ArraySlice<UInt8> {
        let bytes = try integerBytes(tag: tag)
        guard let first = bytes.first, first & 0x80 == 0 else {
            throw error(.invalidInteger, "INTEGER is negative where a non-negative value is required")
        }
        return first == 0 && bytes.count > 1 ? bytes.dropFirst() : bytes
    }

    /// An INTEGER that fits in an `Int` (versions, path lengths, small counters).
    public func integerValue(tag: ASN1Identifier = .integer) throws(X509Error) -> Int {
        let bytes = try integerBytes(tag: tag)
        guard bytes.count <= 8 else { throw error(.invalidInteger, "INTEGER is too large (\(bytes.count) bytes)") }
        var value: Int64 = bytes.first.map { $0 & 0x80 != 0 ? -1 : 0 } ?? 0
        for b in bytes { value = value << 8 | Int64(b) }
        return Int(value)
    }

    /// A BOOLEAN; DER allows only `0x00` and `0xFF` (X.690 §11.1).
    public func booleanValue(tag: ASN1Identifier = .boolean) throws(X509Error) -> Bool {
        try expect(tag, "BOOLEAN")
        guard content.count == 1, let b = content.first, b == 0x00 || b == 0xFF else {
            throw error(.invalidPrimitive, "BOOLEAN must be one byte 00 or FF in DER")
        }
        return b == 0xFF
    }

    /// Checks a NULL: empty contents (X.690 §8.8).
    public func nullValue(tag: ASN1Identifier = .null) throws(X509Error) {
        try expect(tag, "NULL")
        guard content.isEmpty else { throw error(.invalidPrimitive, "NULL must have no contents") }
    }

    /// The contents of a primitive OCTET STRING.
    public func octetString(tag: ASN1Identifier = .octetString) throws(X509Error) -> ArraySlice<UInt8> {
        try expect(tag, "OCTET STRING")
        return content
    }

    /// A primitive BIT STRING, with its unused bits checked to be zero (X.690 §11.2).
    public func bitString(tag: ASN1Identifier = .bitString) throws(X509Error) -> ASN1BitString {
        try expect(tag, "BIT STRING")
        guard let unused = content.first else { throw error(.invalidPrimitive, "BIT STRING has no contents") }
        let bytes = content.dropFirst()
        guard unused <= 7, !(bytes.isEmpty && unused != 0) else {
            throw error(.invalidPrimitive, "BIT STRING has an invalid unused-bit count \(unused)")
        }
        if let last = bytes.last, last & (UInt8(1 << unused) &- 1) != 0 {
            throw error(.invalidPrimitive, "BIT STRING unused bits are not zero")
        }
        return ASN1BitString(bytes: bytes, unusedBits: Int(unused))
    }
}

/// The value of a BIT STRING: whole bytes plus how many low bits of the last are unused.
public struct ASN1BitString: Hashable, Sendable {
    /// The bits, most significant first, padded with zero bits at the end.
    public var bytes: ArraySlice<UInt8>
    /// How many trailing bits of the last byte are padding (0–7).
    public var unusedBits: Int

    /// A bit string from its bytes and padding count.
    public init(bytes: ArraySlice<UInt8>, unusedBits: Int = 0) {
        self.bytes = bytes
        self.unusedBits = unusedBits
    }

    /// The number of meaningful bits.
    public var bitCount: Int { bytes.count * 8 - unusedBits }

    /// Bit `n`, counting from the most significant bit of the first byte (as named-bit
    /// lists such as KeyUsage number them); bits past the end read as false.
    public func bit(_ n: Int) -> Bool {
        guard n >= 0, n < bitCount else { return false }
        return bytes[bytes.startIndex + n / 8] & (0x80 >> UInt8(n % 8)) != 0
    }
}
