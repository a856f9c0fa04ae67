/// The cipher that protects a private key we write (PKCS#8 PBES2 or OpenSSL's traditional PEM).
///
/// ``aes256CBC`` is the default, as in OpenSSL 3 (`openssl genpkey -aes256`, `pkcs8 -topk8`);
/// ``desEDE3CBC`` is for old readers that have no AES.
public enum PrivateKeyCipher: Sendable, Hashable, CaseIterable {
    /// AES-128-CBC (FIPS 197, RFC 3565).
    case aes128CBC
    /// AES-192-CBC.
    case aes192CBC
    /// AES-256-CBC, OpenSSL 3's default.
    case aes256CBC
    /// DES-EDE3-CBC (three-key 3DES).
    case desEDE3CBC

    var cipher: KeyEncryptionCipher {
        switch self {
        case .aes128CBC: .aes128CBC
        case .aes192CBC: .aes192CBC
        case .aes256CBC: .aes256CBC
        case .desEDE3CBC: .desEDE3CBC
        }
    }

    /// The name OpenSSL uses, as in `DEK-Info` (`AES-256-CBC`).
    public var opensslName: String { cipher.opensslName }
}
