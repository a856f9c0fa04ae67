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
    ///
    /// Both expansions XOR straight into the output, with their keys and chaining values on
    /// the stack (``InlineHMAC``, wiped before returning): the allocations are the output and
    /// `label + seed`.
    public static func compute(secret: [UInt8], label: String, seed: [UInt8], count: Int) -> [UInt8] {
        var labelAndSeed: [UInt8] = []
        labelAndSeed.reserveCapacity(label.utf8.count + seed.count)
        labelAndSeed += label.utf8
        labelAndSeed += seed
        var output = [UInt8](repeating: 0, count: max(0, count))
        unsafe secret.withUnsafeBytes { s in
            let half = (s.count + 1) / 2
            unsafe labelAndSeed.withUnsafeBytes { ls in
                unsafe output.withUnsafeMutableBytes { out in
                    var md5 = unsafe InlineHMAC<MD5>(key: UnsafeRawBufferPointer(rebasing: s[0..<half]))
                    unsafe xorPHash(md5, seed: ls, into: out)
                    md5.wipe()
                    var sha1 = unsafe InlineHMAC<SHA1>(key: UnsafeRawBufferPointer(rebasing: s[(s.count - half)...]))
                    unsafe xorPHash(sha1, seed: ls, into: out)
                    sha1.wipe()
                }
            }
        }
        return output
    }

    /// XORs `P_hash(secret, seed)` (RFC 2246 §5) into `output`, all of it. `A(i)` and each
    /// output block live in a stack buffer that is wiped before returning.
    @inline(__always)
    static func xorPHash<H: HashFunction>(
        _ hmac: borrowing InlineHMAC<H>, seed: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) {
        let d = H.digestByteCount
        let none = unsafe UnsafeRawBufferPointer(start: nil, count: 0)
        unsafe withUnsafeTemporaryAllocation(byteCount: 2 * d, alignment: 16) { scratch in
            let a = unsafe UnsafeMutableRawBufferPointer(rebasing: scratch[0..<d])
            let block = unsafe UnsafeMutableRawBufferPointer(rebasing: scratch[d...])
            unsafe hmac.authenticationCode(of: seed, none, into: a)  // A(1)
            var offset = 0
            while true {
                unsafe hmac.authenticationCode(of: UnsafeRawBufferPointer(a), seed, into: block)
                let n = min(d, output.count - offset)
                for i in 0..<n { unsafe output[offset + i] ^= block[i] }
                offset += n
                if offset >= output.count { break }
                unsafe hmac.authenticationCode(of: UnsafeRawBufferPointer(a), none, into: a)  // A(i+1)
            }
            unsafe SecureMemory.wipe(scratch)
        }
    }

    /// `P_hash` of RFC 2246 §5 written as the RFC states it: the reference ``compute(secret:label:seed:count:)``
    /// is checked against in the tests.
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
