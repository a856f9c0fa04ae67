/// The intended use of the end-entity key, expressed as the extKeyUsage purpose and the
/// keyUsage bits a TLS 1.0 peer certificate must allow (review finding F9).
extension VerificationPolicy {
    /// What a TLS 1.0 peer does with the key of the certificate being validated.
    public enum TLSUsage: Sendable, Hashable {
        /// A server whose key decrypts the premaster secret of a TLS_RSA_* suite (every
        /// suite of this stack): extKeyUsage serverAuth, and keyEncipherment when keyUsage
        /// is present (RFC 2246 §7.4.2: "the keyEncipherment bit must be set if the key
        /// usage extension is present").
        case rsaKeyExchangeServer
        /// A client whose key signs CertificateVerify (RFC 2246 §7.4.8): extKeyUsage
        /// clientAuth, and digitalSignature when keyUsage is present (RFC 5280 §4.2.1.3).
        case signingClient

        /// The extKeyUsage purpose of this use.
        public var purpose: ASN1ObjectIdentifier {
            switch self {
            case .rsaKeyExchangeServer: .serverAuth
            case .signingClient: .clientAuth
            }
        }

        /// The keyUsage bits this use needs.
        public var keyUsage: KeyUsage {
            switch self {
            case .rsaKeyExchangeServer: .keyEncipherment
            case .signingClient: .digitalSignature
            }
        }
    }

    /// Requires the end-entity certificate to allow `usage`: sets ``requiredPurpose`` and
    /// ``requiredKeyUsage``.
    public mutating func require(_ usage: TLSUsage) {
        requiredPurpose = usage.purpose
        requiredKeyUsage = usage.keyUsage
    }
}
