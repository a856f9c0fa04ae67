import TLSHandshake

/// The cipher suites the probe offers: the suites PS3.15's profiles name (B.1 3DES, B.3
/// AES, the BCP 195 suites of B.9–B.13) and the weak ones a verdict must notice. This
/// table is the probe's own, independent of what our engine implements.
struct ProbeSuite: Sendable {
    /// How the suite exchanges keys and protects records, for the verdicts.
    enum Kind: String, Sendable { case rsaCBC, rsaGCM, forwardSecretCBC, forwardSecretAEAD, tls13, weak }

    let id: UInt16
    let kind: Kind
    /// TLS 1.2 only (SHA-256/384 MACs, AEAD).
    let tls12Only: Bool

    var name: String { CipherSuiteNames.entry(id)?.iana ?? CipherSuiteNames.hex16(id) }

    /// Every suite the probe tries below TLS 1.3, in the order it offers them.
    static let legacy: [ProbeSuite] = [
        .init(id: 0xC02F, kind: .forwardSecretAEAD, tls12Only: true), .init(id: 0xC030, kind: .forwardSecretAEAD, tls12Only: true),
        .init(id: 0xC02B, kind: .forwardSecretAEAD, tls12Only: true), .init(id: 0xC02C, kind: .forwardSecretAEAD, tls12Only: true),
        .init(id: 0x009E, kind: .forwardSecretAEAD, tls12Only: true), .init(id: 0x009F, kind: .forwardSecretAEAD, tls12Only: true),
        .init(id: 0xCCA8, kind: .forwardSecretAEAD, tls12Only: true), .init(id: 0xCCA9, kind: .forwardSecretAEAD, tls12Only: true),
        .init(id: 0xC027, kind: .forwardSecretCBC, tls12Only: true), .init(id: 0xC028, kind: .forwardSecretCBC, tls12Only: true),
        .init(id: 0xC023, kind: .forwardSecretCBC, tls12Only: true), .init(id: 0xC024, kind: .forwardSecretCBC, tls12Only: true),
        .init(id: 0x0067, kind: .forwardSecretCBC, tls12Only: true), .init(id: 0x006B, kind: .forwardSecretCBC, tls12Only: true),
        .init(id: 0xC013, kind: .forwardSecretCBC, tls12Only: false), .init(id: 0xC014, kind: .forwardSecretCBC, tls12Only: false),
        .init(id: 0xC009, kind: .forwardSecretCBC, tls12Only: false), .init(id: 0xC00A, kind: .forwardSecretCBC, tls12Only: false),
        .init(id: 0x0033, kind: .forwardSecretCBC, tls12Only: false), .init(id: 0x0039, kind: .forwardSecretCBC, tls12Only: false),
        .init(id: 0x009C, kind: .rsaGCM, tls12Only: true), .init(id: 0x009D, kind: .rsaGCM, tls12Only: true),
        .init(id: 0x003C, kind: .rsaCBC, tls12Only: true), .init(id: 0x003D, kind: .rsaCBC, tls12Only: true),
        .init(id: 0x002F, kind: .rsaCBC, tls12Only: false), .init(id: 0x0035, kind: .rsaCBC, tls12Only: false),
        .init(id: 0x000A, kind: .rsaCBC, tls12Only: false), .init(id: 0xC012, kind: .forwardSecretCBC, tls12Only: false),
        .init(id: 0x0016, kind: .forwardSecretCBC, tls12Only: false),
        .init(id: 0x0009, kind: .weak, tls12Only: false), .init(id: 0x0002, kind: .weak, tls12Only: false),
        .init(id: 0x0005, kind: .weak, tls12Only: false), .init(id: 0x0004, kind: .weak, tls12Only: false),
    ]

    /// TLS 1.3 suites (RFC 8446 §B.4).
    static let tls13: [ProbeSuite] = [
        .init(id: 0x1301, kind: .tls13, tls12Only: false), .init(id: 0x1302, kind: .tls13, tls12Only: false),
        .init(id: 0x1303, kind: .tls13, tls12Only: false),
    ]

    /// The suites worth offering at `version`.
    static func offered(at version: ProbeVersion) -> [ProbeSuite] {
        switch version {
        case .tls13: tls13
        case .tls12: legacy
        case .ssl30: legacy.filter { !$0.tls12Only && $0.id < 0xC000 }
        default: legacy.filter { !$0.tls12Only }
        }
    }

    static func kind(of id: UInt16) -> Kind { (legacy + tls13).first { $0.id == id }?.kind ?? .weak }

    /// TLS_RSA_WITH_3DES_EDE_CBC_SHA, the Basic TLS suite (PS3.15 B.1).
    static let tripleDES: UInt16 = 0x000A
    /// TLS_RSA_WITH_AES_128_CBC_SHA, the AES TLS suite (PS3.15 B.3).
    static let aes128: UInt16 = 0x002F
}

/// A protocol version the probe can ask for.
enum ProbeVersion: String, CaseIterable, Codable, Sendable {
    case ssl30 = "SSL 3.0", tls10 = "TLS 1.0", tls11 = "TLS 1.1", tls12 = "TLS 1.2", tls13 = "TLS 1.3"

    /// The wire value (TLS 1.3's goes in supported_versions; client_version stays 0x0303).
    var wire: UInt16 {
        switch self {
        case .ssl30: 0x0300
        case .tls10: 0x0301
        case .tls11: 0x0302
        case .tls12: 0x0303
        case .tls13: 0x0304
        }
    }

    init?(wire: UInt16) {
        guard let v = Self.allCases.first(where: { $0.wire == wire }) else { return nil }
        self = v
    }
}
