/// A character string with its ASN.1 type (X.680 §37–§41), as found in names.
public struct ASN1String: Hashable, Sendable, CustomStringConvertible {
    /// The string type, which RFC 5280 §7.1 name comparison depends on.
    public enum Kind: Hashable, Sendable {
        case utf8, printable, ia5, teletex, bmp, universal, numeric, visible

        /// The universal tag of this string type.
        public var identifier: ASN1Identifier {
            switch self {
            case .utf8: .utf8String
            case .printable: .printableString
            case .ia5: .ia5String
            case .teletex: .teletexString
            case .bmp: .bmpString
            case .universal: .universalString
            case .numeric: .numericString
            case .visible: .visibleString
            }
        }

        /// The kind for a universal tag, or nil if it is not a string type.
        init?(_ identifier: ASN1Identifier) {
            let all: [Kind] = [.utf8, .printable, .ia5, .teletex, .bmp, .universal, .numeric, .visible]
            guard let kind = all.first(where: { $0.identifier == identifier }) else { return nil }
            self = kind
        }
    }

    /// The string type.
    public var kind: Kind
    /// The decoded text.
    public var value: String

    /// A string of a given kind; the caller is responsible for its characters fitting.
    public init(_ kind: Kind, _ value: String) {
        self.kind = kind
        self.value = value
    }

    public var description: String { value }

    /// Whether `character` may appear in a PrintableString (X.680 §41.4), plus `*` and `&`
    /// which many deployed certificates use (Go's crypto/x509 accepts them too).
    static func isPrintable(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return Array(" '()+,-./:=?*&".utf8).contains(b)
        }
    }
}

extension ASN1Node {
    /// Whether this element is one of the character string types.
    public var isString: Bool { ASN1String.Kind(identifier) != nil }

    /// Decodes any of the character string types, checking its character set.
    public func string() throws(X509Error) -> ASN1String {
        guard let kind = ASN1String.Kind(identifier) else {
            throw error(.unexpectedTag, "expected a character string, found \(identifier)")
        }
        guard let value = decode(kind) else {
            throw error(.invalidString, "\(kind) string holds characters its type does not allow")
        }
        return ASN1String(kind, value)
    }

    /// Decodes an IA5String (used by GeneralName dNSName, rfc822Name and URI).
    public func ia5String(tag: ASN1Identifier = .ia5String) throws(X509Error) -> String {
        try expect(tag, "IA5String")
        guard let value = decode(.ia5) else { throw error(.invalidString, "IA5String holds non-ASCII bytes") }
        return value
    }

    private func decode(_ kind: ASN1String.Kind) -> String? {
        switch kind {
        case .utf8:
            return String(validating: content, as: UTF8.self)
        case .printable:
            return content.allSatisfy(ASN1String.isPrintable) ? ascii : nil
        case .ia5:
            return content.allSatisfy { $0 < 0x80 } ? ascii : nil
        case .numeric:
            return content.allSatisfy { $0 == 0x20 || (0x30...0x39).contains($0) } ? ascii : nil
        case .visible:
            return content.allSatisfy { (0x20...0x7E).contains($0) } ? ascii : nil
        case .teletex:
            // T.61 is read as Latin-1, as OpenSSL and Go do; every byte maps to a scalar.
            return String(String.UnicodeScalarView(content.map { Unicode.Scalar($0) }))
        case .bmp:
            return decodeWide(width: 2)
        case .universal:
            return decodeWide(width: 4)
        }
    }

    private var ascii: String { String(decoding: content, as: UTF8.self) }

    /// BMPString (UTF-16BE, surrogates must pair) and UniversalString (UTF-32BE).
    private func decodeWide(width: Int) -> String? {
        guard content.count % width == 0 else { return nil }
        var units: [UInt32] = []
        var i = content.startIndex
        while i < content.endIndex {
            var u: UInt32 = 0
            for k in 0..<width { u = u << 8 | UInt32(content[i + k]) }
            units.append(u)
            i += width
        }
        if width == 2 { return String(validating: units.map { UInt16($0) }, as: UTF16.self) }
        var scalars = String.UnicodeScalarView()
        for u in units {
            guard let s = Unicode.Scalar(u) else { return nil }
            scalars.append(s)
        }
        return String(scalars)
    }
}
