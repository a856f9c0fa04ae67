/// The hostile certificates of the December 2026 security review
/// (`reviews/security-review-2026-12.md`, appendix: `der.py`, `make_chain_bomb.py`,
/// `make_ext_bomb.py`, `make_log_injection.py`), ported byte for byte to Swift so the
/// findings F1, F11 and F12 run as tests and benchmarks. Signatures are filler: nothing
/// here verifies.
public enum ReviewCertificates {
    // MARK: der.py

    public static func length(_ n: Int) -> [UInt8] {
        if n < 0x80 { return [UInt8(n)] }
        var b: [UInt8] = []
        var v = n
        while v > 0 {
            b.insert(UInt8(v & 0xFF), at: 0)
            v >>= 8
        }
        return [0x80 | UInt8(b.count)] + b
    }

    public static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] { [tag] + length(content.count) + content }
    public static func seq(_ items: [UInt8]...) -> [UInt8] { tlv(0x30, items.flatMap { $0 }) }
    public static func set(_ items: [UInt8]...) -> [UInt8] { tlv(0x31, items.flatMap { $0 }) }

    /// A non-negative INTEGER from big-endian magnitude bytes (minimal two's complement).
    public static func integer(_ magnitude: [UInt8]) -> [UInt8] {
        var b = Array(magnitude.drop { $0 == 0 })
        if b.isEmpty || b[0] >= 0x80 { b.insert(0, at: 0) }
        return tlv(0x02, b)
    }

    public static func oid(_ arcs: [UInt64]) -> [UInt8] {
        var body: [UInt8] = []
        for arc in [arcs[0] * 40 + arcs[1]] + arcs.dropFirst(2) {
            var digits = [UInt8(arc & 0x7F)]
            var v = arc >> 7
            while v > 0 {
                digits.append(0x80 | UInt8(v & 0x7F))
                v >>= 7
            }
            body += digits.reversed()
        }
        return tlv(0x06, body)
    }
    public static func utf8(_ s: String) -> [UInt8] { tlv(0x0C, Array(s.utf8)) }
    public static func bitString(_ b: [UInt8]) -> [UInt8] { tlv(0x03, [0] + b) }
    public static func octet(_ b: [UInt8]) -> [UInt8] { tlv(0x04, b) }
    public static func explicit(_ n: UInt8, _ content: [UInt8]) -> [UInt8] { tlv(0xA0 | n, content) }

    public static let sha256RSA = seq(oid([1, 2, 840, 113_549, 1, 1, 11]), [0x05, 0x00])
    public static let rsaEncryption = seq(oid([1, 2, 840, 113_549, 1, 1, 1]), [0x05, 0x00])

    public static func name(_ cn: String) -> [UInt8] { seq(set(seq(oid([2, 5, 4, 3]), utf8(cn)))) }

    /// An RSA SubjectPublicKeyInfo for modulus `n` (big-endian) and exponent 65537.
    public static func spkiRSA(_ n: [UInt8]) -> [UInt8] {
        seq(rsaEncryption, bitString(seq(integer(n), integer([0x01, 0x00, 0x01]))))
    }

    public static func cert(_ tbs: [UInt8], signature: [UInt8] = [UInt8](repeating: 0, count: 256)) -> [UInt8] {
        seq(tbs, sha256RSA, bitString(signature))
    }

    public static func tbs(_ serial: UInt8, issuer: [UInt8], subject: [UInt8], spki: [UInt8], extensions: [[UInt8]]? = nil) -> [UInt8] {
        var parts = [
            explicit(0, integer([2])), integer([serial]), sha256RSA, issuer,
            seq(tlv(0x17, Array("200101000000Z".utf8)), tlv(0x17, Array("491231235959Z".utf8))), subject, spki,
        ]
        if let extensions { parts.append(explicit(3, tlv(0x30, extensions.flatMap { $0 }))) }
        return tlv(0x30, parts.flatMap { $0 })
    }

    /// `(1 << 2047) | 1 | (k << shift)` as 256 big-endian bytes: a 2048-bit RSA-shaped modulus.
    public static func modulus(_ k: UInt64, shift: Int) -> [UInt8] {
        var n = [UInt8](repeating: 0, count: 256)
        n[0] = 0x80
        n[255] |= 1
        for bit in 0..<64 where k >> UInt64(bit) & 1 == 1 {
            let position = shift + bit  // bit index from the least significant end
            n[255 - position / 8] |= 1 << UInt8(position % 8)
        }
        return n
    }

    // MARK: make_chain_bomb.py (F1)

    /// The leaf (issuer "X", a 2048-bit RSA-shaped key) and `count` self-issued "X" → "X"
    /// certificates of about 127 bytes, identical except the last two signature bytes.
    /// `issuer` (a DER Name) replaces "X" for the variant that names a trust anchor.
    public static func chainBomb(_ count: Int, issuer: [UInt8] = name("X")) -> (leaf: [UInt8], pool: [[UInt8]]) {
        let leaf = cert(tbs(7, issuer: issuer, subject: name("leaf"), spki: spkiRSA(modulus(0x1_2345_6789, shift: 900))))
        let tiny = seq(seq(oid([1, 2, 3])), bitString([0x00]))
        let pool = (0..<count).map { i in
            cert(tbs(1, issuer: issuer, subject: issuer, spki: tiny),
                 signature: [UInt8](repeating: 0x55, count: 8) + [UInt8(i >> 8 & 0xFF), UInt8(i & 0xFF)])
        }
        return (leaf, pool)
    }

    /// The TLS Certificate message body of a chain (24-bit list length, 24-bit lengths).
    public static func certificateMessageBody(_ chain: [[UInt8]]) -> [UInt8] {
        func u24(_ n: Int) -> [UInt8] { [UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] }
        let list = chain.flatMap { u24($0.count) + $0 }
        return u24(list.count) + list
    }

    // MARK: make_ext_bomb.py (F11)

    /// One certificate with `count` distinct 8-byte extensions (2-byte OIDs, empty values).
    public static func extensionBomb(_ count: Int) -> [UInt8] {
        let extensions = (0..<count).map { i in tlv(0x30, tlv(0x06, [UInt8(i / 128 + 1), UInt8(i % 128)]) + octet([])) }
        return cert(tbs(1, issuer: name("X"), subject: name("bomb"), spki: spkiRSA(modulus(0xAB_CDEF, shift: 1000)), extensions: extensions))
    }

    // MARK: make_log_injection.py (F12)

    /// The issuer CN of the log-injection leaf: a newline and a forged log line.
    public static let forgedIssuerName = "Evil CA\n127.0.0.1:4242: handshake: TLS 1.0 TLS_RSA_WITH_3DES_EDE_CBC_SHA compression=null "
        + "resumed=no peer=\"CN=Trusted PACS\" with 127.0.0.1:4242"

    /// A leaf whose issuer CN holds a newline and a fake log line.
    public static func logInjectionLeaf() -> [UInt8] {
        cert(tbs(9, issuer: name(forgedIssuerName), subject: name("leaf"), spki: spkiRSA(modulus(0x1_2345_6789, shift: 900))))
    }
}
