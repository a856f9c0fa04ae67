/// An X.501 distinguished name (RFC 5280 §4.1.2.4): a sequence of relative distinguished
/// names, each a set of attribute type-and-value pairs.
///
/// ``description`` prints the RFC 4514 string form (most specific RDN first, e.g.
/// `CN=Good CA,O=Test Certificates 2011,C=US`). Equality is the RFC 5280 §7.1 name
/// comparison used for chaining (``matches(_:)``), not byte equality; ``encodedBytes``
/// keeps the exact encoding.
public struct DistinguishedName: Hashable, Sendable, CustomStringConvertible {
    /// One attribute of an RDN.
    public struct Attribute: Hashable, Sendable {
        /// The attribute type, e.g. ``ASN1ObjectIdentifier/commonName``.
        public var type: ASN1ObjectIdentifier
        /// The value when it is a character string (almost always).
        public var value: ASN1String?
        /// The value as a whole DER element, kept for non-string values and re-encoding.
        public var encodedValue: [UInt8]

        /// An attribute with a string value.
        public init(_ type: ASN1ObjectIdentifier, _ value: ASN1String) {
            self.type = type
            self.value = value
            var w = DERWriter()
            w.string(value)
            self.encodedValue = w.bytes
        }

        init(type: ASN1ObjectIdentifier, value: ASN1String?, encodedValue: [UInt8]) {
            self.type = type
            self.value = value
            self.encodedValue = encodedValue
        }
    }

    /// The RDNs in encoding order (least specific first, usually `C` or `DC`).
    public let rdns: [[Attribute]]
    /// The exact DER encoding of the Name.
    public let encodedBytes: [UInt8]
    /// The RFC 5280 §7.1 comparison form: used for ``==``, hashing and trust-store lookup.
    let comparisonKey: [UInt8]

    /// A name from RDNs; each RDN here has one attribute, as issued names normally do.
    public init(_ attributes: [Attribute]) {
        self.init(rdns: attributes.map { [$0] })
    }

    /// A name from RDNs that may be multi-valued.
    public init(rdns: [[Attribute]]) {
        var w = DERWriter()
        w.sequence { w in
            for rdn in rdns {
                w.set { w in
                    for a in rdn.sorted(by: { $0.encodedSortKey.lexicographicallyPrecedes($1.encodedSortKey) }) {
                        w.sequence { w in
                            w.objectIdentifier(a.type)
                            w.raw(a.encodedValue)
                        }
                    }
                }
            }
        }
        self.rdns = rdns
        self.encodedBytes = w.bytes
        self.comparisonKey = Self.comparisonKey(rdns)
    }

    /// Parses `Name ::= SEQUENCE OF SET SIZE (1..MAX) OF AttributeTypeAndValue`.
    public init(_ node: ASN1Node) throws(X509Error) {
        try node.expect(.sequence, "Name")
        var rdnReader = try node.children()
        var rdns: [[Attribute]] = []
        while !rdnReader.isAtEnd {
            let set = try rdnReader.read(.set, "RelativeDistinguishedName")
            var attributes = try set.children()
            var rdn: [Attribute] = []
            while !attributes.isAtEnd {
                let pair = try attributes.read(.sequence, "AttributeTypeAndValue")
                var fields = try pair.children()
                let type = try fields.read(.objectIdentifier, "AttributeType").objectIdentifier()
                guard !fields.isAtEnd else {
                    throw X509Error(.invalidCertificate, "name attribute \(type) has no value", offset: pair.offset)
                }
                let valueNode = try fields.next()
                try fields.finish("AttributeTypeAndValue")
                let value = valueNode.isString ? try valueNode.string() : nil
                rdn.append(Attribute(type: type, value: value, encodedValue: Array(valueNode.encodedBytes)))
            }
            guard !rdn.isEmpty else {
                throw X509Error(.invalidCertificate, "empty RelativeDistinguishedName", offset: set.offset)
            }
            rdns.append(rdn)
        }
        self.rdns = rdns
        self.encodedBytes = Array(node.encodedBytes)
        self.comparisonKey = Self.comparisonKey(rdns)
    }

    /// Whether the name has no RDNs (allowed for subjects with a subjectAltName).
    public var isEmpty: Bool { rdns.isEmpty }

    /// The values of every attribute of `type`, in encoding order (e.g. all CNs).
    public func values(of type: ASN1ObjectIdentifier) -> [String] {
        rdns.flatMap { $0 }.filter { $0.type == type }.compactMap { $0.value?.value }
    }

    /// The RFC 5280 §7.1 name match: same number of RDNs, each a matching set of
    /// attributes; strings compared case-insensitively with whitespace folded, whatever
    /// their string types (so a PrintableString matches the same UTF8String).
    public func matches(_ other: DistinguishedName) -> Bool { comparisonKey == other.comparisonKey }

    public static func == (lhs: DistinguishedName, rhs: DistinguishedName) -> Bool { lhs.matches(rhs) }
    /// Hashes the whole comparison key: matching names hash equally, and names chosen by a
    /// peer cannot collide on purpose (path building indexes presented certificates by name).
    public func hash(into hasher: inout Hasher) {
        hasher.combine(packed: comparisonKey)
    }

    /// RFC 4514 §2: RDNs from last to first, `,` between them, `+` inside multi-valued ones.
    public var description: String {
        // Attributes inside a multi-valued RDN are reversed too, as OpenSSL prints them.
        rdns.reversed().map { rdn in rdn.reversed().map(\.rfc4514).joined(separator: "+") }.joined(separator: ",")
    }

    /// The form `openssl x509 -text` prints (OpenSSL's `oneline` name format): first to
    /// last, `C = US, O = "Acme, Inc.", CN = Name`.
    public var opensslDescription: String {
        rdns.map { rdn in
            rdn.map { a in "\(a.type.opensslName ?? a.type.description) = \(a.opensslValue)" }
                .joined(separator: " + ")
        }.joined(separator: ", ")
    }
}

extension DistinguishedName.Attribute {
    /// `type=value` with RFC 4514 §2.4 escaping, C0/C1 controls and DEL as `\XX` hex pairs;
    /// non-string values as `#` and hex DER.
    var rfc4514: String {
        // Registered descriptors beyond RFC 4514 §3 are written as OpenSSL writes them (SN, GN, title, ...).
        let name = type.rfc4514Name ?? type.opensslName ?? type.description
        guard let text = value?.value else { return "\(name)=#\(hex(encodedValue))" }
        var out = ""
        let scalars = Array(text.unicodeScalars)
        for (i, s) in scalars.enumerated() {
            let special = "\"+,;<>\\".unicodeScalars.contains(s)
                || (i == 0 && (s == "#" || s == " ")) || (i == scalars.count - 1 && s == " ")
            if special { out += "\\" }
            // Controls as hex pairs (RFC 4514 §2.4), so a name never breaks a log line.
            if s.isControlCharacter { out += String(s).escapingControlCharacters } else { out.unicodeScalars.append(s) }
        }
        return "\(name)=\(out)"
    }

    /// The value as OpenSSL's `oneline` format writes it: RFC 2253 specials and edge spaces
    /// put the value in quotes, `"` and `\\` are backslash-escaped, control and non-ASCII
    /// bytes are written `\\XX` (UTF-8), and non-string values `#` + hex DER.
    var opensslValue: String {
        guard let text = value?.value else { return "#" + hex(encodedValue) }
        let bytes = Array(text.utf8)
        var out = ""
        var quote = false
        for (i, b) in bytes.enumerated() {
            let c = Character(Unicode.Scalar(b))
            switch b {
            case ..<0x20, 0x7F...: out += "\\" + hex([b])
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out += "\\" + String(c)
            case UInt8(ascii: ","), UInt8(ascii: "+"), UInt8(ascii: ";"), UInt8(ascii: "<"), UInt8(ascii: ">"):
                quote = true
                out.append(c)
            default:
                if (b == 0x20 && (i == 0 || i == bytes.count - 1)) || (b == UInt8(ascii: "#") && i == 0) { quote = true }
                out.append(c)
            }
        }
        return quote ? "\"\(out)\"" : out
    }

    /// Sort key for DER SET OF ordering (X.690 §11.6) when encoding.
    var encodedSortKey: [UInt8] {
        var w = DERWriter()
        w.sequence { w in
            w.objectIdentifier(type)
            w.raw(encodedValue)
        }
        return w.bytes
    }
}
