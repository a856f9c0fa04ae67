import CryptoPrimitives
import DicomUL
import X509

/// Certificate ↔ calling AE title binding: a calling AE title is accepted only from a client
/// whose TLS certificate is listed for it, so a certificate from the site CA cannot claim
/// another modality's identity. A refusal is A-ASSOCIATE-RJ rejected-permanent,
/// service-user, calling-AE-title-not-recognized (PS3.8 Table 9-21), logged with the reason.
public struct CertificateAEBinding: Sendable {
    /// How a certificate is named in the table.
    public enum Identity: Sendable, Hashable {
        /// The SHA-256 of the certificate's DER encoding.
        case sha256Fingerprint([UInt8])
        /// The subject distinguished name as this library prints it (e.g. `CN=CT1,O=Site`).
        case subject(String)

        /// A fingerprint from hex (colons and spaces ignored, any case); nil if not 32 bytes.
        public static func fingerprint(hex: String) -> Identity? {
            let digits = hex.filter(\.isHexDigit)
            guard digits.count == 64 else { return nil }
            var bytes: [UInt8] = []
            var index = digits.startIndex
            while index < digits.endIndex {
                let next = digits.index(index, offsetBy: 2)
                guard let byte = UInt8(digits[index..<next], radix: 16) else { return nil }
                bytes.append(byte)
                index = next
            }
            return .sha256Fingerprint(bytes)
        }

        func matches(_ certificate: Certificate) -> Bool {
            switch self {
            case .sha256Fingerprint(let digest): SHA256.hash(certificate.derBytes) == digest
            case .subject(let name): certificate.subject.description == name
            }
        }
    }

    /// The certificates allowed for each calling AE title.
    public var table: [String: [Identity]]
    /// Whether a certificate carrying the SAN URI `urn:dicom:aetitle:<AE>` (what
    /// `dicomtls cert issue client --aet AE` writes) may call as that AE title too.
    public var acceptsAETitleURI: Bool

    /// Creates a binding.
    public init(table: [String: [Identity]], acceptsAETitleURI: Bool = false) {
        self.table = table
        self.acceptsAETitleURI = acceptsAETitleURI
    }

    /// Why `callingAETitle` may not be used with `certificate`; nil when it may.
    public func refusal(callingAETitle: String, certificate: Certificate?) -> String? {
        guard let certificate else {
            return "calling AE title \(LogText.quoted(callingAETitle)) needs a client certificate bound to it, and the peer sent none"
        }
        if let listed = table[callingAETitle], listed.contains(where: { $0.matches(certificate) }) { return nil }
        if acceptsAETitleURI, (certificate.extensions.subjectAlternativeNames ?? []).contains(.uri(Self.uriPrefix + callingAETitle)) {
            return nil
        }
        let fingerprint = SHA256.hash(certificate.derBytes).map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        return "calling AE title \(LogText.quoted(callingAETitle)) is not bound to the client certificate "
            + "\(LogText.quoted(certificate.subject.description)) (SHA-256 \(fingerprint))"
    }

    /// The SAN URI prefix of an AE title (this toolkit's convention; DICOM defines none).
    public static let uriPrefix = "urn:dicom:aetitle:"
}
