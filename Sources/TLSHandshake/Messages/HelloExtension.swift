/// The `ExtensionType` code point (RFC 3546 §2.3 and later registrations), an open set.
public struct ExtensionType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// server_name (RFC 6066 §3)
    public static let serverName = ExtensionType(rawValue: 0)
    /// signature_algorithms (RFC 5246 §7.4.1.4.1): ignored, never echoed.
    public static let signatureAlgorithms = ExtensionType(rawValue: 13)
    /// application_layer_protocol_negotiation (RFC 7301 §3.1)
    public static let applicationLayerProtocolNegotiation = ExtensionType(rawValue: 16)
    /// heartbeat (RFC 6520): ignored.
    public static let heartbeat = ExtensionType(rawValue: 15)
    /// encrypt_then_mac (RFC 7366): ignored, never echoed (we only do MAC-then-encrypt).
    public static let encryptThenMAC = ExtensionType(rawValue: 22)
    /// extended_master_secret (RFC 7627 §5.1)
    public static let extendedMasterSecret = ExtensionType(rawValue: 23)
    /// session_ticket (RFC 5077): ignored, never echoed.
    public static let sessionTicket = ExtensionType(rawValue: 35)
    /// renegotiation_info (RFC 5746 §3.2)
    public static let renegotiationInfo = ExtensionType(rawValue: 0xFF01)

    public var description: String { "extension 0x\(String(rawValue, radix: 16))" }
}

/// One hello extension: a type and its opaque data (RFC 3546 §2.1).
struct HelloExtension: Hashable, Sendable {
    var type: ExtensionType
    var data: [UInt8]

    /// An empty `extended_master_secret` (RFC 7627 §5.1).
    static let extendedMasterSecret = HelloExtension(type: .extendedMasterSecret, data: [])

    /// `renegotiation_info` carrying `renegotiated_connection` (RFC 5746 §3.2).
    static func renegotiationInfo(_ verifyData: [UInt8]) -> HelloExtension {
        var d: [UInt8] = []
        d.appendVector8(verifyData)
        return HelloExtension(type: .renegotiationInfo, data: d)
    }

    /// `server_name` with one host name (RFC 6066 §3).
    static func serverName(_ host: String) -> HelloExtension {
        var entry: [UInt8] = [0]  // name_type host_name(0)
        entry.appendVector16(Array(host.utf8))
        var d: [UInt8] = []
        d.appendVector16(entry)
        return HelloExtension(type: .serverName, data: d)
    }

    /// The empty `server_name` a server returns when it used the client's (RFC 6066 §3).
    static let serverNameAcknowledgement = HelloExtension(type: .serverName, data: [])

    /// `application_layer_protocol_negotiation` with a `protocol_name_list` (RFC 7301 §3.1).
    static func applicationProtocols(_ names: [String]) -> HelloExtension {
        var list: [UInt8] = []
        for name in names { list.appendVector8(Array(name.utf8)) }
        var d: [UInt8] = []
        d.appendVector16(list)
        return HelloExtension(type: .applicationLayerProtocolNegotiation, data: d)
    }
}

/// A hello's extension list, decoded strictly: duplicates are `decode_error` (RFC 5246
/// §7.4.1.4: "There MUST NOT be more than one extension of the same type").
struct HelloExtensions: Hashable, Sendable {
    var items: [HelloExtension] = []

    subscript(_ type: ExtensionType) -> HelloExtension? { items.first { $0.type == type } }

    /// Encoded with its 2-byte length prefix; nothing at all when empty, so a hello without
    /// extensions is byte-identical to a plain RFC 2246 one.
    func encoded() -> [UInt8] {
        guard !items.isEmpty else { return [] }
        var body: [UInt8] = []
        for e in items {
            body.appendU16(e.type.rawValue)
            body.appendVector16(e.data)
        }
        var out: [UInt8] = []
        out.appendVector16(body)
        return out
    }

    /// Decodes the optional extension block at the end of a hello: absent if no bytes are left.
    static func decode(_ r: inout ByteReader) throws(TLSError) -> HelloExtensions {
        guard !r.isAtEnd else { return HelloExtensions() }
        var list = try r.vector16("extensions")
        var result = HelloExtensions()
        // Duplicates: a scan of the few extensions a real hello has; a set once the list is
        // long (a hostile one would make the scan quadratic).
        var seen: Set<UInt16>?
        while !list.isAtEnd {
            let type = try list.u16("extension type")
            var data = try list.vector16("extension data")
            if seen == nil, result.items.count >= 16 { seen = Set(result.items.map(\.type.rawValue)) }
            let duplicate: Bool
            if seen != nil {
                duplicate = seen?.insert(type).inserted == false
            } else {
                duplicate = result.items.contains { $0.type.rawValue == type }
            }
            guard !duplicate else {
                throw .decode("duplicate extension 0x\(String(type, radix: 16))")
            }
            result.items.append(HelloExtension(type: ExtensionType(rawValue: type), data: data.rest()))
        }
        try result.validateKnownBodies()
        return result
    }

    /// The extensions we act on are parsed strictly at once, so a malformed one is
    /// `decode_error` whatever state reads it later. Unknown ones stay opaque.
    private func validateKnownBodies() throws(TLSError) {
        _ = try renegotiatedConnection()
        _ = try hasExtendedMasterSecret()
        _ = try serverNameHost()
        _ = try applicationProtocols()
    }

    /// The host name of a non-empty `server_name` extension (RFC 6066 §3:
    /// `ServerName server_name_list<1..2^16-1>`, each a NameType and `HostName<1..2^16-1>`).
    /// An empty list or name is `decode_error`; two host_name entries, or a host name that is
    /// not printable ASCII, `illegal_parameter`. Other name types are skipped.
    func serverNameHost() throws(TLSError) -> String? {
        guard let sni = self[.serverName], !sni.data.isEmpty else { return nil }
        var r = ByteReader(sni.data)
        var list = try r.vector16("server_name_list")
        try r.finish("server_name")
        guard !list.isAtEnd else { throw .decode("empty server_name_list") }
        var host: String?
        while !list.isAtEnd {
            let type = try list.u8("name_type")
            var name = try list.vector16("HostName")
            guard name.remaining > 0 else { throw .decode("empty host name in server_name") }
            let bytes = name.rest()
            guard type == 0 else { continue }  // host_name(0)
            guard host == nil else { throw .illegal("server_name holds two host_name entries (RFC 6066 §3)") }
            guard bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw .illegal("the server_name host name is not printable ASCII") }
            host = String(decoding: bytes, as: UTF8.self)
        }
        return host
    }

    /// The `protocol_name_list` of an ALPN extension, if present (RFC 7301 §3.1:
    /// `ProtocolName protocol_name_list<2..2^16-1>`, each `opaque ProtocolName<1..2^8-1>`);
    /// an empty list or name is `decode_error`.
    func applicationProtocols() throws(TLSError) -> [[UInt8]]? {
        guard let e = self[.applicationLayerProtocolNegotiation] else { return nil }
        var r = ByteReader(e.data)
        var list = try r.vector16("protocol_name_list")
        try r.finish("application_layer_protocol_negotiation")
        guard !list.isAtEnd else { throw .decode("empty protocol_name_list (RFC 7301 §3.1)") }
        var names: [[UInt8]] = []
        while !list.isAtEnd {
            var name = try list.vector8("ProtocolName")
            guard name.remaining > 0 else { throw .decode("empty ProtocolName (RFC 7301 §3.1)") }
            names.append(name.rest())
        }
        return names
    }

    /// The `renegotiated_connection` of a `renegotiation_info` extension, if present;
    /// `decode_error` if its body is malformed (RFC 5746 §3.2).
    func renegotiatedConnection() throws(TLSError) -> [UInt8]? {
        guard let e = self[.renegotiationInfo] else { return nil }
        var r = ByteReader(e.data)
        var inner = try r.vector8("renegotiated_connection")
        try r.finish("renegotiation_info")
        return inner.rest()
    }

    /// Whether `extended_master_secret` is present; its body must be empty (RFC 7627 §5.1).
    func hasExtendedMasterSecret() throws(TLSError) -> Bool {
        guard let e = self[.extendedMasterSecret] else { return false }
        guard e.data.isEmpty else { throw .decode("extended_master_secret extension must be empty") }
        return true
    }
}
