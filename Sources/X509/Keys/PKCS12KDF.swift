import CryptoPrimitives

/// The PKCS#12 key derivation function (RFC 7292 Appendix B.2), used by the legacy
/// PKCS#12 PBE schemes (Appendix C) and by the PKCS#12 MAC (§5.1 with ID 3).
///
/// The password is a BMPString with two trailing zero bytes (Appendix B.1), see
/// ``bmpPassword(_:)``.
enum PKCS12KDF {
    /// The diversifier `ID` of Appendix B.3.
    enum Purpose: UInt8 {
        /// Key material for encryption or decryption.
        case key = 1
        /// An initial value (IV).
        case iv = 2
        /// Key material for MACing.
        case mac = 3
    }

    /// Derives `count` bytes with hash `H` (`u` = digest length, `v` = block length).
    static func derive<H: HashFunction>(
        _ hash: H.Type, purpose: Purpose, password: [UInt8], salt: [UInt8], iterations: Int, count: Int
    ) -> [UInt8] {
        let u = H.digestByteCount
        let v = H.blockByteCount
        // Steps 1–4: D = v copies of ID; I = S ‖ P, each repeated to a multiple of v.
        let d = [UInt8](repeating: purpose.rawValue, count: v)
        var i = Self.repeated(salt, toMultipleOf: v) + Self.repeated(password, toMultipleOf: v)
        defer { SecureMemory.wipe(&i) }
        var out: [UInt8] = []
        out.reserveCapacity(count + u)
        var b = [UInt8](repeating: 0, count: v)
        defer { SecureMemory.wipe(&b) }
        while true {
            // Step 6a: A_i = H^r(D ‖ I).
            var h = H()
            h.update(d)
            h.update(i)
            var a = h.finalize()
            unsafe a.withUnsafeMutableBytes { buffer in
                // Bounds: `buffer` is one digest; each round hashes it and writes it back.
                for _ in 1..<max(iterations, 1) {
                    var next = H()
                    unsafe next.update(UnsafeRawBufferPointer(buffer))
                    unsafe next.finalize(into: buffer)
                }
            }
            out += a
            if out.count >= count { SecureMemory.wipe(&a); break }
            // Step 6b–c: B = A_i repeated to v bytes; I_j = (I_j + B + 1) mod 2^(8v).
            for k in 0..<v { b[k] = a[k % u] }
            SecureMemory.wipe(&a)
            var j = 0
            while j < i.count {
                var carry: UInt16 = 1
                for k in stride(from: v - 1, through: 0, by: -1) {
                    let sum = UInt16(i[j + k]) + UInt16(b[k]) + carry
                    i[j + k] = UInt8(truncatingIfNeeded: sum)
                    carry = sum >> 8
                }
                j += v
            }
        }
        let key = Array(out.prefix(count))
        SecureMemory.wipe(&out)
        return key
    }

    /// The password as a BMPString (UTF-16 big-endian) followed by two zero bytes (RFC 7292
    /// Appendix B.1). An empty password is the two zero bytes alone.
    static func bmpPassword(_ password: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for unit in String(decoding: password, as: UTF8.self).utf16 {
            out.append(UInt8(unit >> 8))
            out.append(UInt8(truncatingIfNeeded: unit))
        }
        return out + [0, 0]
    }

    /// `bytes` repeated to the smallest multiple of `v` not below its length (empty stays empty).
    private static func repeated(_ bytes: [UInt8], toMultipleOf v: Int) -> [UInt8] {
        guard !bytes.isEmpty else { return [] }
        let length = v * ((bytes.count + v - 1) / v)
        return (0..<length).map { bytes[$0 % bytes.count] }
    }
}
