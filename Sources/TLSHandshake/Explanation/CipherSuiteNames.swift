/// Names of cipher suites a peer may offer, implemented here or not, so that messages
/// and the probe can say "ECDHE-RSA-AES128-GCM-SHA256" instead of "0xC02F". Independent of
/// ``CipherSuite/all`` (what this stack implements): this is a dictionary, not a capability.
public enum CipherSuiteNames {
    /// One known suite: IANA code point, IANA name, OpenSSL name.
    public struct Entry: Sendable {
        /// The IANA code point.
        public let id: UInt16
        /// The IANA name (`TLS_RSA_WITH_AES_128_CBC_SHA`).
        public let iana: String
        /// The OpenSSL name (`AES128-SHA`), or the IANA name when OpenSSL has none.
        public let openssl: String
    }

    /// The suites DICOM's profiles (PS3.15 B.1, B.3, B.9–B.13) and common devices name,
    /// TLS 1.3 suites included.
    public static let table: [Entry] = [
        Entry(id: 0x0002, iana: "TLS_RSA_WITH_NULL_SHA", openssl: "NULL-SHA"),
        Entry(id: 0x0004, iana: "TLS_RSA_WITH_RC4_128_MD5", openssl: "RC4-MD5"),
        Entry(id: 0x0005, iana: "TLS_RSA_WITH_RC4_128_SHA", openssl: "RC4-SHA"),
        Entry(id: 0x0009, iana: "TLS_RSA_WITH_DES_CBC_SHA", openssl: "DES-CBC-SHA"),
        Entry(id: 0x000A, iana: "TLS_RSA_WITH_3DES_EDE_CBC_SHA", openssl: "DES-CBC3-SHA"),
        Entry(id: 0x0016, iana: "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA", openssl: "EDH-RSA-DES-CBC3-SHA"),
        Entry(id: 0x002F, iana: "TLS_RSA_WITH_AES_128_CBC_SHA", openssl: "AES128-SHA"),
        Entry(id: 0x0033, iana: "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", openssl: "DHE-RSA-AES128-SHA"),
        Entry(id: 0x0035, iana: "TLS_RSA_WITH_AES_256_CBC_SHA", openssl: "AES256-SHA"),
        Entry(id: 0x0039, iana: "TLS_DHE_RSA_WITH_AES_256_CBC_SHA", openssl: "DHE-RSA-AES256-SHA"),
        Entry(id: 0x003C, iana: "TLS_RSA_WITH_AES_128_CBC_SHA256", openssl: "AES128-SHA256"),
        Entry(id: 0x003D, iana: "TLS_RSA_WITH_AES_256_CBC_SHA256", openssl: "AES256-SHA256"),
        Entry(id: 0x0067, iana: "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256", openssl: "DHE-RSA-AES128-SHA256"),
        Entry(id: 0x006B, iana: "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256", openssl: "DHE-RSA-AES256-SHA256"),
        Entry(id: 0x009C, iana: "TLS_RSA_WITH_AES_128_GCM_SHA256", openssl: "AES128-GCM-SHA256"),
        Entry(id: 0x009D, iana: "TLS_RSA_WITH_AES_256_GCM_SHA384", openssl: "AES256-GCM-SHA384"),
        Entry(id: 0x009E, iana: "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", openssl: "DHE-RSA-AES128-GCM-SHA256"),
        Entry(id: 0x009F, iana: "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384", openssl: "DHE-RSA-AES256-GCM-SHA384"),
        Entry(id: 0x1301, iana: "TLS_AES_128_GCM_SHA256", openssl: "TLS_AES_128_GCM_SHA256"),
        Entry(id: 0x1302, iana: "TLS_AES_256_GCM_SHA384", openssl: "TLS_AES_256_GCM_SHA384"),
        Entry(id: 0x1303, iana: "TLS_CHACHA20_POLY1305_SHA256", openssl: "TLS_CHACHA20_POLY1305_SHA256"),
        Entry(id: 0xC009, iana: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", openssl: "ECDHE-ECDSA-AES128-SHA"),
        Entry(id: 0xC00A, iana: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA", openssl: "ECDHE-ECDSA-AES256-SHA"),
        Entry(id: 0xC012, iana: "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA", openssl: "ECDHE-RSA-DES-CBC3-SHA"),
        Entry(id: 0xC013, iana: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", openssl: "ECDHE-RSA-AES128-SHA"),
        Entry(id: 0xC014, iana: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", openssl: "ECDHE-RSA-AES256-SHA"),
        Entry(id: 0xC023, iana: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", openssl: "ECDHE-ECDSA-AES128-SHA256"),
        Entry(id: 0xC024, iana: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384", openssl: "ECDHE-ECDSA-AES256-SHA384"),
        Entry(id: 0xC027, iana: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", openssl: "ECDHE-RSA-AES128-SHA256"),
        Entry(id: 0xC028, iana: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384", openssl: "ECDHE-RSA-AES256-SHA384"),
        Entry(id: 0xC02B, iana: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", openssl: "ECDHE-ECDSA-AES128-GCM-SHA256"),
        Entry(id: 0xC02C, iana: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", openssl: "ECDHE-ECDSA-AES256-GCM-SHA384"),
        Entry(id: 0xC02F, iana: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", openssl: "ECDHE-RSA-AES128-GCM-SHA256"),
        Entry(id: 0xC030, iana: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", openssl: "ECDHE-RSA-AES256-GCM-SHA384"),
        Entry(id: 0xCCA8, iana: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", openssl: "ECDHE-RSA-CHACHA20-POLY1305"),
        Entry(id: 0xCCA9, iana: "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", openssl: "ECDHE-ECDSA-CHACHA20-POLY1305"),
        Entry(id: 0x00FF, iana: "TLS_EMPTY_RENEGOTIATION_INFO_SCSV", openssl: "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"),
        Entry(id: 0x5600, iana: "TLS_FALLBACK_SCSV", openssl: "TLS_FALLBACK_SCSV"),
    ]

    /// The table entry for `id`, if known.
    public static func entry(_ id: UInt16) -> Entry? { table.first { $0.id == id } }

    /// The OpenSSL name of `id` when known, else `0xNNNN`.
    public static func name(_ id: UInt16) -> String { entry(id)?.openssl ?? hex16(id) }

    /// `0x` and four hex digits.
    public static func hex16(_ v: UInt16) -> String {
        let digits = String(v, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: 4 - digits.count) + digits
    }
}
