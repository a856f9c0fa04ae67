/// Application Entity titles: up to 16 characters of the Default Character Repertoire without
/// backslash or control characters, space padded on the wire (PS3.5 §6.2 "AE").
public enum AETitle {
    /// Whether `title` is a valid AE title (1–16 characters, not all spaces).
    public static func isValid(_ title: String) -> Bool {
        let bytes = Array(title.utf8)
        return !bytes.isEmpty && bytes.count <= 16 && bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x5C }
            && bytes.contains { $0 != 0x20 }
    }

    /// The 16-byte space-padded wire form (callers validate with ``isValid(_:)`` first).
    static func padded(_ title: String) -> [UInt8] {
        var bytes = Array(title.utf8.prefix(16))
        bytes += [UInt8](repeating: 0x20, count: 16 - bytes.count)
        return bytes
    }

    /// Decodes a 16-byte field, trimming leading and trailing spaces (PS3.5: not significant).
    static func decode(_ field: ArraySlice<UInt8>, field name: String) throws(DicomError) -> String {
        guard field.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0 }) else {
            throw .invalid("\(name) contains non-ASCII or control bytes")
        }
        let text = String(decoding: field.filter { $0 != 0 }, as: UTF8.self)
        return text.trimmingSpaces()
    }
}

extension String {
    /// The string without leading and trailing spaces.
    func trimmingSpaces() -> String {
        let u = Array(utf8)
        guard let first = u.firstIndex(where: { $0 != 0x20 }), let last = u.lastIndex(where: { $0 != 0x20 }) else { return "" }
        return String(decoding: u[first...last], as: UTF8.self)
    }
}
