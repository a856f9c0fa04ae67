import CryptoPrimitives

/// PBKDF2 (RFC 8018 §5.2) over HMAC with any ``HashFunction`` of CryptoPrimitives.
enum PBKDF2 {
    /// Derives `keyLength` bytes from `password` and `salt` with `iterations` rounds.
    static func deriveKey<H: HashFunction>(
        _ hash: H.Type, password: [UInt8], salt: [UInt8], iterations: Int, keyLength: Int
    ) -> [UInt8] {
        let prf = HMAC<H>(key: password)
        let hLen = H.digestByteCount
        var derived: [UInt8] = []
        derived.reserveCapacity(keyLength + hLen)
        var block: UInt32 = 1
        var u = [UInt8](repeating: 0, count: hLen)
        var t = [UInt8](repeating: 0, count: hLen)
        defer { SecureMemory.wipe(&u); SecureMemory.wipe(&t) }
        while derived.count < keyLength {
            // U_1 = PRF(P, S ‖ INT(i)); U_j = PRF(P, U_{j−1}); T_i = U_1 ⊕ … ⊕ U_c.
            var c = prf.begin()
            c.update(salt)
            c.update([UInt8(block >> 24), UInt8(truncatingIfNeeded: block >> 16),
                      UInt8(truncatingIfNeeded: block >> 8), UInt8(truncatingIfNeeded: block)])
            unsafe u.withUnsafeMutableBytes { unsafe c.finalize(into: $0) }
            t = u
            if iterations > 1 {
                for _ in 1..<iterations {
                    var next = prf.begin()
                    unsafe u.withUnsafeBytes { unsafe next.update($0) }
                    unsafe u.withUnsafeMutableBytes { unsafe next.finalize(into: $0) }
                    for k in 0..<hLen { t[k] ^= u[k] }
                }
            }
            derived += t
            block += 1
        }
        let key = Array(derived.prefix(keyLength))
        SecureMemory.wipe(&derived)
        return key
    }
}
