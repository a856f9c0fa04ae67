/// The receive side of the record layer (RFC 2246 §6.2): find whole records in the input
/// queue, whatever the read boundaries, check the header, open, decompress.
extension RecordLayerStorage {
    /// Checks on the receiving side that come from the layer above.
    struct ReceivePolicy {
        /// The negotiated record version, or nil before it is known (any 3.x accepted).
        var peerVersion: ProtocolVersion?
        /// Sweet32 limit for the read key, or nil.
        var keyUsageLimit: UInt64?
    }

    /// Opens the next whole record in the input queue, or returns nil when more bytes are
    /// needed. The plaintext points into the input queue or the inflate buffer and stays
    /// valid until the next mutation of this storage.
    func openNextRecord(_ policy: ReceivePolicy) throws(RecordError) -> (ContentType, UnsafeRawBufferPointer)? {
        let available = input.count
        guard available >= RecordLimits.headerLength else { return nil }
        let queued = unsafe input.readable
        // Bounds: available >= 5.
        let header = unsafe RecordHeader(UnsafeRawBufferPointer(queued))
        try check(header, policy)
        let recordLength = RecordLimits.headerLength + header.length
        guard available >= recordLength else { return nil }
        // Bounds: recordLength <= available == queued.count.
        let record = unsafe UnsafeMutableRawBufferPointer(rebasing: queued[0..<recordLength])
        let compressedLength = try unsafe read.protection.open(record)
        // The bytes stay in place until the next append; consuming only moves indices.
        input.consume(recordLength)
        // Bounds: compressedLength <= recordLength - 5 (open never returns more).
        let compressed = unsafe UnsafeRawBufferPointer(
            rebasing: record[RecordLimits.headerLength..<(RecordLimits.headerLength + compressedLength)])
        return unsafe (header.type, try finishOpen(compressed, header.type, policy))
    }

    /// Opens the application-data record at the start of `source` without copying it into
    /// the input queue: under CBC decrypted into `destination`, under the NULL cipher left in
    /// `source`. Returns nil, having changed nothing, unless the queue is empty, the read
    /// state does not compress, and the record is application data, whole in `source` and
    /// (CBC) fits `destination`: the bytes then go through the queue. Every check is the
    /// queue path's, in the same order.
    func openDirect(
        _ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer, _ policy: ReceivePolicy
    ) throws(RecordError) -> OpenedRecord? {
        guard input.count == 0, read.deflate == nil, source.count >= RecordLimits.headerLength else { return nil }
        // Bounds: source.count >= 5.
        let header = unsafe RecordHeader(source)
        guard header.type == .applicationData else { return nil }
        try check(header, policy)
        let recordLength = RecordLimits.headerLength + header.length
        let decrypts = read.protection.decryptsIntoDestination
        guard source.count >= recordLength, !decrypts || destination.count >= header.length else { return nil }
        // Bounds: recordLength <= source.count.
        let record = unsafe UnsafeRawBufferPointer(rebasing: source[0..<recordLength])
        let length = try unsafe read.protection.open(record, decryptingInto: destination)
        let start = decrypts ? 0 : RecordLimits.headerLength
        // Bounds: open returns at most the body length, which fits both buffers.
        let plaintext = unsafe decrypts
            ? UnsafeRawBufferPointer(rebasing: destination[0..<length])
            : UnsafeRawBufferPointer(rebasing: record[start..<(start + length)])
        _ = try unsafe finishOpen(plaintext, .applicationData, policy)
        let range = start..<(start + length)
        return OpenedRecord(recordLength: recordLength, plaintext: decrypts ? .inDestination(range) : .inSource(range))
    }

    /// The bytes that would complete the record queued in part: the rest of its header, or
    /// of its body once the header is here; 0 when the queue is empty or holds a whole record.
    var bytesToCompleteQueuedRecord: Int {
        let available = input.count
        guard available > 0 else { return 0 }
        guard available >= RecordLimits.headerLength else { return RecordLimits.headerLength - available }
        // Bounds: available >= 5.
        let header = unsafe RecordHeader(UnsafeRawBufferPointer(input.readable))
        return max(0, RecordLimits.headerLength + header.length - available)
    }

    /// What follows opening on both paths: the plaintext limit, decompression, Sweet32
    /// accounting, the ChangeCipherSpec form. Returns the plaintext.
    private func finishOpen(
        _ compressed: UnsafeRawBufferPointer, _ type: ContentType, _ policy: ReceivePolicy
    ) throws(RecordError) -> UnsafeRawBufferPointer {
        let compressedLimit = read.compression == .null ? RecordLimits.maxPlaintext : RecordLimits.maxCompressed
        guard compressed.count <= compressedLimit else {
            throw RecordError(.recordOverflow, "record plaintext of \(compressed.count) bytes exceeds \(compressedLimit)")
        }
        var plaintext = unsafe compressed
        if let deflate = read.deflate {
            let n = try unsafe deflate.decompress(compressed, into: inflated, limit: RecordLimits.maxPlaintext)
            // Bounds: n <= maxPlaintext < inflated.count.
            unsafe plaintext = UnsafeRawBufferPointer(rebasing: inflated[0..<n])
        }
        try account(plaintext.count, type, policy)
        if type == .changeCipherSpec {
            // RFC 2246 §7.1: the message is the single byte 1.
            guard plaintext.count == 1, unsafe plaintext[0] == 1 else {
                throw RecordError(.unexpectedMessage, "a ChangeCipherSpec record must be the single byte 01")
            }
        }
        return unsafe plaintext
    }

    /// Header checks done before the body arrives, so a lying length fails early.
    private func check(_ header: RecordHeader, _ policy: ReceivePolicy) throws(RecordError) {
        guard header.type.isKnown else {
            throw RecordError(.unexpectedMessage, "unknown record content type \(header.type.rawValue)")
        }
        if let expected = policy.peerVersion {
            guard header.version == expected else {
                throw RecordError(.protocolVersion, "record version \(header.version) differs from negotiated \(expected)")
            }
        } else {
            // Before the version is known any 3.x is accepted: OpenSSL sends its ClientHello in
            // a 3.1 record with client_version 3.3, others use 3.0 (RFC 2246 Appendix E).
            guard header.version.major == 3 else {
                throw RecordError(.protocolVersion, "record version \(header.version.major).\(header.version.minor) is not SSL 3/TLS")
            }
        }
        let limit: Int
        if read.protection.isProtected {
            limit = RecordLimits.maxCiphertext
        } else {
            limit = read.compression == .null ? RecordLimits.maxPlaintext : RecordLimits.maxCompressed
        }
        guard header.length <= limit else {
            throw RecordError(.recordOverflow, "record length \(header.length) exceeds \(limit)")
        }
    }

    /// Sweet32 accounting for the read key.
    private func account(_ count: Int, _ type: ContentType, _ policy: ReceivePolicy) throws(RecordError) {
        guard read.protection.cipherAlgorithm.hasSmallBlock else { return }
        read.keyUsage &+= UInt64(count)
        if let limit = policy.keyUsageLimit, type == .applicationData, read.keyUsage > limit {
            throw RecordError(
                .keyUsageLimitReached, "the peer sent more than \(limit) bytes under one 64-bit-block key (Sweet32)")
        }
    }
}
