/// An X.509 v1, v2 or v3 certificate (RFC 5280 §4.1), parsed strictly from DER.
///
/// The original encodings are kept: ``derBytes`` (the whole certificate) and
/// ``tbsCertificateBytes`` (the signed part, hashed exactly as received when the signature
/// is checked). `Equatable` compares ``derBytes``.
public struct Certificate: Hashable, Sendable, CustomStringConvertible {
    /// The version: 1, 2 or 3 (the encoded value plus one).
    public let version: Int
    /// The serial number as INTEGER contents (two's complement, big-endian).
    public let serialNumber: [UInt8]
    /// The signature algorithm (the outer one; the inner copy must be identical).
    public let signatureAlgorithm: AlgorithmIdentifier
    /// The issuer's name.
    public let issuer: DistinguishedName
    /// The validity period.
    public let validity: Validity
    /// The subject's name.
    public let subject: DistinguishedName
    /// The certified public key.
    public let publicKeyInfo: SubjectPublicKeyInfo
    /// The extensions (empty for v1 and v2).
    public let extensions: Extensions
    /// The signature bytes.
    public let signature: [UInt8]
    /// Unused bits in the signature BIT STRING; a signature that is not whole bytes
    /// parses (PKITS `BadSignedCACert` has one) but never verifies.
    public let signatureUnusedBits: Int
    /// The DER of tbsCertificate, exactly as received.
    public let tbsCertificateBytes: [UInt8]
    /// The whole certificate as received.
    public let derBytes: [UInt8]

    /// Parses a DER certificate.
    ///
    /// - Throws: ``X509Error`` naming the first problem and its byte offset.
    public init(derEncoded bytes: [UInt8]) throws(X509Error) {
        let root = try DER.parse(bytes)
        try root.expect(.sequence, "Certificate")
        var top = try root.children()
        let tbs = try top.read(.sequence, "tbsCertificate")
        signatureAlgorithm = try AlgorithmIdentifier(top.read(.sequence, "signatureAlgorithm"))
        let sig = try top.read(.bitString, "signatureValue").bitString()
        try top.finish("Certificate")
        signature = Array(sig.bytes)
        signatureUnusedBits = sig.unusedBits
        derBytes = bytes
        tbsCertificateBytes = Array(tbs.encodedBytes)

        var f = try tbs.children()
        let versionTag = ASN1Identifier.contextSpecific(0, constructed: true)
        if let v = try f.readIfPresent(versionTag) {
            var inner = try v.children()
            let value = try inner.read(.integer, "version").integerValue()
            try inner.finish("version")
            guard (0...2).contains(value) else {
                throw X509Error(.invalidCertificate, "unknown certificate version \(value + 1)", offset: v.offset)
            }
            version = value + 1
        } else {
            version = 1
        }
        serialNumber = Array(try f.read(.integer, "serialNumber").integerBytes())
        let innerAlgorithm = try AlgorithmIdentifier(f.read(.sequence, "signature"))
        guard innerAlgorithm == signatureAlgorithm else {
            throw X509Error(.invalidCertificate, "tbsCertificate.signature differs from signatureAlgorithm (RFC 5280 §4.1.1.2)", offset: tbs.offset)
        }
        issuer = try DistinguishedName(f.read(.sequence, "issuer"))
        validity = try Validity(f.read(.sequence, "validity"))
        subject = try DistinguishedName(f.read(.sequence, "subject"))
        publicKeyInfo = try SubjectPublicKeyInfo(f.read(.sequence, "subjectPublicKeyInfo"))
        for n: UInt32 in [1, 2] {
            if let uid = try f.readIfPresent(.contextSpecific(n, constructed: false)) {
                guard version >= 2 else {
                    throw X509Error(.invalidCertificate, "unique identifier in a v1 certificate", offset: uid.offset)
                }
                _ = try uid.bitString(tag: .contextSpecific(n, constructed: false))
            }
        }
        if let ext = try f.readIfPresent(.contextSpecific(3, constructed: true)) {
            guard version == 3 else {
                throw X509Error(.invalidCertificate, "extensions in a v\(version) certificate", offset: ext.offset)
            }
            var inner = try ext.children()
            extensions = try Extensions(inner.read(.sequence, "extensions"))
            try inner.finish("extensions")
        } else {
            extensions = .none
        }
        try f.finish("tbsCertificate")
    }

    /// Whether issuer and subject are the same name (RFC 5280 §6.1: "self-issued").
    public var isSelfIssued: Bool { issuer.matches(subject) }

    /// Whether basicConstraints marks the subject as a CA.
    public var isCA: Bool { extensions.basicConstraints?.isCA ?? false }

    /// The serial number in hex (`0x…` style without prefix), for messages.
    public var serialNumberHex: String { hex(serialNumber) }

    public static func == (lhs: Certificate, rhs: Certificate) -> Bool { lhs.derBytes == rhs.derBytes }
    /// Hashes the length and the signature's last bytes: cheap, and equal certificates
    /// hash equally.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(derBytes.count)
        for b in signature.suffix(16) { hasher.combine(b) }
    }

    /// A one-line summary: subject, issuer and serial.
    public var description: String {
        "Certificate(subject: \(subject), issuer: \(issuer), serial: \(serialNumberHex))"
    }
}
