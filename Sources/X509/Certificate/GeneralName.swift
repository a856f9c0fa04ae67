/// A GeneralName (RFC 5280 §4.2.1.6), as used by subjectAltName.
public enum GeneralName: Hashable, Sendable, CustomStringConvertible {
    /// dNSName `[2]`.
    case dnsName(String)
    /// iPAddress `[7]`: 4 bytes for IPv4, 16 for IPv6.
    case ipAddress([UInt8])
    /// uniformResourceIdentifier `[6]`.
    case uri(String)
    /// rfc822Name `[1]`: an e-mail address.
    case email(String)
    /// directoryName `[4]`.
    case directoryName(DistinguishedName)
    /// Any other form (otherName, x400Address, ediPartyName, registeredID), kept encoded.
    case other(tag: UInt32, encoded: [UInt8])

    /// Parses `GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName`.
    static func parseSequence(_ node: ASN1Node) throws(X509Error) -> [GeneralName] {
        try node.expect(.sequence, "GeneralNames")
        var reader = try node.children()
        var names: [GeneralName] = []
        while !reader.isAtEnd { names.append(try GeneralName(reader.next())) }
        guard !names.isEmpty else { throw X509Error(.invalidExtension, "empty GeneralNames", offset: node.offset) }
        return names
    }

    /// Parses one CHOICE alternative (implicit tags, except directoryName which is explicit
    /// because Name is a CHOICE).
    init(_ node: ASN1Node) throws(X509Error) {
        let id = node.identifier
        guard id.tagClass == .contextSpecific else {
            throw X509Error(.invalidExtension, "GeneralName has a non-context tag \(id)", offset: node.offset)
        }
        switch id.tagNumber {
        case 1: self = .email(try node.ia5String(tag: .contextSpecific(1, constructed: false)))
        case 2: self = .dnsName(try node.ia5String(tag: .contextSpecific(2, constructed: false)))
        case 6: self = .uri(try node.ia5String(tag: .contextSpecific(6, constructed: false)))
        case 7:
            let bytes = Array(try node.octetString(tag: .contextSpecific(7, constructed: false)))
            guard bytes.count == 4 || bytes.count == 16 else {
                throw X509Error(.invalidExtension, "iPAddress of \(bytes.count) bytes", offset: node.offset)
            }
            self = .ipAddress(bytes)
        case 4:
            var inner = try node.children()
            let name = try DistinguishedName(inner.read(.sequence, "directoryName"))
            try inner.finish("directoryName")
            self = .directoryName(name)
        default:
            self = .other(tag: id.tagNumber, encoded: Array(node.encodedBytes))
        }
    }

    /// Writes the alternative with its context tag.
    func write(to w: inout DERWriter) {
        switch self {
        case .email(let s): w.element(.contextSpecific(1, constructed: false), content: Array(s.utf8))
        case .dnsName(let s): w.element(.contextSpecific(2, constructed: false), content: Array(s.utf8))
        case .uri(let s): w.element(.contextSpecific(6, constructed: false), content: Array(s.utf8))
        case .ipAddress(let b): w.element(.contextSpecific(7, constructed: false), content: b)
        case .directoryName(let n): w.explicit(4) { $0.raw(n.encodedBytes) }
        case .other(_, let encoded): w.raw(encoded)
        }
    }

    /// The form `openssl x509 -text` prints: `DNS:host`, `IP Address:127.0.0.1`, ...,
    /// with control characters escaped as `\XX` hex pairs.
    public var description: String {
        switch self {
        case .dnsName(let s): return "DNS:\(s.escapingControlCharacters)"
        case .email(let s): return "email:\(s.escapingControlCharacters)"
        case .uri(let s): return "URI:\(s.escapingControlCharacters)"
        case .directoryName(let n):
            // OpenSSL writes directory names here in its old slash-separated form.
            let parts = n.rdns.flatMap { $0 }.map { "/\($0.type.opensslName ?? $0.type.description)=\($0.value?.value.escapingControlCharacters ?? "#" + hex($0.encodedValue))" }
            return "DirName:" + parts.joined()
        case .other(let tag, _): return "othername:[\(tag)]"
        case .ipAddress(let b):
            if b.count == 4 { return "IP Address:" + b.map(String.init).joined(separator: ".") }
            let groups = stride(from: 0, to: b.count, by: 2).map { String(UInt16(b[$0]) << 8 | UInt16(b[$0 + 1]), radix: 16, uppercase: true) }
            return "IP Address:" + groups.joined(separator: ":")
        }
    }
}
