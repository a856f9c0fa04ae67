/// The send side of the record layer (RFC 2246 §6.2.1): fragment, compress and seal in
/// place into the output queue, with 1/n−1 splitting for CBC application data (BEAST).
extension RecordLayerStorage {
    /// Sealing choices that come from the layer above.
    struct SendPolicy {
        /// The version written in record headers.
        var version: ProtocolVersion
        /// Largest plaintext fragment (1...2^14).
        var maxFragmentLength: Int
        /// Whether to split application data 1/n−1 under CBC ciphers.
        var recordSplitting: Bool
        /// Sweet32 limit for the write key, or nil.
        var keyUsageLimit: UInt64?
    }

    /// Fragments `bytes` into records of `type` and seals them into the output queue.
    func send(_ type: ContentType, _ bytes: UnsafeRawBufferPointer, _ policy: SendPolicy) throws(RecordError) {
        if type == .applicationData, let limit = policy.keyUsageLimit, write.protection.cipherAlgorithm.hasSmallBlock,
            write.keyUsage &+ UInt64(bytes.count) > limit
        {
            throw RecordError(
                .keyUsageLimitReached,
                "sending would exceed \(limit) bytes under one 64-bit-block key (Sweet32); renegotiate or close")
        }
        guard bytes.count > 0 else {
            // Zero-length records are legal for application data (RFC 2246 §6.2.1).
            try unsafe sealOne(type, bytes, policy)
            return
        }
        var offset = 0
        if policy.recordSplitting, type == .applicationData, write.protection.cipherAlgorithm.blockByteCount > 0,
            bytes.count > 1
        {
            // 1/n−1 split: the first record carries one byte, so its IV is unpredictable to an
            // attacker choosing the rest (BEAST countermeasure, as OpenSSL/NSS/Go do).
            try unsafe sealOne(type, UnsafeRawBufferPointer(rebasing: bytes[0..<1]), policy)
            offset = 1
        }
        while offset < bytes.count {
            let n = min(policy.maxFragmentLength, bytes.count - offset)
            // Bounds: offset + n <= bytes.count.
            try unsafe sealOne(type, UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)]), policy)
            offset += n
        }
    }

    /// Lets `fill` write one fragment's plaintext straight into the output queue where the
    /// record will be sealed, then seals it in place (BearSSL's `sendapp_buf`/`sendapp_ack`).
    /// Under DEFLATE, or when the 1/n−1 split applies, the plaintext goes through the
    /// inflate buffer as scratch and the copying path instead.
    func sendInPlace(
        _ type: ContentType, maximumCount: Int, _ policy: SendPolicy, _ fill: (UnsafeMutableRawBufferPointer) -> Int
    ) throws(RecordError) {
        let limit = max(0, min(maximumCount, policy.maxFragmentLength))
        let splits = policy.recordSplitting && type == .applicationData
            && write.protection.cipherAlgorithm.blockByteCount > 0
        if write.deflate != nil || splits {
            // Bounds: limit <= 2^14 < inflated.count.
            let scratch = unsafe UnsafeMutableRawBufferPointer(rebasing: inflated[0..<limit])
            let n = max(0, min(unsafe fill(scratch), limit))
            try unsafe send(type, UnsafeRawBufferPointer(rebasing: scratch[0..<n]), policy)
            return
        }
        let space = unsafe output.reserve(RecordLimits.headerLength + limit + 20 + 256)
        // Bounds: space holds 5 + limit bytes at least; fill sees exactly `limit` of them.
        let n = max(0, min(unsafe fill(UnsafeMutableRawBufferPointer(
            rebasing: space[RecordLimits.headerLength..<(RecordLimits.headerLength + limit)])), limit))
        if type == .applicationData, let usageLimit = policy.keyUsageLimit,
            write.protection.cipherAlgorithm.hasSmallBlock, write.keyUsage &+ UInt64(n) > usageLimit
        {
            throw RecordError(
                .keyUsageLimitReached,
                "sending would exceed \(usageLimit) bytes under one 64-bit-block key (Sweet32); renegotiate or close")
        }
        let total = try unsafe write.protection.seal(space, contentType: type, version: policy.version, fragmentLength: n)
        output.commit(total)
        if write.protection.cipherAlgorithm.hasSmallBlock { write.keyUsage &+= UInt64(n) }
    }

    /// Seals one fragment (at most 2^14 bytes) as one record at the end of the output queue.
    private func sealOne(_ type: ContentType, _ fragment: UnsafeRawBufferPointer, _ policy: SendPolicy) throws(RecordError) {
        // Worst case: header, compressed fragment, MAC, 256 bytes of padding.
        let space = unsafe output.reserve(RecordLimits.headerLength + RecordLimits.maxCompressed + 20 + 256)
        let fragmentLength: Int
        // Bounds: space holds at least 5 + maxCompressed bytes, and fragment.count <= 2^14.
        let body = unsafe UnsafeMutableRawBufferPointer(
            rebasing: space[RecordLimits.headerLength..<(RecordLimits.headerLength + RecordLimits.maxCompressed)])
        if let deflate = write.deflate {
            fragmentLength = try unsafe deflate.compress(fragment, into: body)
        } else {
            if fragment.count > 0 {
                unsafe UnsafeMutableRawBufferPointer(rebasing: body[0..<fragment.count]).copyMemory(from: fragment)
            }
            fragmentLength = fragment.count
        }
        let total = try unsafe write.protection.seal(
            space, contentType: type, version: policy.version, fragmentLength: fragmentLength)
        output.commit(total)
        if write.protection.cipherAlgorithm.hasSmallBlock { write.keyUsage &+= UInt64(fragment.count) }
    }
}
