/// One entry of a CRL's revokedCertificates (RFC 5280 §5.1.2.6, §5.3).
public struct RevokedCertificate: Hashable, Sendable {
    /// The serial number as INTEGER contents (two's complement, big-endian), compared
    /// byte for byte with ``Certificate/serialNumber``.
    public let serialNumber: [UInt8]
    /// When the certificate was revoked.
    public let revocationDate: ASN1Time
    /// The reasonCode entry extension, if present.
    public let reason: RevocationReason?
    /// The entry extensions, as encoded.
    public let extensions: [Extension]

    /// The entry extensions this module processes; a critical one outside this set makes
    /// the whole CRL unusable (RFC 5280 §5.3). certificateIssuer is not in it: indirect
    /// CRLs are not supported.
    static let handled: Set<ASN1ObjectIdentifier> = [.crlReason, .invalidityDate, .holdInstructionCode]

    /// Parses `SEQUENCE { userCertificate, revocationDate, crlEntryExtensions OPTIONAL }`.
    init(_ node: ASN1Node, version: Int) throws(X509Error) {
        try node.expect(.sequence, "revokedCertificates entry")
        var fields = try node.children()
        serialNumber = Array(try fields.read(.integer, "userCertificate").integerBytes())
        guard !fields.isAtEnd else { throw node.error(.invalidCertificate, "CRL entry has no revocationDate") }
        revocationDate = try fields.next().time()
        var extensions: [Extension] = []
        if let list = try fields.readIfPresent(.sequence) {
            guard version == 2 else { throw list.error(.invalidCertificate, "CRL entry extensions in a v1 CRL") }
            var reader = try list.children()
            while !reader.isAtEnd {
                let ext = try Extension(reader.next())
                guard !extensions.contains(where: { $0.oid == ext.oid }) else {
                    throw list.error(.invalidExtension, "CRL entry extension \(ext.oid) appears twice")
                }
                extensions.append(ext)
            }
            guard !extensions.isEmpty else { throw list.error(.invalidExtension, "empty crlEntryExtensions") }
        }
        try fields.finish("revokedCertificates entry")
        self.extensions = extensions
        if let ext = extensions.first(where: { $0.oid == .crlReason }) {
            let value = try DER.parse(ext.value)
            try value.expect(.enumerated, "CRLReason")
            reason = RevocationReason(rawValue: try value.integerValue(tag: .enumerated))
        } else {
            reason = nil
        }
    }

    /// Critical entry extensions this module does not process.
    var unhandledCritical: [ASN1ObjectIdentifier] {
        extensions.filter { $0.isCritical && !Self.handled.contains($0.oid) }.map(\.oid)
    }
}
