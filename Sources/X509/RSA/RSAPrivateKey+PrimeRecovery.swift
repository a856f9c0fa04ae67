extension RSAPrivateKey {
    /// Recovers `p` and `q` from `(n, e, d)` (NIST SP 800-56B rev. 2, Appendix C.2;
    /// RFC 8017 leaves the method open). `k = d·e − 1` is a multiple of `λ(n)`; for a base
    /// `g`, squaring `g^(k/2^t)` reaches a non-trivial square root of 1 for at least half
    /// of all `g`, and its gcd with `n` splits `n`. Small bases are tried in order, so the
    /// result is deterministic. Nil when `d` does not belong to `(n, e)`.
    static func recoverPrimes(n: BigInt, e: BigInt, d: BigInt) -> (BigInt, BigInt)? {
        let k = d * e - 1
        guard !k.isZero, !k.isNegative, !k.isOdd else { return nil }
        let t = k.trailingZeroBitCount
        let r = k >> t
        let one = BigInt(1)
        let minusOne = n - 1
        for base in [UInt](arrayLiteral: 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71) {
            guard var y = BigInt(base).power(r, modulus: n), y != one, y != minusOne else { continue }
            for _ in 0..<t {
                guard let x = (y * y).modulo(n) else { return nil }
                if x == one {
                    let p = BigInt.gcd(y - 1, n)
                    guard p != one, p != n, let q = n.dividedExactly(by: p) else { return nil }
                    return p > q ? (p, q) : (q, p)
                }
                if x == minusOne { break }
                y = x
            }
        }
        return nil
    }
}
