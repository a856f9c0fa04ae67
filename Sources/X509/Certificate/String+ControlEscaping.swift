/// Escaping of control characters in peer-controlled text (review finding F12: a
/// certificate name holding a newline could forge a log line).
extension String {
    /// The string with every C0 control (U+0000–U+001F), DEL (U+007F), C1 control
    /// (U+0080–U+009F) and line or paragraph separator (U+2028, U+2029) replaced by a
    /// backslash and two hex digits for each of its UTF-8 octets (`\0A`, `\C2\85`): the
    /// hexpair escape of RFC 4514 §2.4, which any printed certificate string uses so that
    /// it stays on one line and shows what was there.
    package var escapingControlCharacters: String {
        guard unicodeScalars.contains(where: \.isControlCharacter) else { return self }
        var out = ""
        for scalar in unicodeScalars {
            if scalar.isControlCharacter {
                for byte in String(scalar).utf8 { out += "\\" + hex([byte]) }
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension Unicode.Scalar {
    /// C0, DEL or C1 (the Unicode general category Cc), or U+2028/U+2029, which some log
    /// viewers also take as a line end.
    var isControlCharacter: Bool { value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029 }
}
