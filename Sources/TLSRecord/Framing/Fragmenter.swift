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
        try unsafe forEachFragment(type, bytes, policy) { fragment throws(RecordError) in
            // Worst case: header, compressed fragment, MAC, 256 bytes of padding.
            let space = unsafe output.reserve(RecordLimits.headerLength + RecordLimits.maxCompressed + 20 + 256)
            output.commit(try unsafe seal(type, fragment, into: space, policy))
        }
    }

    /// Fragments and seals application data straight into `destination`, out of place
    /// (``RecordProtection/seal(_:into:contentType:version:extraPaddingBlocks:)``), and
    /// returns the bytes written: the records ``send(_:_:_:)`` would queue, byte for byte.
    /// Returns nil, having changed nothing, when records already wait in the output queue
    /// (they go first), under DEFLATE, or when `destination` is smaller than
    /// ``sealedCapacity(forApplicationData:_:)``.
    func sealDirect(
        _ bytes: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer, _ policy: SendPolicy
    ) throws(RecordError) -> Int? {
        guard output.count == 0, write.deflate == nil,
            destination.count >= sealedCapacity(forApplicationData: bytes.count, policy)
        else { return nil }
        var written = 0
        try unsafe forEachFragment(.applicationData, bytes, policy) { fragment throws(RecordError) in
            // Bounds: the capacity check above leaves room for every record.
            let space = unsafe UnsafeMutableRawBufferPointer(rebasing: destination[written...])
            written += try unsafe seal(.applicationData, fragment, into: space, policy)
        }
        return written
    }

    /// An upper bound of the bytes ``sealDirect(_:into:_:)`` writes for `count` bytes of
    /// application data under the current write state: per record a header, a MAC and at
    /// most one block of padding.
    func sealedCapacity(forApplicationData count: Int, _ policy: SendPolicy) -> Int {
        let count = max(0, count)
        let block = write.protection.cipherAlgorithm.blockByteCount
        let perRecord = RecordLimits.headerLength + write.protection.macAlgorithm.byteCount + block
        let fragment = policy.maxFragmentLength
        let records: Int
        if count == 0 {
            records = 1
        } else if policy.recordSplitting, block > 0, count > 1 {
            records = 1 + (count - 1 + fragment - 1) / fragment
        } else {
            records = (count + fragment - 1) / fragment
        }
        return count + records * perRecord
    }

    /// The fragments of `bytes` in order (at most `maxFragmentLength` each, one empty one
    /// for empty `bytes`, the first of one byte under the 1/n−1 split), after the Sweet32
    /// check of the whole.
    private func forEachFragment(
        _ type: ContentType, _ bytes: UnsafeRawBufferPointer, _ policy: SendPolicy,
        _ body: (UnsafeRawBufferPointer) throws(RecordError) -> Void
    ) throws(RecordError) {
        if type == .applicationData, let limit = policy.keyUsageLimit, write.protection.cipherAlgorithm.hasSmallBlock,
            write.keyUsage &+ UInt64(bytes.count) > limit
        {
            throw RecordError(
                .keyUsageLimitReached,
                "sending would exceed \(limit) bytes under one 64-bit-block key (Sweet32); renegotiate or close")
        }
        guard bytes.count > 0 else {
            // Zero-length records are legal for application data (RFC 2246 §6.2.1).
            try unsafe body(bytes)
            return
        }
        var offset = 0
        if policy.recordSplitting, type == .applicationData, write.protection.cipherAlgorithm.blockByteCount > 0,
            bytes.count > 1
        {
            // 1/n−1 split: the first record carries one byte, so its IV is unpredictable to an
            // attacker choosing the rest (BEAST countermeasure, as OpenSSL/NSS/Go do).
            try unsafe body(UnsafeRawBufferPointer(rebasing: bytes[0..<1]))
            offset = 1
        }
        while offset < bytes.count {
            let n = min(policy.maxFragmentLength, bytes.count - offset)
            // Bounds: offset + n <= bytes.count.
            try unsafe body(UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)]))
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

    /// Seals one fragment (at most 2^14 bytes) as one record at the start of `space` (room
    /// for the largest record) and counts it against the write key; returns its length.
    /// Compressed fragments are sealed in place behind the header, others from the caller's
    /// memory (the encryption, or the NULL cipher's copy, the only pass over them).
    private func seal(
        _ type: ContentType, _ fragment: UnsafeRawBufferPointer, into space: UnsafeMutableRawBufferPointer,
        _ policy: SendPolicy
    ) throws(RecordError) -> Int {
        let total: Int
        if let deflate = write.deflate {
            // Bounds: space holds at least 5 + maxCompressed bytes, and fragment.count <= 2^14.
            let body = unsafe UnsafeMutableRawBufferPointer(
                rebasing: space[RecordLimits.headerLength..<(RecordLimits.headerLength + RecordLimits.maxCompressed)])
            let fragmentLength = try unsafe deflate.compress(fragment, into: body)
            total = try unsafe write.protection.seal(
                space, contentType: type, version: policy.version, fragmentLength: fragmentLength)
        } else {
            total = try unsafe write.protection.seal(fragment, into: space, contentType: type, version: policy.version)
        }
        if write.protection.cipherAlgorithm.hasSmallBlock { write.keyUsage &+= UInt64(fragment.count) }
        return total
    }
}
