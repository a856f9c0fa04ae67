/// Peer-supplied text (AE titles, UIDs, anything decoded from a PDU) made safe for one log
/// line (review F12): control characters and backslashes are escaped, so a peer cannot
/// start a new line or forge an entry.
package enum LogText {
    /// `text` with C0 and C1 controls, DEL, U+2028/U+2029 and `\` escaped (`\x0A`, `\u{2028}`, `\\`).
    static func escaped(_ text: some StringProtocol) -> String {
        escaped(text, quote: false)
    }

    /// `text` escaped as by ``escaped(_:)``, with `"` escaped too, in double quotes.
    package static func quoted(_ text: some StringProtocol) -> String {
        "\"" + escaped(text, quote: true) + "\""
    }

    private static func escaped(_ text: some StringProtocol, quote: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x5C: out += "\\\\"
            case 0x22 where quote: out += "\\\""
            case 0..<0x20, 0x7F: out += "\\x" + hex(scalar.value, digits: 2)
            case 0x80..<0xA0, 0x2028, 0x2029: out += "\\u{" + hex(scalar.value, digits: 4) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let h = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - h.count)) + h
    }
}
