import CryptoPrimitives

/// The TLS 1.0 pseudo-random function, transcribed from RFC 2246 §5.
///
/// ```
/// PRF(secret, label, seed) = P_MD5(S1, label + seed) XOR P_SHA-1(S2, label + seed)
/// P_hash(secret, seed) = HMAC_hash(secret, A(1) + seed) + HMAC_hash(secret, A(2) + seed) + ...
/// A(0) = seed, A(i) = HMAC_hash(secret, A(i-1))
/// ```
/// S1 is the first half of the secret and S2 the second; when the secret has an odd
/// length the two halves share its middle byte.
public enum TLS10PRF {
    /// `count` bytes of `PRF(secret, label, seed)`.
    public static func compute(secret: [UInt8], label: String, seed: [UInt8], count: Int) -> [UInt8] {
        let labelAndSeed = Array(label.utf8) + seed
        let half = (secret.count + 1) / 2
        let s1 = Array(secret[0..<half])
        let s2 = Array(secret[(secret.count - half)...])
        var output = pHash(HMAC<MD5>(key: s1), seed: labelAndSeed, count: count)
        let sha = pHash(HMAC<SHA1>(key: s2), seed: labelAndSeed, count: count)
        for i in 0..<count { output[i] ^= sha[i] }
        return output
    }

    /// `P_hash` of RFC 2246 §5: the HMAC expansion of `seed` to `count` bytes.
    static func pHash<H: HashFunction>(_ hmac: HMAC<H>, seed: [UInt8], count: Int) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(count + H.digestByteCount)
        var a = seed
        while output.count < count {
            a = hmac.authenticationCode(for: a)
            var block = hmac.begin()
            block.update(a)
            block.update(seed)
            output += block.finalize()
        }
        return Array(output[0..<count])
    }
}
