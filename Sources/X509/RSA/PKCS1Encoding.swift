import CryptoPrimitives

/// The PKCS#1 v1.5 encoded blocks (RFC 8017 §7.2 and §9.2), built whole.
///
/// Signatures are verified by building the expected block and comparing it entirely
/// (never by parsing the recovered one: Bleichenbacher's 2006 forgery exploits lax parsers).
enum PKCS1Encoding {
    /// Minimum padding-string length for both block types (RFC 8017 §7.2.1, §9.2).
    static let minimumPaddingLength = 8

    /// `00 01 FF…FF 00 ‖ payload`, `k` bytes long (block type 1, EMSA-PKCS1-v1_5 §9.2 step 5),
    /// or nil when the payload leaves fewer than 8 padding bytes.
    static func signatureBlock(payload: [UInt8], k: Int) -> [UInt8]? {
        guard payload.count + 3 + minimumPaddingLength <= k else { return nil }
        var block = [UInt8](repeating: 0xFF, count: k)
        block[0] = 0x00
        block[1] = 0x01
        block[k - payload.count - 1] = 0x00
        block.replaceSubrange((k - payload.count)..<k, with: payload)
        return block
    }

    /// `DigestInfo ‖ H` for a digest, or nil when the digest length is wrong for the algorithm.
    static func digestInfo(_ algorithm: DigestAlgorithm, digest: [UInt8]) -> [UInt8]? {
        guard digest.count == algorithm.digestByteCount else { return nil }
        return algorithm.digestInfoPrefix + digest
    }

    /// `00 02 PS 00 ‖ message` with the given non-zero padding string (block type 2,
    /// RSAES-PKCS1-v1_5 §7.2.1 step 2), or nil when the lengths do not fit `k`.
    static func encryptionBlock(message: [UInt8], padding: [UInt8], k: Int) -> [UInt8]? {
        guard padding.count >= minimumPaddingLength,
              padding.count + message.count + 3 == k,
              !padding.contains(0) else { return nil }
        return [0x00, 0x02] + padding + [0x00] + message
    }

    /// `count` random non-zero bytes for a type-2 padding string.
    static func nonZeroRandomBytes(_ count: Int, random: some RandomSource) -> [UInt8] {
        var out = random.bytes(count)
        for i in out.indices {
            // Redraw zeros; each draw is zero with probability 1/256, so this ends quickly.
            while out[i] == 0 { out[i] = random.bytes(1)[0] }
        }
        return out
    }

    /// Checks a decrypted type-2 block in constant time (RFC 8017 §7.2.2 step 3).
    ///
    /// Returns a mask (all ones when well formed) and the index of the first byte of the
    /// message; neither branches nor indexes memory on the block's contents.
    static func checkEncryptionBlock(_ block: [UInt8]) -> (mask: UInt32, messageStart: Int) {
        let k = block.count
        guard k >= 11 else { return (0, k) }
        var good = ConstantTime.isZeroMask(UInt32(block[0]))
        good &= ConstantTime.equalMask(UInt32(block[1]), 2)
        var found: UInt32 = 0
        var separator: UInt32 = 0
        for i in 2..<k {
            let isZero = ConstantTime.isZeroMask(UInt32(block[i]))
            separator = ConstantTime.select(isZero & ~found, UInt32(i), separator)
            found |= isZero
        }
        good &= found
        // The separator must follow at least 8 padding bytes, i.e. sit at index 10 or later.
        good &= ConstantTime.greaterOrEqualMask(separator, UInt32(2 + minimumPaddingLength))
        return (good, Int(separator) + 1)
    }
}
