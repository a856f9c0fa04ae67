import CryptoPrimitives
import X509

/// A private key usable by the handshake: RSA decryption of the premaster and TLS 1.0
/// signatures (STYLE.md §9). Conform an HSM-held key to use it without exporting it.
public protocol TLSPrivateKey: Sendable {
    /// The RSA modulus size in bits.
    var modulusBitCount: Int { get }

    /// Decrypts an RSA-encrypted premaster secret (RFC 2246 §7.4.7.1) without revealing
    /// failure: always returns 48 bytes, a random premaster when the padding, length or
    /// version (`clientVersion`) is wrong, in constant time (Bleichenbacher, ROBOT).
    func decryptPremaster(_ ciphertext: [UInt8], clientVersion: UInt16, random: any RandomSource) -> [UInt8]

    /// Signs `MD5(handshake) ‖ SHA-1(handshake)` (36 bytes) with PKCS#1 v1.5 type 1 and
    /// no DigestInfo (RFC 2246 §7.4.8).
    func signHandshakeHash(_ md5SHA1: [UInt8]) throws(TLSError) -> [UInt8]
}

extension RSAPrivateKey: TLSPrivateKey {
    public var modulusBitCount: Int { publicKey.modulusBitCount }

    public func decryptPremaster(_ ciphertext: [UInt8], clientVersion: UInt16, random: any RandomSource) -> [UInt8] {
        decryptPremasterTLS(
            ciphertext, expectedVersion: (UInt8(clientVersion >> 8), UInt8(truncatingIfNeeded: clientVersion)),
            random: random)
    }

    public func signHandshakeHash(_ md5SHA1: [UInt8]) throws(TLSError) -> [UInt8] {
        do {
            return try signTLS10(md5SHA1: md5SHA1)
        } catch {
            throw TLSError(.internalError("RSA signing failed: \(error.message)"))
        }
    }
}
