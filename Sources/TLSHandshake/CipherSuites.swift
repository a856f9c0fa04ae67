import TLSRecord

/// A TLS 1.0 cipher suite: one row of a table, in the style of Go's `cipher_suites.go`.
///
/// Only RSA key exchange with SHA-1 MACs is implemented (DESIGN.md §4). Export suites
/// are never defined, so they can never be offered or chosen (FREAK).
public struct CipherSuite: Hashable, Sendable, CustomStringConvertible {
    /// The IANA code point.
    public let id: UInt16
    /// The IANA name, e.g. `TLS_RSA_WITH_3DES_EDE_CBC_SHA`.
    public let name: String
    /// The bulk cipher's name as reported to users (`AES-128-CBC`, `AES-256-CBC`,
    /// `3DES-EDE-CBC`, `DES-CBC`, `NULL`).
    public let encryptionAlgorithm: String
    /// The MAC's name as reported to users (`HMAC-SHA1`).
    public let integrityAlgorithm: String
    /// Bytes of write key per direction (RFC 2246 Appendix C `Key Material`).
    public let keyByteCount: Int
    /// Bytes of IV per direction (the cipher block size; 0 for NULL).
    public let ivByteCount: Int
    /// Bytes of MAC secret per direction (`hash_size`).
    public let macKeyByteCount: Int
    /// The record layer's cipher for this suite.
    public let bulkCipher: BulkCipherAlgorithm
    /// The record layer's MAC for this suite.
    public let mac: MACAlgorithm

    /// Whether the suite encrypts (NULL suites only authenticate).
    public var isEncrypting: Bool { keyByteCount > 0 }

    /// Whether the suite uses a 64-bit block cipher (Sweet32 limits apply).
    public var hasSmallBlock: Bool { ivByteCount == 8 }

    /// Length of the key block these parameters need (RFC 2246 §6.3).
    var keyBlockByteCount: Int { 2 * (macKeyByteCount + keyByteCount + ivByteCount) }

    public var description: String { name }

    // MARK: The table

    /// `TLS_RSA_WITH_AES_128_CBC_SHA` (0x002F, RFC 3268): the DICOM AES TLS profile suite
    /// (PS3.15 B.3), offered first by default.
    public static let rsaWithAES128CBCSHA = CipherSuite(
        id: 0x002F, name: "TLS_RSA_WITH_AES_128_CBC_SHA", encryptionAlgorithm: "AES-128-CBC",
        integrityAlgorithm: "HMAC-SHA1", bulkCipher: .aes128)
    /// `TLS_RSA_WITH_AES_256_CBC_SHA` (0x0035, RFC 3268).
    public static let rsaWithAES256CBCSHA = CipherSuite(
        id: 0x0035, name: "TLS_RSA_WITH_AES_256_CBC_SHA", encryptionAlgorithm: "AES-256-CBC",
        integrityAlgorithm: "HMAC-SHA1", bulkCipher: .aes256)
    /// `TLS_RSA_WITH_3DES_EDE_CBC_SHA` (0x000A): the DICOM Basic TLS profile suite, and the
    /// AES profile's fallback.
    public static let rsaWith3DESEDECBCSHA = CipherSuite(
        id: 0x000A, name: "TLS_RSA_WITH_3DES_EDE_CBC_SHA", encryptionAlgorithm: "3DES-EDE-CBC",
        integrityAlgorithm: "HMAC-SHA1", bulkCipher: .tripleDES)
    /// `TLS_RSA_WITH_DES_CBC_SHA` (0x0009).
    public static let rsaWithDESCBCSHA = CipherSuite(
        id: 0x0009, name: "TLS_RSA_WITH_DES_CBC_SHA", encryptionAlgorithm: "DES-CBC",
        integrityAlgorithm: "HMAC-SHA1", bulkCipher: .des)
    /// `TLS_RSA_WITH_NULL_SHA` (0x0002): integrity only; never enabled unless configured.
    public static let rsaWithNullSHA = CipherSuite(
        id: 0x0002, name: "TLS_RSA_WITH_NULL_SHA", encryptionAlgorithm: "NULL",
        integrityAlgorithm: "HMAC-SHA1", bulkCipher: .null)

    /// Every suite this stack implements.
    public static let all: [CipherSuite] = [
        .rsaWithAES128CBCSHA, .rsaWithAES256CBCSHA, .rsaWith3DESEDECBCSHA, .rsaWithDESCBCSHA, .rsaWithNullSHA,
    ]

    /// The default offer, in preference order: AES-128, AES-256, then 3DES, which is the
    /// DICOM AES TLS profile's preference with its fallback (PS3.15 B.3) and keeps the Basic
    /// TLS profile's suite (B.1) for older peers. Single DES (a 56-bit key, searchable in
    /// hours) and NULL (no encryption) are implemented but are offered or accepted only when
    /// listed in ``TLSConfiguration/cipherSuites``.
    public static let defaults: [CipherSuite] = [.rsaWithAES128CBCSHA, .rsaWithAES256CBCSHA, .rsaWith3DESEDECBCSHA]

    /// The suite with this IANA code point, if implemented.
    public init?(id: UInt16) {
        guard let s = Self.all.first(where: { $0.id == id }) else { return nil }
        self = s
    }

    /// The suite with this IANA name (e.g. `TLS_RSA_WITH_DES_CBC_SHA`), if implemented.
    public init?(name: String) {
        guard let s = Self.all.first(where: { $0.name == name }) else { return nil }
        self = s
    }

    private init(
        id: UInt16, name: String, encryptionAlgorithm: String, integrityAlgorithm: String,
        bulkCipher: BulkCipherAlgorithm
    ) {
        self.id = id
        self.name = name
        self.encryptionAlgorithm = encryptionAlgorithm
        self.integrityAlgorithm = integrityAlgorithm
        self.bulkCipher = bulkCipher
        mac = .sha1
        keyByteCount = bulkCipher.keyByteCount
        ivByteCount = bulkCipher.ivByteCount
        macKeyByteCount = MACAlgorithm.sha1.byteCount
    }

    // MARK: Signalling cipher suite values

    /// `TLS_EMPTY_RENEGOTIATION_INFO_SCSV` (RFC 5746 §3.3).
    static let emptyRenegotiationInfoSCSV: UInt16 = 0x00FF
    /// `TLS_FALLBACK_SCSV` (RFC 7507 §2).
    static let fallbackSCSV: UInt16 = 0x5600
}
