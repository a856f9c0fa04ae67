/// Certificate (RFC 2246 §7.4.2): `ASN.1Cert certificate_list<0..2^24-1>`, sender's
/// certificate first, each CA certifying the one before it.
struct CertificateMessage: Hashable, Sendable {
    /// DER certificates, leaf first; empty when a client has no certificate (§7.4.6).
    var certificates: [[UInt8]]

    func encodedBody() -> [UInt8] {
        var list: [UInt8] = []
        for c in certificates { list.appendVector24(c) }
        var out: [UInt8] = []
        out.appendVector24(list)
        return out
    }

    /// Decodes the list; more than `maximumCount` entries is `bad_certificate`: the message is
    /// well-formed (so not `decode_error`), but the chain is refused by local policy before
    /// any certificate is parsed or validated (RFC 2246 §7.2.2).
    static func decode(_ r: inout ByteReader, maximumCount: Int = .max) throws(TLSError) -> CertificateMessage {
        var list = try r.vector24("certificate_list")
        var certs: [[UInt8]] = []
        while !list.isAtEnd {
            guard certs.count < maximumCount else {
                throw .explained(.badCertificate("the peer's Certificate message holds more than \(maximumCount) certificates"),
                                 HandshakeExplanation.certificateLimit("holds more than \(maximumCount) certificates"))
            }
            var c = try list.vector24("ASN.1Cert")
            guard c.remaining > 0 else { throw .decode("empty certificate in certificate_list") }
            certs.append(c.rest())
        }
        return CertificateMessage(certificates: certs)
    }
}
