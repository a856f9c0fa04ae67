// Object identifiers this module knows by name, with their defining documents.

extension ASN1ObjectIdentifier {
    // MARK: Algorithms (RFC 8017 Appendix A, RFC 3279 §2.2.1, RFC 4055 §5)
    /// rsaEncryption, 1.2.840.113549.1.1.1.
    public static let rsaEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 1]
    /// md5WithRSAEncryption, 1.2.840.113549.1.1.4.
    public static let md5WithRSAEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 4]
    /// sha1WithRSAEncryption, 1.2.840.113549.1.1.5.
    public static let sha1WithRSAEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 5]
    /// sha256WithRSAEncryption, 1.2.840.113549.1.1.11.
    public static let sha256WithRSAEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 11]
    /// sha384WithRSAEncryption, 1.2.840.113549.1.1.12 (recognised, not verified).
    public static let sha384WithRSAEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 12]
    /// sha512WithRSAEncryption, 1.2.840.113549.1.1.13 (recognised, not verified).
    public static let sha512WithRSAEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 13]
    /// id-dsa-with-sha1, 1.2.840.10040.4.3 (recognised, not verified).
    public static let dsaWithSHA1: ASN1ObjectIdentifier = [1, 2, 840, 10040, 4, 3]

    // MARK: Extensions (RFC 5280 §4.2.1)
    /// id-ce-subjectKeyIdentifier, 2.5.29.14.
    public static let subjectKeyIdentifier: ASN1ObjectIdentifier = [2, 5, 29, 14]
    /// id-ce-keyUsage, 2.5.29.15.
    public static let keyUsage: ASN1ObjectIdentifier = [2, 5, 29, 15]
    /// id-ce-subjectAltName, 2.5.29.17.
    public static let subjectAltName: ASN1ObjectIdentifier = [2, 5, 29, 17]
    /// id-ce-basicConstraints, 2.5.29.19.
    public static let basicConstraints: ASN1ObjectIdentifier = [2, 5, 29, 19]
    /// id-ce-nameConstraints, 2.5.29.30.
    public static let nameConstraints: ASN1ObjectIdentifier = [2, 5, 29, 30]
    /// id-ce-certificatePolicies, 2.5.29.32 (not processed).
    public static let certificatePolicies: ASN1ObjectIdentifier = [2, 5, 29, 32]
    /// id-ce-authorityKeyIdentifier, 2.5.29.35.
    public static let authorityKeyIdentifier: ASN1ObjectIdentifier = [2, 5, 29, 35]
    /// id-ce-extKeyUsage, 2.5.29.37.
    public static let extendedKeyUsage: ASN1ObjectIdentifier = [2, 5, 29, 37]

    // MARK: Key purposes (RFC 5280 §4.2.1.12)
    /// anyExtendedKeyUsage, 2.5.29.37.0.
    public static let anyExtendedKeyUsage: ASN1ObjectIdentifier = [2, 5, 29, 37, 0]
    /// id-kp-serverAuth, 1.3.6.1.5.5.7.3.1.
    public static let serverAuth: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 3, 1]
    /// id-kp-clientAuth, 1.3.6.1.5.5.7.3.2.
    public static let clientAuth: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 3, 2]
    /// id-kp-codeSigning, 1.3.6.1.5.5.7.3.3.
    public static let codeSigning: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 3, 3]
    /// id-kp-emailProtection, 1.3.6.1.5.5.7.3.4.
    public static let emailProtection: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 3, 4]
    /// id-kp-timeStamping, 1.3.6.1.5.5.7.3.8.
    public static let timeStamping: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 3, 8]
    /// id-kp-OCSPSigning, 1.3.6.1.5.5.7.3.9.
    public static let ocspSigning: ASN1ObjectIdentifier = [1, 3, 6, 1, 5, 5, 7, 3, 9]

    // MARK: Name attributes (RFC 5280 §4.1.2.4 and Appendix A, RFC 4519, RFC 4514 §3)
    /// commonName (CN), 2.5.4.3.
    public static let commonName: ASN1ObjectIdentifier = [2, 5, 4, 3]
    /// surname (SN), 2.5.4.4.
    public static let surname: ASN1ObjectIdentifier = [2, 5, 4, 4]
    /// serialNumber, 2.5.4.5.
    public static let serialNumber: ASN1ObjectIdentifier = [2, 5, 4, 5]
    /// countryName (C), 2.5.4.6.
    public static let countryName: ASN1ObjectIdentifier = [2, 5, 4, 6]
    /// localityName (L), 2.5.4.7.
    public static let localityName: ASN1ObjectIdentifier = [2, 5, 4, 7]
    /// stateOrProvinceName (ST), 2.5.4.8.
    public static let stateOrProvinceName: ASN1ObjectIdentifier = [2, 5, 4, 8]
    /// streetAddress (STREET), 2.5.4.9.
    public static let streetAddress: ASN1ObjectIdentifier = [2, 5, 4, 9]
    /// organizationName (O), 2.5.4.10.
    public static let organizationName: ASN1ObjectIdentifier = [2, 5, 4, 10]
    /// organizationalUnitName (OU), 2.5.4.11.
    public static let organizationalUnitName: ASN1ObjectIdentifier = [2, 5, 4, 11]
    /// title, 2.5.4.12.
    public static let title: ASN1ObjectIdentifier = [2, 5, 4, 12]
    /// givenName, 2.5.4.42.
    public static let givenName: ASN1ObjectIdentifier = [2, 5, 4, 42]
    /// initials, 2.5.4.43.
    public static let initials: ASN1ObjectIdentifier = [2, 5, 4, 43]
    /// generationQualifier, 2.5.4.44.
    public static let generationQualifier: ASN1ObjectIdentifier = [2, 5, 4, 44]
    /// dnQualifier, 2.5.4.46.
    public static let dnQualifier: ASN1ObjectIdentifier = [2, 5, 4, 46]
    /// pseudonym, 2.5.4.65.
    public static let pseudonym: ASN1ObjectIdentifier = [2, 5, 4, 65]
    /// domainComponent (DC), 0.9.2342.19200300.100.1.25.
    public static let domainComponent: ASN1ObjectIdentifier = [0, 9, 2342, 19_200_300, 100, 1, 25]
    /// userId (UID), 0.9.2342.19200300.100.1.1.
    public static let userID: ASN1ObjectIdentifier = [0, 9, 2342, 19_200_300, 100, 1, 1]
    /// emailAddress (PKCS #9), 1.2.840.113549.1.9.1.
    public static let emailAddress: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 9, 1]

    /// The short name RFC 4514 §3 defines for a name attribute, if any.
    var rfc4514Name: String? {
        switch self {
        case .commonName: "CN"
        case .localityName: "L"
        case .stateOrProvinceName: "ST"
        case .organizationName: "O"
        case .organizationalUnitName: "OU"
        case .countryName: "C"
        case .streetAddress: "STREET"
        case .domainComponent: "DC"
        case .userID: "UID"
        default: nil
        }
    }

    /// The name OpenSSL prints for an attribute, algorithm or purpose, if it has one.
    var opensslName: String? {
        if let short = rfc4514Name { return short }
        switch self {
        case .surname: return "SN"
        case .serialNumber: return "serialNumber"
        case .title: return "title"
        case .givenName: return "GN"
        case .initials: return "initials"
        case .generationQualifier: return "generationQualifier"
        case .dnQualifier: return "dnQualifier"
        case .pseudonym: return "pseudonym"
        case .emailAddress: return "emailAddress"
        case .rsaEncryption: return "rsaEncryption"
        case .md5WithRSAEncryption: return "md5WithRSAEncryption"
        case .sha1WithRSAEncryption: return "sha1WithRSAEncryption"
        case .sha256WithRSAEncryption: return "sha256WithRSAEncryption"
        case .sha384WithRSAEncryption: return "sha384WithRSAEncryption"
        case .sha512WithRSAEncryption: return "sha512WithRSAEncryption"
        case .dsaWithSHA1: return "dsaWithSHA1"
        case .serverAuth: return "TLS Web Server Authentication"
        case .clientAuth: return "TLS Web Client Authentication"
        case .codeSigning: return "Code Signing"
        case .emailProtection: return "E-mail Protection"
        case .timeStamping: return "Time Stamping"
        case .ocspSigning: return "OCSP Signing"
        case .anyExtendedKeyUsage: return "Any Extended Key Usage"
        default: return nil
        }
    }
}
