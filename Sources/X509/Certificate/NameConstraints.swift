/// nameConstraints (RFC 5280 §4.2.1.10): the name space in which every certificate below a
/// CA must lie. Checked during path validation (RFC 5280 §6.1.3 (b), (c) and §6.1.4 (g);
/// see ``PathValidator``), whether the extension is critical or not.
public struct NameConstraints: Hashable, Sendable {
    /// The base of one GeneralSubtree. `minimum` is always 0 and `maximum` absent in this
    /// profile (RFC 5280 §4.2.1.10), so a subtree is its base.
    public enum Subtree: Hashable, Sendable, CustomStringConvertible {
        /// A DNS name and every name made by adding labels on the left (`example.com`),
        /// or only the latter when it starts with a period (`.example.com`).
        case dnsName(String)
        /// A mailbox (`user@host`), every mailbox on a host (`host`), or on any host in a
        /// domain (`.domain`).
        case email(String)
        /// The host part of URIs: one host (`host`) or any host in a domain (`.domain`).
        case uri(String)
        /// An IPv4 (4 + 4 bytes) or IPv6 (16 + 16 bytes) address range, address and mask.
        case ipAddress(address: [UInt8], mask: [UInt8])
        /// Every name whose leading RDNs are these.
        case directoryName(DistinguishedName)
        /// A name form this module does not process (otherName, x400Address,
        /// ediPartyName, registeredID, by its context tag).
        case other(tag: UInt32)

        public var description: String {
            switch self {
            case .dnsName(let s): "DNS:\(s.escapingControlCharacters)"
            case .email(let s): "email:\(s.escapingControlCharacters)"
            case .uri(let s): "URI:\(s.escapingControlCharacters)"
            case .ipAddress(let a, let m): "IP:\(GeneralName.ipAddress(a).description.dropFirst(11))/\(hex(m))"
            case .directoryName(let n): "DirName:\(n)"
            case .other(let tag): "othername:[\(tag)]"
            }
        }
    }

    /// permittedSubtrees: for each name form listed here, names of that form must lie in
    /// one of its subtrees. Empty when absent.
    public var permitted: [Subtree]
    /// excludedSubtrees: no name may lie in any of these. Empty when absent.
    public var excluded: [Subtree]

    /// Constraints from their subtrees.
    public init(permitted: [Subtree], excluded: [Subtree]) {
        self.permitted = permitted
        self.excluded = excluded
    }

    /// Parses `NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees
    /// OPTIONAL, excludedSubtrees [1] GeneralSubtrees OPTIONAL }`.
    init(_ node: ASN1Node) throws(X509Error) {
        try node.expect(.sequence, "NameConstraints")
        var fields = try node.children()
        permitted = try fields.readIfPresent(.contextSpecific(0, constructed: true)).map(Self.subtrees) ?? []
        excluded = try fields.readIfPresent(.contextSpecific(1, constructed: true)).map(Self.subtrees) ?? []
        try fields.finish("NameConstraints")
    }

    /// `GeneralSubtrees ::= SEQUENCE SIZE (1..MAX) OF GeneralSubtree`.
    private static func subtrees(_ node: ASN1Node) throws(X509Error) -> [Subtree] {
        var reader = try node.children()
        var result: [Subtree] = []
        while !reader.isAtEnd {
            let subtree = try reader.read(.sequence, "GeneralSubtree")
            var fields = try subtree.children()
            let base = try Self.base(fields.next())
            if let minimum = try fields.readIfPresent(.contextSpecific(0, constructed: false)) {
                guard try minimum.integerValue(tag: .contextSpecific(0, constructed: false)) == 0 else {
                    throw X509Error(.invalidExtension, "GeneralSubtree minimum is not 0 (RFC 5280 §4.2.1.10)", offset: minimum.offset)
                }
            }
            if let maximum = try fields.readIfPresent(.contextSpecific(1, constructed: false)) {
                throw X509Error(.invalidExtension, "GeneralSubtree maximum is present (RFC 5280 §4.2.1.10)", offset: maximum.offset)
            }
            try fields.finish("GeneralSubtree")
            result.append(base)
        }
        guard !result.isEmpty else { throw X509Error(.invalidExtension, "empty GeneralSubtrees", offset: node.offset) }
        return result
    }

    /// A subtree base: a GeneralName, except that an iPAddress holds an address and a mask.
    private static func base(_ node: ASN1Node) throws(X509Error) -> Subtree {
        let ipTag = ASN1Identifier.contextSpecific(7, constructed: false)
        if node.identifier == ipTag {
            let bytes = Array(try node.octetString(tag: ipTag))
            guard bytes.count == 8 || bytes.count == 32 else {
                throw X509Error(.invalidExtension, "iPAddress subtree of \(bytes.count) bytes (8 or 32 expected)", offset: node.offset)
            }
            let half = bytes.count / 2
            return .ipAddress(address: Array(bytes[..<half]), mask: Array(bytes[half...]))
        }
        switch try GeneralName(node) {
        case .dnsName(let s): return .dnsName(s)
        case .email(let s): return .email(s)
        case .uri(let s): return .uri(s)
        case .directoryName(let n): return .directoryName(n)
        case .ipAddress(let b): return .ipAddress(address: b, mask: [UInt8](repeating: 0xFF, count: b.count))  // not reached
        case .other(let tag, _): return .other(tag: tag)
        }
    }

    /// The DER of the extension value.
    var encoded: [UInt8] {
        var w = DERWriter()
        w.sequence { w in
            for (n, list) in [(UInt32(0), permitted), (1, excluded)] where !list.isEmpty {
                w.constructed(.contextSpecific(n, constructed: true)) { w in
                    for subtree in list { w.sequence { w in subtree.writeBase(to: &w) } }
                }
            }
        }
        return w.bytes
    }
}

extension NameConstraints.Subtree {
    /// The base as a GeneralName (an iPAddress range as its address, an unprocessed form
    /// with no content): what the name form and the encoding derive from.
    var generalName: GeneralName {
        switch self {
        case .dnsName(let s): .dnsName(s)
        case .email(let s): .email(s)
        case .uri(let s): .uri(s)
        case .directoryName(let n): .directoryName(n)
        case .ipAddress(let a, _): .ipAddress(a)
        case .other(let tag): .other(tag: tag, encoded: [0x80 | UInt8(truncatingIfNeeded: tag), 0])
        }
    }

    fileprivate func writeBase(to w: inout DERWriter) {
        if case .ipAddress(let a, let m) = self {
            w.element(.contextSpecific(7, constructed: false), content: a + m)
        } else {
            generalName.write(to: &w)
        }
    }
}
