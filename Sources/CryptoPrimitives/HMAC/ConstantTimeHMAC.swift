import CLibCrypto

extension HMAC where H == SHA1 {
    /// HMAC-SHA1 of `prefix ‖ data[0..<secretLength]`, where `secretLength` is secret and lies
    /// in `minimumLength...data.count`, in time and memory access that depend only on the
    /// public values `prefix.count`, `minimumLength` and `data.count` (Lucky 13).
    ///
    /// This is the TLS CBC receive check of BearSSL's `br_hmac_outCT` and OpenSSL's
    /// `ssl3_cbc_digest_record`: the bytes up to the last whole block before the shortest
    /// possible message are hashed normally; every later block that any allowed length could
    /// need is built in constant time (data, then `0x80`, zeros and the bit length where
    /// the secret length puts them) and compressed, and the inner state after the block
    /// holding the real length field is kept by masking. The number of SHA-1 compressions
    /// is therefore fixed by the public bounds.
    ///
    /// - Precondition (caller misuse): `0 <= minimumLength <= data.count`,
    ///   `secretLength` in that range, `output.count >= 20`.
    package func constantTimeAuthenticationCode(
        prefix: UnsafeRawBufferPointer, data: UnsafeRawBufferPointer,
        secretLength: Int, minimumLength: Int, into output: UnsafeMutableRawBufferPointer
    ) {
        precondition(minimumLength >= 0 && minimumLength <= data.count && output.count >= 20)
        var inner = pads.inner.context  // 64 bytes (key ^ ipad) already absorbed, num == 0
        let blockLength = 64
        // Message positions count the ipad block: byte i of prefix‖data is at 64 + i.
        let totalSecret = UInt32(truncatingIfNeeded: blockLength + prefix.count + secretLength)
        let totalMax = blockLength + prefix.count + data.count
        let totalMin = blockLength + prefix.count + minimumLength
        // Public part: whole blocks that every allowed length fills completely.
        let alignedStart = (totalMin / blockLength) * blockLength
        let publicBytes = alignedStart - blockLength  // bytes of prefix‖data hashed normally
        let fromPrefix = min(publicBytes, prefix.count)
        if fromPrefix > 0 { unsafe _ = SHA1_Update(&inner, prefix.baseAddress, fromPrefix) }
        if publicBytes > fromPrefix {
            unsafe _ = SHA1_Update(&inner, data.baseAddress, publicBytes - fromPrefix)
        }
        // Blocks from alignedStart to the one holding the length field of the longest message.
        let lastBlock = (totalMax + 8) / blockLength
        let finalBlock = UInt32(truncatingIfNeeded: (Int(totalSecret) + 8) / blockLength)  // secret
        let bitLength = UInt64(totalSecret) << 3
        var kept = inner
        var block: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        for b in (alignedStart / blockLength)...lastBlock {
            let isFinal = ConstantTime.equalMask(UInt32(truncatingIfNeeded: b), finalBlock)
            unsafe withUnsafeMutableBytes(of: &block) { out in
                // The public source bytes of this block (zero beyond the data), then one
                // branch-free pass that keeps data bytes, sets the 0x80 marker and clears the
                // rest according to the secret length.
                unsafe Self.copyWindow(prefix, data, from: b * blockLength - blockLength, into: out)
                let blockStart = UInt32(truncatingIfNeeded: b * blockLength)
                // Data bytes are those below totalSecret, the marker the one byte below
                // totalSecret + 1 that is not data: two clamped counts per block, then one
                // SWAR compare per word for each (the marker is exactly the 0x80 it leaves).
                let dataCount = ConstantTime.guardedCount(below: totalSecret, from: blockStart, limit: 64)
                let markerCount = ConstantTime.guardedCount(below: totalSecret &+ 1, from: blockStart, limit: 64)
                for w in stride(from: 0, to: blockLength, by: 8) {
                    let isData = ConstantTime.highBitsBelow(dataCount, first: w)
                    let marker = ConstantTime.highBitsBelow(markerCount, first: w) & ~isData
                    // Bounds: w + 8 <= 64 == out.count.
                    let word = UInt64(littleEndian: unsafe out.loadUnaligned(fromByteOffset: w, as: UInt64.self))
                    let masked = (word & ConstantTime.expandHighBits(isData)) | marker
                    unsafe out.storeBytes(of: masked.littleEndian, toByteOffset: w, as: UInt64.self)
                }
                // The length field's slot (public position) holds the big-endian bit length
                // only in the block the secret length makes final.
                let finalMask = UInt64(isFinal) | (UInt64(isFinal) << 32)
                // Bounds: 56 + 8 <= 64 == out.count.
                let field = unsafe out.loadUnaligned(fromByteOffset: blockLength - 8, as: UInt64.self)
                unsafe out.storeBytes(of: field | (bitLength.bigEndian & finalMask), toByteOffset: blockLength - 8, as: UInt64.self)
            }
            unsafe withUnsafeBytes(of: &block) { unsafe SHA1_Transform(&inner, $0.baseAddress?.assumingMemoryBound(to: UInt8.self)) }
            kept.h0 = ConstantTime.select(isFinal, inner.h0, kept.h0)
            kept.h1 = ConstantTime.select(isFinal, inner.h1, kept.h1)
            kept.h2 = ConstantTime.select(isFinal, inner.h2, kept.h2)
            kept.h3 = ConstantTime.select(isFinal, inner.h3, kept.h3)
            kept.h4 = ConstantTime.select(isFinal, inner.h4, kept.h4)
        }
        // The inner digest, big-endian, then the outer hash over it.
        var digest: (UInt32, UInt32, UInt32, UInt32, UInt32) =
            (kept.h0.bigEndian, kept.h1.bigEndian, kept.h2.bigEndian, kept.h3.bigEndian, kept.h4.bigEndian)
        var outer = pads.outer
        unsafe withUnsafeBytes(of: &digest) { unsafe outer.update($0) }
        unsafe outer.finalize(into: output)
        SecureMemory.wipe(value: &inner)
        SecureMemory.wipe(value: &kept)
        SecureMemory.wipe(value: &block)
        SecureMemory.wipe(value: &digest)
    }

    /// Copies the 64 bytes of `prefix ‖ data` starting at `start` into `out`, with zeros for
    /// positions past the end. Every length and offset here is public, so plain copies do.
    private static func copyWindow(
        _ prefix: UnsafeRawBufferPointer, _ data: UnsafeRawBufferPointer, from start: Int,
        into out: UnsafeMutableRawBufferPointer
    ) {
        var filled = 0
        if start < prefix.count {
            // Bounds: start >= 0 (callers pass block starts at or after the first block).
            let take = min(out.count, prefix.count - start)
            unsafe UnsafeMutableRawBufferPointer(rebasing: out[0..<take])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: prefix[start..<(start + take)]))
            filled = take
        }
        let dataStart = start + filled - prefix.count
        if filled < out.count, dataStart < data.count {
            // Bounds: 0 <= dataStart < data.count, and take stays within both buffers.
            let take = min(out.count - filled, data.count - dataStart)
            unsafe UnsafeMutableRawBufferPointer(rebasing: out[filled..<(filled + take)])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: data[dataStart..<(dataStart + take)]))
            filled += take
        }
        if filled < out.count {
            unsafe UnsafeMutableRawBufferPointer(rebasing: out[filled...]).initializeMemory(as: UInt8.self, repeating: 0)
        }
    }
}
