import CryptoPrimitives

/// An RSA private key in CRT form (RFC 8017 §3.2, second representation).
///
/// Every private operation (1) blinds its input with a fresh random `r` (multiplying
/// by `r^e`), (2) exponentiates with the CRT halves using `mpz_powm_sec`, whose timing
/// does not depend on the secret exponents, (3) unblinds, and (4) checks the result
/// against the public key (`s^e mod n` must give the input back) before releasing it,
/// so that a fault in one CRT half cannot leak a factor of `n` (Boneh–DeMillo–Lipton).
public struct RSAPrivateKey: Sendable {
    /// The public half.
    public let publicKey: RSAPublicKey
    let d: BigInt
    let p: BigInt
    let q: BigInt
    let dP: BigInt
    let dQ: BigInt
    let qInv: BigInt

    /// A key from its PKCS#1 components, big-endian (leading zeros allowed).
    ///
    /// The components are checked for consistency: `n = p·q` with `p`, `q` probable
    /// primes, `dP = d mod (p−1)`, `dQ = d mod (q−1)`, `e·dP ≡ 1 (mod p−1)`,
    /// `e·dQ ≡ 1 (mod q−1)` and `qInv·q ≡ 1 (mod p)`. Inconsistent input throws
    /// ``X509Error/Code-swift.struct/invalidKey``, so corrupted or wrongly decrypted key
    /// material is never used.
    public init(
        modulus: [UInt8], publicExponent: [UInt8], privateExponent: [UInt8],
        prime1: [UInt8], prime2: [UInt8], exponent1: [UInt8], exponent2: [UInt8], coefficient: [UInt8]
    ) throws(X509Error) {
        try self.init(
            publicKey: RSAPublicKey(modulus: modulus, publicExponent: publicExponent),
            d: BigInt(bigEndian: privateExponent), p: BigInt(bigEndian: prime1), q: BigInt(bigEndian: prime2),
            dP: BigInt(bigEndian: exponent1), dQ: BigInt(bigEndian: exponent2), qInv: BigInt(bigEndian: coefficient))
    }

    /// A key from `n`, `e` and `d` alone: the primes are recovered from them
    /// (NIST SP 800-56B rev. 2, Appendix C.2), then the CRT values are computed.
    public init(modulus: [UInt8], publicExponent: [UInt8], privateExponent: [UInt8]) throws(X509Error) {
        let publicKey = try RSAPublicKey(modulus: modulus, publicExponent: publicExponent)
        let d = BigInt(bigEndian: privateExponent)
        guard let (p, q) = Self.recoverPrimes(n: publicKey.n, e: publicKey.e, d: d) else {
            throw X509Error(.invalidKey, "the RSA private exponent does not match the public key")
        }
        try self.init(publicKey: publicKey, d: d, p: p, q: q)
    }

    /// A key from the public key, `d` and the two primes; the CRT values are computed.
    init(publicKey: RSAPublicKey, d: BigInt, p: BigInt, q: BigInt) throws(X509Error) {
        guard let dP = d.modulo(p - 1), let dQ = d.modulo(q - 1), let qInv = q.inverse(modulus: p) else {
            throw X509Error(.invalidKey, "the RSA primes do not form a valid key")
        }
        try self.init(publicKey: publicKey, d: d, p: p, q: q, dP: dP, dQ: dQ, qInv: qInv)
    }

    init(publicKey: RSAPublicKey, d: BigInt, p: BigInt, q: BigInt, dP: BigInt, dQ: BigInt, qInv: BigInt) throws(X509Error) {
        self.publicKey = publicKey
        self.d = d
        self.p = p
        self.q = q
        self.dP = dP
        self.dQ = dQ
        self.qInv = qInv
        try checkConsistency()
    }

    /// The key's components as minimal big-endian bytes, in RFC 8017 `RSAPrivateKey` order.
    package var components: (n: [UInt8], e: [UInt8], d: [UInt8], p: [UInt8], q: [UInt8],
                             dP: [UInt8], dQ: [UInt8], qInv: [UInt8]) {
        (publicKey.modulus, publicKey.publicExponent, d.bigEndianBytes, p.bigEndianBytes, q.bigEndianBytes,
         dP.bigEndianBytes, dQ.bigEndianBytes, qInv.bigEndianBytes)
    }

    // MARK: Signatures (RFC 8017 §8.2.1)

    /// An RSASSA-PKCS1-v1_5 signature over a digest made with `digestAlgorithm`.
    public func signPKCS1v15(digestAlgorithm: DigestAlgorithm, digest: [UInt8]) throws(X509Error) -> [UInt8] {
        guard let payload = PKCS1Encoding.digestInfo(digestAlgorithm, digest: digest) else {
            throw X509Error(.invalidRSAInput, "a \(digestAlgorithm) digest is \(digestAlgorithm.digestByteCount) bytes, got \(digest.count)")
        }
        return try sign(payload: payload)
    }

    /// A TLS 1.0 signature over the 36-byte `MD5 ‖ SHA-1` hash: block type 1 without
    /// a DigestInfo (RFC 2246 §7.4.3 and §7.4.8).
    public func signTLS10(md5SHA1: [UInt8]) throws(X509Error) -> [UInt8] {
        guard md5SHA1.count == 36 else {
            throw X509Error(.invalidRSAInput, "the TLS 1.0 MD5‖SHA-1 hash is 36 bytes, got \(md5SHA1.count)")
        }
        return try sign(payload: md5SHA1)
    }

    private func sign(payload: [UInt8]) throws(X509Error) -> [UInt8] {
        let k = publicKey.modulusByteCount
        guard let block = PKCS1Encoding.signatureBlock(payload: payload, k: k) else {
            throw X509Error(.messageTooLong, "a \(payload.count)-byte DigestInfo does not fit a \(k)-byte RSA key")
        }
        return try privateOperation(block, random: SystemRandom())
    }

    // MARK: Decryption (RFC 8017 §7.2.2)

    /// RSAES-PKCS1-v1_5 decryption. Every failure — wrong length, value not below `n`,
    /// bad padding — throws the same error with the same message (no padding oracle);
    /// the padding check itself is constant-time.
    ///
    /// For a TLS premaster secret use ``decryptPremasterTLS(_:expectedVersion:random:)``,
    /// which never fails.
    public func decryptPKCS1v15(_ ciphertext: [UInt8]) throws(X509Error) -> [UInt8] {
        let failure = X509Error(.decryptionFailed, "RSA PKCS#1 v1.5 decryption failed")
        guard var block = try? privateOperation(ciphertext, random: SystemRandom()) else { throw failure }
        defer { SecureMemory.wipe(&block) }
        let (mask, start) = PKCS1Encoding.checkEncryptionBlock(block)
        guard mask != 0 else { throw failure }
        return Array(block[start...])
    }

    /// Decrypts a TLS `EncryptedPreMasterSecret` without ever revealing whether it was
    /// well formed (RFC 5246 §7.4.7.1; BearSSL `do_rsa_decrypt`).
    ///
    /// A random 48-byte fallback is drawn first. The block is decrypted, then the padding,
    /// the 48-byte length and the two version bytes are checked into one mask, and the
    /// decrypted premaster is copied over the fallback under that mask in constant time.
    /// The result is always 48 bytes; a bad ciphertext yields the random fallback, which
    /// makes the handshake fail later at Finished, like any other wrong key.
    public func decryptPremasterTLS(
        _ ciphertext: [UInt8], expectedVersion: (UInt8, UInt8), random: some RandomSource
    ) -> [UInt8] {
        let premasterLength = 48
        var result = random.bytes(premasterLength)
        let k = publicKey.modulusByteCount
        // The ciphertext length and whether it is below n are public (RFC 5246 allows
        // no other length); the private operation's own fault check is not attacker-timed.
        var block = (try? privateOperation(ciphertext, random: random)) ?? [UInt8](repeating: 0, count: k)
        defer { SecureMemory.wipe(&block) }
        guard block.count == k, k >= premasterLength + 11 else { return result }
        let separator = k - premasterLength - 1
        var good = ConstantTime.isZeroMask(UInt32(block[0]))
        good &= ConstantTime.equalMask(UInt32(block[1]), 2)
        for i in 2..<separator {
            good &= ~ConstantTime.isZeroMask(UInt32(block[i]))
        }
        good &= ConstantTime.isZeroMask(UInt32(block[separator]))
        good &= ConstantTime.equalMask(UInt32(block[separator + 1]), UInt32(expectedVersion.0))
        good &= ConstantTime.equalMask(UInt32(block[separator + 2]), UInt32(expectedVersion.1))
        unsafe result.withUnsafeMutableBytes { out in
            unsafe block.withUnsafeBytes { source in
                unsafe ConstantTime.conditionalCopy(
                    mask: good, to: out.baseAddress!, from: source.baseAddress! + (separator + 1),
                    count: premasterLength)
            }
        }
        return result
    }

    // MARK: The RSA primitive

    /// RSADP/RSASP1 with blinding, CRT, `mpz_powm_sec` and a public-key check of the result
    /// (RFC 8017 §5.1.2). The input must be `k` bytes and below `n`.
    package func privateOperation(_ input: [UInt8], random: some RandomSource) throws(X509Error) -> [UInt8] {
        let k = publicKey.modulusByteCount
        let n = publicKey.n
        guard input.count == k else {
            throw X509Error(.invalidRSAInput, "RSA input is \(input.count) bytes, the key needs \(k)")
        }
        let c = BigInt(bigEndian: input)
        guard c < n else { throw X509Error(.invalidRSAInput, "RSA input is not below the modulus") }

        let (blind, unblind) = try blindingPair(random: random)
        guard let blinded = (c * blind).modulo(n),
              let cp = blinded.modulo(p), let cq = blinded.modulo(q),
              let m1 = cp.secretPower(dP, modulus: p), let m2 = cq.secretPower(dQ, modulus: q),
              let h = (qInv * (m1 - m2)).modulo(p),
              let m = ((m2 + h * q) * unblind).modulo(n) else {
            throw X509Error(.privateOperationFault, "RSA private operation failed")
        }
        // Fault-attack protection: never release a result the public key does not confirm.
        guard let check = m.power(publicKey.e, modulus: n), check == c,
              let out = m.bigEndianBytes(count: k) else {
            throw X509Error(.privateOperationFault, "RSA private operation gave a result that fails the public-key check")
        }
        return out
    }

    /// A fresh blinding pair `(r^e mod n, r^−1 mod n)` for a random `r` coprime to `n`.
    private func blindingPair(random: some RandomSource) throws(X509Error) -> (BigInt, BigInt) {
        let n = publicKey.n
        for _ in 0..<16 {
            var bytes = random.bytes(publicKey.modulusByteCount)
            defer { SecureMemory.wipe(&bytes) }
            guard let r = BigInt(bigEndian: bytes).modulo(n), !r.isZero, !r.equals(1),
                  let inverse = r.inverse(modulus: n),
                  let blind = r.power(publicKey.e, modulus: n) else { continue }
            return (blind, inverse)
        }
        throw X509Error(.privateOperationFault, "no RSA blinding value could be drawn: the random source looks broken")
    }

    // MARK: Consistency

    /// Checks the components against each other (see the initialiser).
    private func checkConsistency() throws(X509Error) {
        let n = publicKey.n
        let e = publicKey.e
        let one = BigInt(1)
        guard p.bitWidth > 1, q.bitWidth > 1, p.isOdd, q.isOdd, p * q == n else {
            throw X509Error(.invalidKey, "RSA key is inconsistent: the primes do not multiply to the modulus")
        }
        let pm1 = p - 1, qm1 = q - 1
        guard !d.isZero, d < n, dP < pm1, dQ < qm1, qInv < p,
              d.modulo(pm1) == dP, d.modulo(qm1) == dQ,
              (e * dP).modulo(pm1) == one, (e * dQ).modulo(qm1) == one,
              (qInv * q).modulo(p) == one else {
            throw X509Error(.invalidKey, "RSA key is inconsistent: the private exponents do not match the public key")
        }
        // Probable-prime checks last (the most expensive); GMP runs Baillie-PSW plus rounds.
        guard p.isProbablePrime(rounds: 25), q.isProbablePrime(rounds: 25) else {
            throw X509Error(.invalidKey, "RSA key is inconsistent: a factor of the modulus is not prime")
        }
    }
}
