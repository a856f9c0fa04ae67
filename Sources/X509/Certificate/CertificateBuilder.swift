import CryptoPrimitives

/// Issues X.509 v3 certificates signed with sha256WithRSAEncryption (RFC 5280 §4.1), so the
/// demo and the tests need no `openssl` command.
///
/// ```swift
/// let caKey = try RSAPrivateKey.generate(bits: 2048, random: SystemRandom())
/// let ca = try CertificateBuilder.certificateAuthority(
///     subject: DistinguishedName([.commonName("Demo CA")]), publicKey: caKey.publicKey,
///     serialNumber: [1], validity: validity
/// ).selfSigned(with: caKey)
/// let server = try CertificateBuilder.tlsServer(
///     subject: DistinguishedName([.commonName("pacs.local")]), publicKey: serverKey.publicKey,
///     serialNumber: [2], validity: validity, dnsNames: ["pacs.local"], ipAddresses: [[127, 0, 0, 1]]
/// ).signed(by: ca, key: caKey)
/// ```
///
/// The subjectKeyIdentifier is added automatically (SHA-1 of the key, RFC 5280
/// §4.2.1.2 method 1), and the authorityKeyIdentifier names the issuer's key.
public struct CertificateBuilder: Sendable {
    /// The serial number as big-endian magnitude bytes (1–20 bytes, RFC 5280 §4.1.2.2).
    public var serialNumber: [UInt8]
    /// The subject name.
    public var subject: DistinguishedName
    /// The validity period.
    public var validity: Validity
    /// The key being certified.
    public var publicKey: RSAPublicKey
    /// The extensions, in the order they will be written (SKI and AKI are added on signing).
    public var extensions: [Extension] = []
    /// The signature algorithm: sha256WithRSAEncryption. Tests of legacy peers set
    /// sha1 or md5; that is deliberately not public.
    package var signatureAlgorithm: SignatureAlgorithm = .sha256WithRSA

    /// A builder with no extensions.
    public init(serialNumber: [UInt8], subject: DistinguishedName, validity: Validity, publicKey: RSAPublicKey) {
        self.serialNumber = serialNumber
        self.subject = subject
        self.validity = validity
        self.publicKey = publicKey
    }

    // MARK: Profiles

    /// A CA: basicConstraints cA TRUE (critical, with an optional pathLenConstraint) and
    /// keyUsage keyCertSign + cRLSign (critical).
    public static func certificateAuthority(
        subject: DistinguishedName, publicKey: RSAPublicKey, serialNumber: [UInt8], validity: Validity,
        pathLengthConstraint: Int? = nil
    ) -> CertificateBuilder {
        var b = CertificateBuilder(serialNumber: serialNumber, subject: subject, validity: validity, publicKey: publicKey)
        b.setExtension(.basicConstraints, critical: true, BasicConstraints(isCA: true, pathLengthConstraint: pathLengthConstraint).encoded)
        b.setExtension(.keyUsage, critical: true, KeyUsage([.keyCertSign, .cRLSign]).encoded)
        return b
    }

    /// A TLS server: cA FALSE, keyUsage digitalSignature + keyEncipherment (RSA key
    /// transport), extKeyUsage serverAuth, and subjectAltName with the DNS names and IP
    /// addresses (4 or 16 bytes each) clients will check.
    public static func tlsServer(
        subject: DistinguishedName, publicKey: RSAPublicKey, serialNumber: [UInt8], validity: Validity,
        dnsNames: [String], ipAddresses: [[UInt8]] = []
    ) -> CertificateBuilder {
        var b = endEntity(subject, publicKey, serialNumber, validity, purpose: .serverAuth)
        let names = dnsNames.map(GeneralName.dnsName) + ipAddresses.map(GeneralName.ipAddress)
        if !names.isEmpty { b.setSubjectAlternativeNames(names) }
        return b
    }

    /// A TLS client: cA FALSE, keyUsage digitalSignature + keyEncipherment, extKeyUsage clientAuth.
    public static func tlsClient(
        subject: DistinguishedName, publicKey: RSAPublicKey, serialNumber: [UInt8], validity: Validity
    ) -> CertificateBuilder {
        endEntity(subject, publicKey, serialNumber, validity, purpose: .clientAuth)
    }

    private static func endEntity(
        _ subject: DistinguishedName, _ key: RSAPublicKey, _ serial: [UInt8], _ validity: Validity,
        purpose: ASN1ObjectIdentifier
    ) -> CertificateBuilder {
        var b = CertificateBuilder(serialNumber: serial, subject: subject, validity: validity, publicKey: key)
        b.setExtension(.basicConstraints, critical: true, BasicConstraints(isCA: false).encoded)
        b.setExtension(.keyUsage, critical: true, KeyUsage([.digitalSignature, .keyEncipherment]).encoded)
        b.setExtension(.extendedKeyUsage, critical: false, ExtendedKeyUsage([purpose]).encoded)
        return b
    }

    // MARK: Extensions

    /// Adds an extension, replacing one with the same identifier.
    public mutating func setExtension(_ oid: ASN1ObjectIdentifier, critical: Bool, _ value: [UInt8]) {
        let ext = Extension(oid: oid, isCritical: critical, value: value)
        if let i = extensions.firstIndex(where: { $0.oid == oid }) { extensions[i] = ext } else { extensions.append(ext) }
    }

    /// Sets subjectAltName (critical only when the subject name is empty, RFC 5280 §4.2.1.6).
    public mutating func setSubjectAlternativeNames(_ names: [GeneralName]) {
        var w = DERWriter()
        w.sequence { w in for n in names { n.write(to: &w) } }
        setExtension(.subjectAltName, critical: subject.isEmpty, w.bytes)
    }

    // MARK: Signing

    /// Signs the certificate with its own key: issuer = subject.
    public func selfSigned(with key: RSAPrivateKey) throws(X509Error) -> Certificate {
        guard key.publicKey == publicKey else {
            throw X509Error(.invalidIssuingRequest, "the signing key is not the key being certified")
        }
        return try sign(issuer: subject, issuerKeyIdentifier: Self.keyIdentifier(publicKey), key: key)
    }

    /// Signs the certificate as `issuer`, whose private key is `key`.
    public func signed(by issuer: Certificate, key: RSAPrivateKey) throws(X509Error) -> Certificate {
        guard let issuerKey = try? issuer.publicKeyInfo.rsaPublicKey(), issuerKey == key.publicKey else {
            throw X509Error(.invalidIssuingRequest, "the signing key does not belong to the issuer certificate \(issuer.subject)")
        }
        let kid = issuer.extensions.subjectKeyIdentifier ?? Self.keyIdentifier(issuerKey)
        return try sign(issuer: issuer.subject, issuerKeyIdentifier: kid, key: key)
    }

    /// A random positive serial number of 16 bytes (RFC 5280 §4.1.2.2 allows up to 20).
    public static func randomSerialNumber(random: some RandomSource) -> [UInt8] {
        var serial = random.bytes(16)
        serial[0] = serial[0] & 0x7F | 0x01
        return serial
    }

    /// RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING contents.
    static func keyIdentifier(_ key: RSAPublicKey) -> [UInt8] {
        SHA1.hash(SubjectPublicKeyInfo(rsa: key).keyBytes)
    }

    private func sign(issuer: DistinguishedName, issuerKeyIdentifier: [UInt8], key: RSAPrivateKey) throws(X509Error) -> Certificate {
        let magnitude = Array(serialNumber.drop { $0 == 0 })
        guard !magnitude.isEmpty, magnitude.count <= 20 else {
            throw X509Error(.invalidIssuingRequest, "serial number must be a positive integer of at most 20 bytes")
        }
        guard validity.notBefore <= validity.notAfter else {
            throw X509Error(.invalidIssuingRequest, "validity ends (\(validity.notAfter)) before it starts (\(validity.notBefore))")
        }
        var all = extensions.filter { $0.oid != .subjectKeyIdentifier && $0.oid != .authorityKeyIdentifier }
        var ski = DERWriter()
        ski.octetString(Self.keyIdentifier(publicKey))
        all.append(Extension(oid: .subjectKeyIdentifier, isCritical: false, value: ski.bytes))
        all.append(Extension(oid: .authorityKeyIdentifier, isCritical: false, value: AuthorityKeyIdentifier(keyIdentifier: issuerKeyIdentifier).encoded))

        let algorithm = AlgorithmIdentifier.rsa(signatureAlgorithm.oid)
        guard let digestAlgorithm = signatureAlgorithm.digestAlgorithm else {
            throw X509Error(.unsupportedAlgorithm, "cannot sign with \(signatureAlgorithm)")
        }
        var tbs = DERWriter()
        tbs.sequence { w in
            w.explicit(0) { $0.integer(2) }  // v3
            w.unsignedInteger(magnitude)
            algorithm.write(to: &w)
            w.raw(issuer.encodedBytes)
            validity.write(to: &w)
            w.raw(subject.encodedBytes)
            w.raw(SubjectPublicKeyInfo(rsa: publicKey).encodedBytes)
            w.explicit(3) { w in w.sequence { w in for e in all { e.write(to: &w) } } }
        }
        let signature = try key.signPKCS1v15(
            digestAlgorithm: digestAlgorithm, digest: signatureAlgorithm.digest(tbs.bytes) ?? [])
        var cert = DERWriter()
        cert.sequence { w in
            w.raw(tbs.bytes)
            algorithm.write(to: &w)
            w.bitString(signature)
        }
        return try Certificate(derEncoded: cert.bytes)
    }
}

extension DistinguishedName.Attribute {
    /// commonName as a UTF8String.
    public static func commonName(_ value: String) -> Self { Self(.commonName, ASN1String(.utf8, value)) }
    /// organizationName as a UTF8String.
    public static func organization(_ value: String) -> Self { Self(.organizationName, ASN1String(.utf8, value)) }
    /// organizationalUnitName as a UTF8String.
    public static func organizationalUnit(_ value: String) -> Self { Self(.organizationalUnitName, ASN1String(.utf8, value)) }
    /// countryName: a PrintableString of two letters (RFC 5280 Appendix A).
    public static func country(_ value: String) -> Self { Self(.countryName, ASN1String(.printable, value)) }
}
