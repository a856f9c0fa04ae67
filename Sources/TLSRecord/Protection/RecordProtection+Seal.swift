import CryptoPrimitives

/// Sealing (RFC 2246 §6.2.3): MAC, CBC padding and encryption, in place or from the
/// caller's memory straight into the record.
extension RecordProtection {
    /// Seals the record in `record`, whose bytes `5 ..< 5 + fragmentLength` hold the
    /// (compressed) fragment: writes the header, appends the MAC and CBC padding, and
    /// encrypts in place. Returns the record's total length.
    ///
    /// Throws ``RecordError/Code/invalidParameters`` when `record` is too small, the fragment
    /// exceeds 2^14 + 1024 bytes or the padding would exceed 255 bytes (caller misuse), and
    /// ``RecordError/Code/sequenceOverflow`` once 2^64 records were sealed.
    public mutating func seal(
        _ record: UnsafeMutableRawBufferPointer, contentType: ContentType, version: ProtocolVersion,
        fragmentLength: Int, extraPaddingBlocks: Int = 0
    ) throws(RecordError) -> Int {
        guard fragmentLength >= 0, fragmentLength <= RecordLimits.maxCompressed,
            RecordLimits.headerLength + fragmentLength <= record.count
        else {
            throw Self.cannotSeal(fragmentLength, extraPaddingBlocks, record.count)
        }
        // Bounds: 5 + fragmentLength <= record.count, checked above.
        let fragment = unsafe UnsafeRawBufferPointer(
            rebasing: record[RecordLimits.headerLength..<(RecordLimits.headerLength + fragmentLength)])
        return try unsafe seal(
            fragment, into: record, contentType: contentType, version: version, extraPaddingBlocks: extraPaddingBlocks)
    }

    /// Seals `fragment` as one record written to the start of `record`, out of place: the
    /// MAC is computed over `fragment`, and under CBC its whole blocks are encrypted from
    /// `fragment` straight into `record` (the encryption is the only pass over them); under
    /// the NULL cipher the fragment is copied once. The output is byte for byte what
    /// ``seal(_:contentType:version:fragmentLength:extraPaddingBlocks:)`` produces from the
    /// same state. `fragment` either is `record[5 ..< 5 + fragment.count]` (in place) or
    /// does not overlap `record`. Returns the record's total length; throws as the in-place
    /// form does.
    public mutating func seal(
        _ fragment: UnsafeRawBufferPointer, into record: UnsafeMutableRawBufferPointer, contentType: ContentType,
        version: ProtocolVersion, extraPaddingBlocks: Int = 0
    ) throws(RecordError) -> Int {
        let fragmentLength = fragment.count
        let padding = paddingLength(fragmentLength: fragmentLength, extraPaddingBlocks: extraPaddingBlocks)
        let total = sealedLength(fragmentLength: fragmentLength, extraPaddingBlocks: extraPaddingBlocks)
        guard fragmentLength <= RecordLimits.maxCompressed, total <= record.count, padding <= 256, extraPaddingBlocks >= 0
        else {
            throw Self.cannotSeal(fragmentLength, extraPaddingBlocks, record.count)
        }
        let sequence = try nextSequenceNumber()
        // Bounds: total <= record.count, checked above, covers every write below.
        unsafe RecordHeader.write(
            into: record, type: contentType, version: version, length: total - RecordLimits.headerLength)
        // The MAC comes first: sealing in place overwrites the fragment.
        var code: (UInt64, UInt64, UInt64) = (0, 0, 0)
        if let mac {
            var pseudoHeader = RecordHeader.macHeader(
                sequence: sequence, type: contentType, version: version, length: fragmentLength)
            var computation = mac.begin()
            unsafe withUnsafeBytes(of: &pseudoHeader) { unsafe computation.update(UnsafeRawBufferPointer(rebasing: $0[0..<13])) }
            unsafe computation.update(fragment)
            unsafe withUnsafeMutableBytes(of: &code) { unsafe computation.finalize(into: $0) }
        }
        // Whole blocks of the fragment go straight from the source into the record.
        let block = cipherAlgorithm.blockByteCount
        let direct = block > 0 ? fragmentLength - fragmentLength % block : 0
        let body = unsafe UnsafeMutableRawBufferPointer(rebasing: record[RecordLimits.headerLength..<total])
        if direct > 0 {
            // Bounds: direct <= fragmentLength < body.count.
            unsafe cipher.encrypt(
                UnsafeRawBufferPointer(rebasing: fragment[0..<direct]),
                into: UnsafeMutableRawBufferPointer(rebasing: body[0..<direct]), iv: &chainingValue)
        }
        // The rest of the fragment, the MAC and the padding, encrypted in place behind them.
        unsafe Self.copy(UnsafeRawBufferPointer(rebasing: fragment[direct...]), to: body, at: direct)
        if mac != nil {
            unsafe withUnsafeBytes(of: &code) { unsafe Self.copy(UnsafeRawBufferPointer(rebasing: $0[0..<20]), to: body, at: fragmentLength) }
        }
        if padding > 0 {
            // GenericBlockCipher padding: `padding` bytes, each (padding - 1), the last one
            // being padding_length itself. Bounds: they end at body.count.
            unsafe UnsafeMutableRawBufferPointer(rebasing: body[(body.count - padding)...])
                .initializeMemory(as: UInt8.self, repeating: UInt8(truncatingIfNeeded: padding - 1))
        }
        // Bounds: direct ..< body.count is a whole number of blocks by construction.
        unsafe cipher.encrypt(UnsafeMutableRawBufferPointer(rebasing: body[direct...]), iv: &chainingValue)
        return total
    }

    // MARK: - Helpers

    /// The error for a fragment that does not fit (caller misuse).
    private static func cannotSeal(_ fragmentLength: Int, _ extraPaddingBlocks: Int, _ capacity: Int) -> RecordError {
        RecordError(
            .invalidParameters,
            "cannot seal a \(fragmentLength)-byte fragment with \(extraPaddingBlocks) extra padding blocks "
                + "into \(capacity) bytes")
    }

    /// Copies `bytes` to `buffer[offset...]`, unless they are already there (sealing in place).
    /// - Precondition: `offset + bytes.count <= buffer.count` (checked by the caller).
    private static func copy(_ bytes: UnsafeRawBufferPointer, to buffer: UnsafeMutableRawBufferPointer, at offset: Int) {
        guard bytes.count > 0 else { return }
        let target = unsafe UnsafeMutableRawBufferPointer(rebasing: buffer[offset..<(offset + bytes.count)])
        guard unsafe UnsafeRawPointer(target.baseAddress) != bytes.baseAddress else { return }
        unsafe target.copyMemory(from: bytes)
    }
}
