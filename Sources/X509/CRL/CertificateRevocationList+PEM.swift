import Foundation

extension CertificateRevocationList {
    /// The PEM label of a CRL (RFC 7468 §6).
    static let pemLabel = "X509 CRL"

    /// Every CRL in a PEM text, in order; blocks with other labels are skipped.
    public static func parseAll(pemEncoded text: String) throws(X509Error) -> [CertificateRevocationList] {
        var crls: [CertificateRevocationList] = []
        for document in try PEMDocument.parseAll(text) where document.label == pemLabel {
            crls.append(try CertificateRevocationList(derEncoded: document.derBytes))
        }
        return crls
    }

    /// The CRLs of one file: DER when it starts with a SEQUENCE, PEM otherwise (as
    /// `--crl-file` takes them).
    ///
    /// - Throws: ``X509Error`` when the file cannot be read, is malformed, or holds no CRL.
    public static func load(contentsOfFile path: String) throws(X509Error) -> [CertificateRevocationList] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw X509Error(.invalidTrustStore, "cannot read CRL file \(path)")
        }
        let bytes = Array(data)
        if bytes.first == 0x30 { return [try CertificateRevocationList(derEncoded: bytes)] }
        let crls = try parseAll(pemEncoded: String(decoding: bytes, as: UTF8.self))
        guard !crls.isEmpty else { throw X509Error(.invalidTrustStore, "CRL file \(path) holds no X509 CRL block") }
        return crls
    }

    /// The CRL as an `X509 CRL` PEM block.
    public var pemEncoded: String { PEMDocument(label: Self.pemLabel, derBytes: derBytes).pemEncoded }
}
