/// An X.509 v1 or v2 certificate revocation list (RFC 5280 §5.1), parsed strictly from DER.
///
/// Parsing checks structure only; whether the CRL is usable for a certificate (issuer,
/// signature, validity, scope, critical extensions) is decided during path validation
/// when ``VerificationPolicy/revocation`` is set.
public struct CertificateRevocationList: Hashable, Sendable, CustomStringConvertible {
    /// The version: 1 or 2 (the encoded value plus one; absent means 1).
    public let version: Int
    /// The signature algorithm (the outer one; the inner copy must be identical).
    public let signatureAlgorithm: AlgorithmIdentifier
    /// The CRL issuer's name.
    public let issuer: DistinguishedName
    /// When this CRL was issued.
    public let thisUpdate: ASN1Time
    /// When the next CRL will be issued at the latest; past it the CRL is stale.
    public let nextUpdate: ASN1Time?
    /// The revoked certificates, in encoding order.
    public let revokedCertificates: [RevokedCertificate]
    /// The CRL extensions (v2 only).
    public let extensions: [Extension]
    /// The issuingDistributionPoint extension, decoded.
    public let issuingDistributionPoint: IssuingDistributionPoint?
    /// The cRLNumber extension as INTEGER contents, if present.
    public let crlNumber: [UInt8]?
    /// The signature bytes.
    public let signature: [UInt8]
    /// Unused bits in the signature BIT STRING (a CRL with any never verifies).
    public let signatureUnusedBits: Int
    /// The DER of tbsCertList, exactly as received.
    public let tbsCertListBytes: [UInt8]
    /// The whole CRL as received.
    public let derBytes: [UInt8]

    /// CRL extensions this module processes; a critical one outside this set makes the CRL
    /// unusable (RFC 5280 §5.2). Delta CRLs (deltaCRLIndicator) are recognised and refused.
    static let handled: Set<ASN1ObjectIdentifier> = [
        .authorityKeyIdentifier, .crlNumber, .issuingDistributionPoint, .deltaCRLIndicator,
    ]

    /// Parses a DER CRL.
    ///
    /// - Throws: ``X509Error`` naming the first problem and its byte offset.
    public init(derEncoded bytes: [UInt8]) throws(X509Error) {
        let root = try DER.parse(bytes)
        try root.expect(.sequence, "CertificateList")
        var top = try root.children()
        let tbs = try top.read(.sequence, "tbsCertList")
        signatureAlgorithm = try AlgorithmIdentifier(top.read(.sequence, "signatureAlgorithm"))
        let sig = try top.read(.bitString, "signatureValue").bitString()
        try top.finish("CertificateList")
        signature = Array(sig.bytes)
        signatureUnusedBits = sig.unusedBits
        derBytes = bytes
        tbsCertListBytes = Array(tbs.encodedBytes)

        var f = try tbs.children()
        if let v = try f.readIfPresent(.integer) {
            guard try v.integerValue() == 1 else {
                throw v.error(.invalidCertificate, "CRL version must be v2 (1) when present (RFC 5280 §5.1.2.1)")
            }
            version = 2
        } else {
            version = 1
        }
        let inner = try AlgorithmIdentifier(f.read(.sequence, "signature"))
        guard inner == signatureAlgorithm else {
            throw tbs.error(.invalidCertificate, "tbsCertList.signature differs from signatureAlgorithm (RFC 5280 §5.1.1.2)")
        }
        issuer = try DistinguishedName(f.read(.sequence, "issuer"))
        guard !f.isAtEnd else { throw tbs.error(.invalidCertificate, "CRL has no thisUpdate") }
        thisUpdate = try f.next().time()
        let next = f.peekIdentifier()
        nextUpdate = next == .utcTime || next == .generalizedTime ? try f.next().time() : nil
        var entries: [RevokedCertificate] = []
        if let list = try f.readIfPresent(.sequence) {
            var reader = try list.children()
            while !reader.isAtEnd { entries.append(try RevokedCertificate(reader.next(), version: version)) }
            guard !entries.isEmpty else {
                throw list.error(.invalidCertificate, "revokedCertificates is present but empty (RFC 5280 §5.1.2.6: omit it)")
            }
        }
        revokedCertificates = entries
        var extensions: [Extension] = []
        if let wrapper = try f.readIfPresent(.contextSpecific(0, constructed: true)) {
            guard version == 2 else { throw wrapper.error(.invalidCertificate, "crlExtensions in a v1 CRL") }
            var outer = try wrapper.children()
            let list = try outer.read(.sequence, "crlExtensions")
            try outer.finish("crlExtensions")
            var reader = try list.children()
            while !reader.isAtEnd {
                let ext = try Extension(reader.next())
                guard !extensions.contains(where: { $0.oid == ext.oid }) else {
                    throw list.error(.invalidExtension, "CRL extension \(ext.oid) appears twice (RFC 5280 §5.2)")
                }
                extensions.append(ext)
            }
            guard !extensions.isEmpty else { throw list.error(.invalidExtension, "empty crlExtensions") }
        }
        try f.finish("tbsCertList")
        self.extensions = extensions
        func decode<T>(_ oid: ASN1ObjectIdentifier, _ parse: (ASN1Node) throws(X509Error) -> T) throws(X509Error) -> T? {
            guard let ext = extensions.first(where: { $0.oid == oid }) else { return nil }
            do {
                return try parse(DER.parse(ext.value))
            } catch {
                throw X509Error(.invalidExtension, "CRL extension \(oid.opensslName ?? oid.description) is malformed: \(error.message)")
            }
        }
        issuingDistributionPoint = try decode(.issuingDistributionPoint) { n throws(X509Error) in try IssuingDistributionPoint(n) }
        crlNumber = try decode(.crlNumber) { n throws(X509Error) in Array(try n.unsignedIntegerBytes()) }
    }

    /// The entry for a certificate with serial number `serial` (INTEGER contents), if listed.
    public func entry(forSerialNumber serial: [UInt8]) -> RevokedCertificate? {
        revokedCertificates.first { $0.serialNumber == serial }
    }

    /// Whether this is a delta CRL (RFC 5280 §5.2.4), which revocation checking refuses.
    public var isDeltaCRL: Bool { extensions.contains { $0.oid == .deltaCRLIndicator } }

    /// Critical CRL and entry extensions this module does not process (RFC 5280 §5.2, §5.3).
    public var unhandledCriticalExtensions: [ASN1ObjectIdentifier] {
        extensions.filter { $0.isCritical && !Self.handled.contains($0.oid) }.map(\.oid)
            + revokedCertificates.flatMap(\.unhandledCritical)
    }

    /// The signature algorithm as a typed value.
    public var signatureAlgorithmKind: SignatureAlgorithm { SignatureAlgorithm(oid: signatureAlgorithm.oid) }

    /// Whether `issuerKey` signed this CRL's exact `tbsCertList` bytes (RSASSA-PKCS1-v1_5).
    public func isSignature(validFor issuerKey: RSAPublicKey) -> Bool {
        let kind = signatureAlgorithmKind
        guard signatureUnusedBits == 0, signatureAlgorithm.hasNullOrAbsentParameters,
            let algorithm = kind.digestAlgorithm, let digest = kind.digest(tbsCertListBytes)
        else { return false }
        return issuerKey.verifyPKCS1v15(signature: signature, digestAlgorithm: algorithm, digest: digest)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.derBytes == rhs.derBytes }
    public func hash(into hasher: inout Hasher) { hasher.combine(derBytes) }

    /// A one-line summary: issuer, dates and entry count.
    public var description: String {
        "CRL(issuer: \(issuer), thisUpdate: \(thisUpdate), nextUpdate: \(nextUpdate.map(String.init(describing:)) ?? "none"), \(revokedCertificates.count) revoked)"
    }
}
