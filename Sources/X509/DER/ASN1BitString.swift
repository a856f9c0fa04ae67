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
