/// Base64 (RFC 4648 §4) for PEM: encoding in 64-character lines and strict decoding.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The value of each ASCII byte, or 0xFF for bytes outside the alphabet.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    /// `bytes` in base64 with `=` padding, split into lines of `lineLength` characters
    /// (64 for PEM, RFC 7468 §2), each ended by `\n`.
    static func encode(_ bytes: [UInt8], lineLength: Int = 64) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 4 / 3 + bytes.count / 48 + 4)
        var column = 0
        var i = 0
        func emit(_ c: UInt8) {
            out.append(c)
            column += 1
            if column == lineLength { out.append(0x0A); column = 0 }
        }
        while i < bytes.count {
            let b0 = bytes[i]
            let b1 = i + 1 < bytes.count ? bytes[i + 1] : 0
            let b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
            emit(alphabet[Int(b0 >> 2)])
            emit(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            emit(i + 1 < bytes.count ? alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            emit(i + 2 < bytes.count ? alphabet[Int(b2 & 0x3F)] : UInt8(ascii: "="))
            i += 3
        }
        if column != 0 { out.append(0x0A) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Strict decoding of base64 text without whitespace: only the RFC 4648 alphabet,
    /// length a multiple of 4, `=` only as one or two final characters, and zero
    /// unused bits in the last group (so every input has exactly one decoding).
    /// Nil on any violation.
    static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        let chars = Array(text)
        guard chars.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 4 * 3)
        var i = 0
        while i < chars.count {
            let isLast = i + 4 == chars.count
            let pad = isLast ? (chars[i + 3] == UInt8(ascii: "=") ? (chars[i + 2] == UInt8(ascii: "=") ? 2 : 1) : 0) : 0
            var group: UInt32 = 0
            for j in 0..<(4 - pad) {
                let v = values[Int(chars[i + j])]
                guard v != 0xFF else { return nil }
                group = group << 6 | UInt32(v)
            }
            group <<= UInt32(6 * pad)
            switch pad {
            case 0:
                out += [UInt8(truncatingIfNeeded: group >> 16), UInt8(truncatingIfNeeded: group >> 8), UInt8(truncatingIfNeeded: group)]
            case 1:
                guard group & 0xFF == 0 else { return nil }
                out += [UInt8(truncatingIfNeeded: group >> 16), UInt8(truncatingIfNeeded: group >> 8)]
            default:
                guard group & 0xFFFF == 0 else { return nil }
                out.append(UInt8(truncatingIfNeeded: group >> 16))
            }
            i += 4
        }
        return out
    }
}
