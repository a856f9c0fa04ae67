extension Certificate {
    /// The PEM labels that hold a certificate (RFC 7468 §5.1; `X509 CERTIFICATE` is the
    /// older form some tools still write).
    static let pemLabels: Set<String> = ["CERTIFICATE", "X509 CERTIFICATE"]

    /// Parses a certificate from text holding exactly one PEM block.
    public init(pemEncoded text: String) throws(X509Error) {
        let document = try PEMDocument(pemEncoded: text)
        guard Self.pemLabels.contains(document.label) else {
            throw X509Error(.unexpectedPEMLabel, "expected a CERTIFICATE PEM block, found \(document.label)")
        }
        try self.init(derEncoded: document.derBytes)
    }

    /// Every certificate in a PEM bundle, in order; blocks with other labels are skipped.
    public static func parseAll(pemEncoded text: String) throws(X509Error) -> [Certificate] {
        var certificates: [Certificate] = []
        for document in try PEMDocument.parseAll(text) where pemLabels.contains(document.label) {
            certificates.append(try Certificate(derEncoded: document.derBytes))
        }
        return certificates
    }

    /// The certificate as a `CERTIFICATE` PEM block.
    public var pemEncoded: String { PEMDocument(label: "CERTIFICATE", derBytes: derBytes).pemEncoded }
}
