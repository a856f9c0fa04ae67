/// The bulk cipher of a connection state (RFC 2246 §6.1, `BulkCipherAlgorithm`), limited
/// to the ciphers of our suites.
public enum BulkCipherAlgorithm: Hashable, Sendable, CustomStringConvertible {
    /// No encryption (the initial state and `TLS_RSA_WITH_NULL_SHA`).
    case null
    /// Single DES-CBC (`TLS_RSA_WITH_DES_CBC_SHA`).
    case des
    /// 3DES-EDE-CBC with three keys (`TLS_RSA_WITH_3DES_EDE_CBC_SHA`).
    case tripleDES
    /// AES-128-CBC (`TLS_RSA_WITH_AES_128_CBC_SHA`, RFC 3268).
    case aes128
    /// AES-256-CBC (`TLS_RSA_WITH_AES_256_CBC_SHA`, RFC 3268).
    case aes256

    /// Key length in bytes (`key_material` of RFC 2246 §6.3).
    public var keyByteCount: Int {
        switch self {
        case .null: 0
        case .des: 8
        case .tripleDES: 24
        case .aes128: 16
        case .aes256: 32
        }
    }

    /// IV length in bytes (`IV_size`).
    public var ivByteCount: Int {
        switch self {
        case .null: 0
        case .des, .tripleDES: 8
        case .aes128, .aes256: 16
        }
    }

    /// Cipher block length in bytes; 0 for the null cipher.
    public var blockByteCount: Int { ivByteCount }

    /// Whether the cipher is a 64-bit block cipher, so Sweet32 limits apply (not to AES's
    /// 128-bit blocks).
    public var hasSmallBlock: Bool { blockByteCount == 8 }

    public var description: String {
        switch self {
        case .null: "NULL"
        case .des: "DES-CBC"
        case .tripleDES: "3DES-EDE-CBC"
        case .aes128: "AES-128-CBC"
        case .aes256: "AES-256-CBC"
        }
    }
}
