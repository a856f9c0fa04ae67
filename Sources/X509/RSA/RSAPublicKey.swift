import CryptoPrimitives

/// An RSA public key (RFC 8017 §3.1): modulus `n` and public exponent `e`.
///
/// Verification and encryption use GMP's `mpz_powm` (the inputs are public).
/// Signatures are checked by rebuilding the expected PKCS#1 v1.5 block and comparing
/// it whole in constant time (no parsing of the recovered block).
public struct RSAPublicKey: Sendable, Hashable {
    /// The modulus `n`.
    let n: BigInt
    /// The public exponent `e`.
    let e: BigInt

    /// The number of significant bits of the modulus (e.g. 2048).
    public let modulusBitCount: Int

    /// The modulus length `k` in bytes: the length of every signature and ciphertext.
    public var modulusByteCount: Int { (modulusBitCount + 7) / 8 }

    /// The smallest modulus accepted, in bits. Peers' keys below 1024 bits are refused
    /// (DESIGN.md §6); a few published test vectors use 1024- to 1031-bit keys.
    public static let minimumModulusBitCount = 1024
    /// The largest modulus accepted, in bits (bounds the work an input can cause).
    public static let maximumModulusBitCount = 16384

    /// A key from big-endian unsigned bytes (leading zero bytes allowed).
    ///
    /// Throws when the modulus is even or outside 1024…16384 bits, or the exponent is
    /// not an odd number with `1 < e < n`.
    public init(modulus: [UInt8], publicExponent: [UInt8]) throws(X509Error) {
        try self.init(n: BigInt(bigEndian: modulus), e: BigInt(bigEndian: publicExponent))
    }

    init(n: BigInt, e: BigInt) throws(X509Error) {
        let bits = n.bitWidth
        guard bits >= Self.minimumModulusBitCount, bits <= Self.maximumModulusBitCount else {
            throw X509Error(.unsupportedKeySize,
                            "RSA modulus of \(bits) bits is outside the supported \(Self.minimumModulusBitCount)…\(Self.maximumModulusBitCount) bits")
        }
        guard n.isOdd else { throw X509Error(.invalidKey, "RSA modulus is even") }
        guard e.isOdd, !e.equals(1), e < n else {
            throw X509Error(.invalidKey, "RSA public exponent must be odd and between 1 and the modulus")
        }
        self.n = n
        self.e = e
        self.modulusBitCount = bits
    }

    /// The modulus as minimal big-endian bytes.
    public var modulus: [UInt8] { n.bigEndianBytes }

    /// The public exponent as minimal big-endian bytes.
    public var publicExponent: [UInt8] { e.bigEndianBytes }

    // MARK: Encryption (RFC 8017 §7.2.1)

    /// RSAES-PKCS1-v1_5 encryption (block type 2) of at most `k - 11` bytes.
    public func encryptPKCS1v15(_ message: [UInt8], random: some RandomSource) throws(X509Error) -> [UInt8] {
        let k = modulusByteCount
        guard message.count + 11 <= k else {
            throw X509Error(.messageTooLong, "a \(message.count)-byte message does not fit a \(k)-byte RSA key with PKCS#1 v1.5 padding (at most \(k - 11))")
        }
        let padding = PKCS1Encoding.nonZeroRandomBytes(k - message.count - 3, random: random)
        return try encryptPKCS1v15(message, padding: padding)
    }

    /// Encryption with a given padding string; a test hook for the RSA Labs vectors,
    /// which publish the padding bytes (`Seed`).
    package func encryptPKCS1v15(_ message: [UInt8], padding: [UInt8]) throws(X509Error) -> [UInt8] {
        let k = modulusByteCount
        guard let block = PKCS1Encoding.encryptionBlock(message: message, padding: padding, k: k),
              let c = publicOperation(block) else {
            throw X509Error(.messageTooLong, "message and padding do not form a valid \(k)-byte PKCS#1 v1.5 block")
        }
        return c
    }

    // MARK: Verification (RFC 8017 §8.2.2)

    /// Verifies an RSASSA-PKCS1-v1_5 signature over a digest made with `digestAlgorithm`.
    ///
    /// The signature must be exactly `k` bytes and below `n`; the recovered block must
    /// equal `00 01 FF…FF 00 ‖ DigestInfo ‖ digest` byte for byte.
    public func verifyPKCS1v15(signature: [UInt8], digestAlgorithm: DigestAlgorithm, digest: [UInt8]) -> Bool {
        guard let payload = PKCS1Encoding.digestInfo(digestAlgorithm, digest: digest) else { return false }
        return verify(signature: signature, payload: payload)
    }

    /// Verifies a TLS 1.0 signature over the 36-byte `MD5 ‖ SHA-1` hash, which is signed
    /// with block type 1 but without a DigestInfo (RFC 2246 §7.4.3 and §7.4.8).
    public func verifyTLS10(signature: [UInt8], md5SHA1: [UInt8]) -> Bool {
        guard md5SHA1.count == 36 else { return false }
        return verify(signature: signature, payload: md5SHA1)
    }

    private func verify(signature: [UInt8], payload: [UInt8]) -> Bool {
        let k = modulusByteCount
        guard signature.count == k,
              let expected = PKCS1Encoding.signatureBlock(payload: payload, k: k),
              let recovered = publicOperation(signature) else { return false }
        return ConstantTime.equal(recovered, expected)
    }

    // MARK: The RSA primitive

    /// RSAEP/RSAVP1: `input^e mod n` as `k` bytes, or nil when the input is not `k`
    /// bytes or not below `n` (RFC 8017 §5.1.1, §5.2.2).
    func publicOperation(_ input: [UInt8]) -> [UInt8]? {
        guard input.count == modulusByteCount else { return nil }
        let x = BigInt(bigEndian: input)
        guard x < n, let y = x.power(e, modulus: n) else { return nil }
        return y.bigEndianBytes(count: modulusByteCount)
    }

    public static func == (lhs: RSAPublicKey, rhs: RSAPublicKey) -> Bool {
        lhs.n == rhs.n && lhs.e == rhs.e
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(modulus)
        hasher.combine(publicExponent)
    }
}
