import CryptoPrimitives

extension RSAPrivateKey {
    /// The public exponent of generated keys: F4 = 65537.
    public static let generatedPublicExponent: UInt = 65537

    /// Miller-Rabin strength for generated primes: `mpz_probab_prime_p` with 40 rounds
    /// (GMP runs Baillie-PSW, then `rounds − 24` Miller-Rabin tests with its own bases;
    /// the candidates themselves come from `random`, not GMP's generator).
    static let primalityRounds = 40

    /// Generates a new key of `bits` bits (2048 to 16384, a multiple of 16) with e = 65537.
    ///
    /// Prime candidates are drawn from `random` with the top two bits set (so that
    /// `p·q` has exactly `bits` bits) and the low bit set; a candidate is kept when
    /// `gcd(e, p − 1) = 1` and it passes the primality test. `|p − q|` must exceed
    /// `2^(bits/2 − 100)` and `d` must exceed `2^(bits/2)` (FIPS 186-4 §B.3.1).
    public static func generate(bits: Int, random: some RandomSource) throws(X509Error) -> RSAPrivateKey {
        guard bits >= 2048, bits <= RSAPublicKey.maximumModulusBitCount, bits % 16 == 0 else {
            throw X509Error(.keyGenerationFailed, "RSA key generation supports 2048 to 16384 bits in steps of 16, not \(bits)")
        }
        let e = BigInt(generatedPublicExponent)
        let minimumDistance = power2(bits / 2 - 100)
        for _ in 0..<64 {
            let p = prime(bits: bits / 2, e: e, random: random)
            let q = prime(bits: bits / 2, e: e, random: random)
            let distance = p > q ? p - q : q - p
            guard distance > minimumDistance else { continue }
            let n = p * q
            let lambda = lcm(p - 1, q - 1)
            guard n.bitWidth == bits, let d = e.inverse(modulus: lambda), d.bitWidth > bits / 2 else { continue }
            let publicKey = try RSAPublicKey(n: n, e: e)
            return try RSAPrivateKey(publicKey: publicKey, d: d, p: p > q ? p : q, q: p > q ? q : p)
        }
        throw X509Error(.keyGenerationFailed, "RSA key generation found no suitable primes: the random source looks broken")
    }

    /// A random probable prime of exactly `bits` bits with `gcd(e, p − 1) = 1`.
    private static func prime(bits: Int, e: BigInt, random: some RandomSource) -> BigInt {
        let byteCount = bits / 8
        while true {
            var bytes = random.bytes(byteCount)
            bytes[0] |= 0xC0
            bytes[byteCount - 1] |= 0x01
            let candidate = BigInt(bigEndian: bytes)
            SecureMemory.wipe(&bytes)
            guard BigInt.gcd(candidate - 1, e).equals(1),
                  candidate.isProbablePrime(rounds: primalityRounds) else { continue }
            return candidate
        }
    }

    private static func lcm(_ a: BigInt, _ b: BigInt) -> BigInt {
        (a * b).dividedExactly(by: BigInt.gcd(a, b)) ?? a * b
    }

    private static func power2(_ exponent: Int) -> BigInt {
        var bytes = [UInt8](repeating: 0, count: exponent / 8 + 1)
        bytes[0] = UInt8(1) << (exponent % 8)
        return BigInt(bigEndian: bytes)
    }
}
