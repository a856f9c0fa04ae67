/// An OBJECT IDENTIFIER (X.690 §8.19): a sequence of arcs, printed in dotted form.
public struct ASN1ObjectIdentifier: Hashable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// The arcs, e.g. `[2, 5, 4, 3]` for id-at-commonName.
    public let arcs: [UInt64]

    /// An identifier from its arcs.
    public init(arcs: [UInt64]) { self.arcs = arcs }

    /// An identifier from an array literal of arcs.
    public init(arrayLiteral elements: UInt64...) { self.arcs = elements }

    /// Parses dotted notation such as `"1.2.840.113549.1.1.11"`; nil when malformed.
    public init?(dotted: String) {
        var arcs: [UInt64] = []
        for part in dotted.split(separator: ".", omittingEmptySubsequences: false) {
            guard !part.isEmpty, part.allSatisfy(\.isASCII), let v = UInt64(part) else { return nil }
            arcs.append(v)
        }
        guard arcs.count >= 2, arcs[0] <= 2, arcs[0] == 2 || arcs[1] < 40 else { return nil }
        self.arcs = arcs
    }

    /// Dotted notation.
    public var description: String { arcs.map(String.init).joined(separator: ".") }

    /// The contents octets: first two arcs combined as `40 * a + b`, then base-128 digits.
    var encodedContent: [UInt8] {
        var out: [UInt8] = []
        func append(_ value: UInt64) {
            var digits: [UInt8] = [UInt8(value & 0x7F)]
            var v = value >> 7
            while v > 0 {
                digits.append(UInt8(v & 0x7F) | 0x80)
                v >>= 7
            }
            out.append(contentsOf: digits.reversed())
        }
        guard arcs.count >= 2 else { return out }
        append(arcs[0] * 40 + arcs[1])
        for arc in arcs.dropFirst(2) { append(arc) }
        return out
    }
}

extension ASN1Node {
    /// Decodes an OBJECT IDENTIFIER, checking that every arc is minimally encoded and fits
    /// in 64 bits (X.690 §8.19.2).
    public func objectIdentifier(tag: ASN1Identifier = .objectIdentifier) throws(X509Error) -> ASN1ObjectIdentifier {
        try expect(tag, "OBJECT IDENTIFIER")
        guard !content.isEmpty else { throw error(.invalidObjectIdentifier, "OBJECT IDENTIFIER is empty") }
        var values: [UInt64] = []
        var current: UInt64 = 0
        var inArc = false
        for b in content {
            if !inArc && b == 0x80 {
                throw error(.invalidObjectIdentifier, "OBJECT IDENTIFIER arc has a leading zero digit")
            }
            guard current >> 57 == 0 else {
                throw error(.invalidObjectIdentifier, "OBJECT IDENTIFIER arc does not fit in 64 bits")
            }
            current = current << 7 | UInt64(b & 0x7F)
            inArc = b & 0x80 != 0
            if !inArc {
                values.append(current)
                current = 0
            }
        }
        guard !inArc, let first = values.first else {
            throw error(.invalidObjectIdentifier, "OBJECT IDENTIFIER ends inside an arc")
        }
        let head: [UInt64] = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80]
        return ASN1ObjectIdentifier(arcs: head + values.dropFirst())
    }
}
