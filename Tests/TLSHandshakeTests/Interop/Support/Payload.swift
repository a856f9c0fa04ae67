import CryptoPrimitives

/// Test payloads and their checksums.
///
/// Payloads are lines of lowercase hex: text-mode peers (gnutls-cli, openssl s_client and
/// s_server) pass them through unchanged, and no line can start with a peer's command letter
/// (`Q`, `R`, `**`).
enum Payload {
    /// `count` bytes of newline-terminated 64-character hex lines derived from `seed`.
    static func hexLines(count: Int, seed: UInt64 = 0x5EED) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var state = seed
        while out.count < count {
            if out.count % 65 == 64 {
                out.append(0x0A)
                continue
            }
            state = state &* 6364136223846793005 &+ 1442695040888963407  // PCG step
            out.append(digits[Int(truncatingIfNeeded: state >> 60)])
        }
        if let last = out.indices.last { out[last] = 0x0A }
        return out
    }

    /// SHA-256 of `bytes` in hex, for comparing transfers.
    static func checksum(_ bytes: [UInt8]) -> String {
        SHA256.hash(bytes).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// One mebibyte: the size every interop transfer moves in each direction.
    static let mebibyte = 1 << 20
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
