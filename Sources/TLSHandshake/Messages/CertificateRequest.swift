/// CertificateRequest (RFC 2246 §7.4.4).
///
/// ```
/// struct { ClientCertificateType certificate_types<1..2^8-1>;
///          DistinguishedName certificate_authorities<3..2^16-1>; } CertificateRequest;
/// ```
/// RFC 2246 writes the lower bound 3 for the list, but common stacks send an empty list
/// (RFC 4346 §7.4.4 relaxed it to 0), so an empty list is accepted.
struct CertificateRequest: Hashable, Sendable {
    /// `rsa_sign(1)`.
    static let rsaSign: UInt8 = 1

    var certificateTypes: [UInt8]
    /// DER-encoded distinguished names of acceptable CAs.
    var certificateAuthorities: [[UInt8]]

    func encodedBody() -> [UInt8] {
        var out: [UInt8] = []
        out.appendVector8(certificateTypes)
        var list: [UInt8] = []
        for dn in certificateAuthorities { list.appendVector16(dn) }
        out.appendVector16(list)
        return out
    }

    static func decode(_ r: inout ByteReader) throws(TLSError) -> CertificateRequest {
        var types = try r.vector8("certificate_types")
        guard types.remaining >= 1 else { throw .decode("certificate_types must not be empty") }
        let certificateTypes = types.rest()
        var list = try r.vector16("certificate_authorities")
        var names: [[UInt8]] = []
        while !list.isAtEnd {
            var dn = try list.vector16("DistinguishedName")
            guard dn.remaining > 0 else { throw .decode("empty DistinguishedName") }
            names.append(dn.rest())
        }
        return CertificateRequest(certificateTypes: certificateTypes, certificateAuthorities: names)
    }
}
