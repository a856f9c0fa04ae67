/// CertificateVerify (RFC 2246 §7.4.8): an RSA signature (PKCS#1 type 1, no DigestInfo)
/// over `MD5(handshake_messages) ‖ SHA-1(handshake_messages)`, as a 2-byte-prefixed vector.
struct CertificateVerify: Hashable, Sendable {
    var signature: [UInt8]

    func encodedBody() -> [UInt8] {
        var out: [UInt8] = []
        out.appendVector16(signature)
        return out
    }

    static func decode(_ r: inout ByteReader) throws(TLSError) -> CertificateVerify {
        var v = try r.vector16("signature")
        guard v.remaining > 0 else { throw .decode("empty CertificateVerify signature") }
        return CertificateVerify(signature: v.rest())
    }
}
