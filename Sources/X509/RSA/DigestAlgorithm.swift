/// A hash algorithm as PKCS#1 v1.5 signatures name it: its `DigestInfo` prefix
/// (RFC 8017 §9.2, note 1) and its digest length.
///
/// Only the prefix matters to the RSA layer: callers hash, RSA encodes
/// `DigestInfo ‖ H` and signs or compares it whole.
public struct DigestAlgorithm: Hashable, Sendable, CustomStringConvertible {
    /// A short name, e.g. `"SHA-256"`.
    public let name: String
    /// The length of the digest in bytes.
    public let digestByteCount: Int
    /// The DER encoding of `DigestInfo` up to (and including) the OCTET STRING header.
    public let digestInfoPrefix: [UInt8]

    public var description: String { name }

    /// MD5 (RFC 1321). Verification only in practice; never sign new data with it.
    public static let md5 = DigestAlgorithm(name: "MD5", digestByteCount: 16, digestInfoPrefix: [
        0x30, 0x20, 0x30, 0x0C, 0x06, 0x08, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x02, 0x05, 0x05, 0x00, 0x04, 0x10,
    ])
    /// SHA-1 (FIPS 180-4).
    public static let sha1 = DigestAlgorithm(name: "SHA-1", digestByteCount: 20, digestInfoPrefix: [
        0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2B, 0x0E, 0x03, 0x02, 0x1A, 0x05, 0x00, 0x04, 0x14,
    ])
    /// SHA-224 (FIPS 180-4).
    public static let sha224 = DigestAlgorithm(name: "SHA-224", digestByteCount: 28, digestInfoPrefix: [
        0x30, 0x2D, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04, 0x05, 0x00,
        0x04, 0x1C,
    ])
    /// SHA-256 (FIPS 180-4).
    public static let sha256 = DigestAlgorithm(name: "SHA-256", digestByteCount: 32, digestInfoPrefix: [
        0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00,
        0x04, 0x20,
    ])
    /// SHA-384 (FIPS 180-4).
    public static let sha384 = DigestAlgorithm(name: "SHA-384", digestByteCount: 48, digestInfoPrefix: [
        0x30, 0x41, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00,
        0x04, 0x30,
    ])
    /// SHA-512 (FIPS 180-4).
    public static let sha512 = DigestAlgorithm(name: "SHA-512", digestByteCount: 64, digestInfoPrefix: [
        0x30, 0x51, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00,
        0x04, 0x40,
    ])
}
