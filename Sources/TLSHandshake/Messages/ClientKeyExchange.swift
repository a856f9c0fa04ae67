/// ClientKeyExchange for RSA (RFC 2246 §7.4.7.1): `public-key-encrypted PreMasterSecret`.
///
/// TLS 1.0 encodes the encrypted premaster as an opaque vector with a 2-byte length
/// prefix (SSL 3.0 had none); RFC 2246 §7.4.7.1 and every stack we talk to agree.
struct ClientKeyExchange: Hashable, Sendable {
    var encryptedPreMasterSecret: [UInt8]

    func encodedBody() -> [UInt8] {
        var out: [UInt8] = []
        out.appendVector16(encryptedPreMasterSecret)
        return out
    }

    static func decode(_ r: inout ByteReader) throws(TLSError) -> ClientKeyExchange {
        var v = try r.vector16("EncryptedPreMasterSecret")
        guard v.remaining > 0 else { throw .decode("empty EncryptedPreMasterSecret") }
        return ClientKeyExchange(encryptedPreMasterSecret: v.rest())
    }
}
