/// A PKCS #10 certification request (RFC 2986), as `openssl req` and devices make them,
/// parsed strictly from DER.
///
/// ``isSignatureValid`` says whether the request is signed by the key it carries (proof of
/// possession); which requested extensions a CA honours is the CA's policy, not the
/// request's (``requestedExtensions`` are only a wish list).
public struct CertificationRequest: Sendable {
    /// The requested subject name.
    public let subject: DistinguishedName
    /// The key to certify.
    public let publicKeyInfo: SubjectPublicKeyInfo
    /// The extensions requested through the PKCS #9 extensionRequest attribute.
    public let requestedExtensions: [Extension]
    /// The signature algorithm.
    public let signatureAlgorithm: AlgorithmIdentifier
    /// The signature bytes.
    public let signature: [UInt8]
    /// The DER of certificationRequestInfo, exactly as received.
    public let infoBytes: [UInt8]
    private let signatureUnusedBits: Int

    /// pkcs-9-at-extensionRequest, 1.2.840.113549.1.9.14 (RFC 2985 §5.4.2).
    static let extensionRequest: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 14]
    /// More attributes than this are refused (hostile input bound).
    static let maximumAttributes = 16

    /// Parses a DER request.
    public init(derEncoded bytes: [UInt8]) throws(X509Error) {
        let root = try DER.parse(bytes)
        try root.expect(.sequence, "CertificationRequest")
        var top = try root.children()
        let info = try top.read(.sequence, "certificationRequestInfo")
        signatureAlgorithm = try AlgorithmIdentifier(top.read(.sequence, "signatureAlgorithm"))
        let sig = try top.read(.bitString, "signature").bitString()
        try top.finish("CertificationRequest")
        signature = Array(sig.bytes)
        signatureUnusedBits = sig.unusedBits
        infoBytes = Array(info.encodedBytes)

        var f = try info.children()
        guard try f.read(.integer, "version").integerValue() == 0 else {
            throw info.error(.invalidCertificate, "unknown PKCS #10 version (only v1, 0, exists)")
        }
        subject = try DistinguishedName(f.read(.sequence, "subject"))
        publicKeyInfo = try SubjectPublicKeyInfo(f.read(.sequence, "subjectPKInfo"))
        let attributes = try f.read(.contextSpecific(0, constructed: true), "attributes")
        try f.finish("certificationRequestInfo")
        var reader = try attributes.children()
        var extensions: [Extension] = []
        var count = 0
        while !reader.isAtEnd {
            count += 1
            guard count <= Self.maximumAttributes else { throw attributes.error(.invalidCertificate, "too many request attributes") }
            let attribute = try reader.read(.sequence, "Attribute")
            var fields = try attribute.children()
            let type = try fields.read(.objectIdentifier, "Attribute.type").objectIdentifier()
            let values = try fields.read(.set, "Attribute.values")
            try fields.finish("Attribute")
            guard type == Self.extensionRequest else { continue }
            var valueReader = try values.children()
            let list = try valueReader.read(.sequence, "extensionRequest")
            try valueReader.finish("extensionRequest")
            var extReader = try list.children()
            while !extReader.isAtEnd {
                let ext = try Extension(extReader.next())
                guard !extensions.contains(where: { $0.oid == ext.oid }) else {
                    throw list.error(.invalidExtension, "requested extension \(ext.oid) appears twice")
                }
                extensions.append(ext)
            }
        }
        requestedExtensions = extensions
    }

    /// Parses a `CERTIFICATE REQUEST` (or `NEW CERTIFICATE REQUEST`) PEM block.
    public init(pemEncoded text: String) throws(X509Error) {
        let document = try PEMDocument(pemEncoded: text)
        guard document.label == "CERTIFICATE REQUEST" || document.label == "NEW CERTIFICATE REQUEST" else {
            throw X509Error(.unexpectedPEMLabel, "expected a CERTIFICATE REQUEST PEM block, found \(document.label)")
        }
        try self.init(derEncoded: document.derBytes)
    }

    /// Whether the request is signed by the private key of ``publicKeyInfo`` (RSA,
    /// sha1/sha256WithRSAEncryption).
    public var isSignatureValid: Bool {
        let kind = SignatureAlgorithm(oid: signatureAlgorithm.oid)
        guard signatureUnusedBits == 0, signatureAlgorithm.hasNullOrAbsentParameters, kind != .md5WithRSA,
            let algorithm = kind.digestAlgorithm, let digest = kind.digest(infoBytes),
            let key = try? publicKeyInfo.rsaPublicKey()
        else { return false }
        return key.verifyPKCS1v15(signature: signature, digestAlgorithm: algorithm, digest: digest)
    }

    /// The requested subjectAltName entries, if the request has a well-formed one.
    public var requestedSubjectAlternativeNames: [GeneralName]? {
        guard let ext = requestedExtensions.first(where: { $0.oid == .subjectAltName }),
            let node = try? DER.parse(ext.value)
        else { return nil }
        return try? GeneralName.parseSequence(node)
    }
}
