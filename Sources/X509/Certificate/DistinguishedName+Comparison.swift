// Name comparison for chaining (RFC 5280 §7.1, with the RFC 4518 string preparation
// reduced to what PKITS 4.3 and deployed PKIs need): string values compare case-
// insensitively with leading, trailing and repeated inner whitespace ignored, whatever
// their string type; other values compare by their encoding; RDNs compare as sets.

extension DistinguishedName {
    /// One byte string per name, equal exactly when the names match: for each RDN its
    /// attribute count, then each attribute's key (sorted, so RDNs compare as sets) with a
    /// 4-byte length prefix.
    static func comparisonKey(_ rdns: [[Attribute]]) -> [UInt8] {
        var key: [UInt8] = []
        for rdn in rdns {
            let attributes = rdn.map(\.comparisonKey).sorted { $0.lexicographicallyPrecedes($1) }
            appendLength(attributes.count, to: &key)
            for a in attributes {
                appendLength(a.count, to: &key)
                key += a
            }
        }
        return key
    }

    private static func appendLength(_ n: Int, to key: inout [UInt8]) {
        let v = UInt32(truncatingIfNeeded: n)
        key += [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
    }
}

extension DistinguishedName.Attribute {
    /// The attribute type, a marker for string or encoded value, and the value.
    var comparisonKey: [UInt8] {
        var key = type.encodedContent
        if let text = value?.value {
            key.append(0x00)
            key += Self.fold(text)
        } else {
            key.append(0x01)
            key += encodedValue
        }
        return key
    }

    /// Lower-cases and folds whitespace; ASCII (nearly every name) takes a byte-level path.
    static func fold(_ text: String) -> [UInt8] {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else {
            return Array(text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ").utf8)
        }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for b in text.utf8 {
            if b == 0x20 || (0x09...0x0D).contains(b) {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(0x20)
                pendingSpace = false
            }
            out.append((0x41...0x5A).contains(b) ? b | 0x20 : b)
        }
        return out
    }
}
