import CryptoPrimitives

/// One direction's connection state for record protection (RFC 2246 §6.1 and §6.2.3):
/// cipher, MAC key, CBC chaining value and sequence number, applied in place.
///
/// The buffer passed to ``seal(_:contentType:version:fragmentLength:extraPaddingBlocks:)``
/// and ``open(_:)`` is laid out as on the wire:
///
///     header(5) ‖ fragment ‖ MAC ‖ padding ‖ padding_length
///
/// so a record is protected and opened without copies. These are the low-level functions
/// ``RecordLayer`` uses; tests and benchmarks call them directly.
public struct RecordProtection: Sendable {
    /// The bulk cipher.
    public let cipherAlgorithm: BulkCipherAlgorithm
    /// The MAC algorithm.
    public let macAlgorithm: MACAlgorithm
    /// The next record's sequence number (RFC 2246 §6.1); starts at 0 with each state.
    public var sequenceNumber: UInt64 = 0
    /// The CBC chaining value: the initial IV, then the last ciphertext block of the previous
    /// record (TLS 1.0 implicit IV, RFC 2246 §6.2.3.2).
    public var chainingValue: CBCIV = CBCIV()

    private let cipher: Cipher
    private let mac: HMAC<SHA1>?
    /// Set once the record with sequence number 2^64−1 has been processed.
    private var sequenceExhausted = false

    /// The initial `TLS_NULL_WITH_NULL_NULL` state: no MAC, no encryption.
    public init() {
        cipherAlgorithm = .null
        macAlgorithm = .null
        cipher = .none
        mac = nil
    }

    /// A state from key material; throws ``RecordError/Code/invalidParameters`` when the
    /// lengths do not fit the algorithms.
    public init(_ parameters: RecordProtectionParameters) throws(RecordError) {
        try parameters.validate()
        cipherAlgorithm = parameters.cipher
        macAlgorithm = parameters.mac
        do {
            switch parameters.cipher {
            case .null: cipher = .none
            case .des: cipher = .des(try DESCBC(key: parameters.key))
            case .tripleDES: cipher = .tripleDES(try TripleDESCBC(key: parameters.key))
            case .aes128, .aes256: cipher = .aes(try AESCBC(key: parameters.key))
            }
            if parameters.cipher != .null { chainingValue = try CBCIV(parameters.iv) }
        } catch {
            throw RecordError(.invalidParameters, error.message)
        }
        mac = parameters.mac == .sha1 ? HMAC<SHA1>(key: parameters.macSecret) : nil
    }

    /// Whether this state encrypts or authenticates at all.
    public var isProtected: Bool { cipherAlgorithm != .null || macAlgorithm != .null }

    /// The length of a whole sealed record (header included) for a fragment of
    /// `fragmentLength` bytes with `extraPaddingBlocks` more padding blocks than needed.
    public func sealedLength(fragmentLength: Int, extraPaddingBlocks: Int = 0) -> Int {
        RecordLimits.headerLength + fragmentLength + macAlgorithm.byteCount
            + paddingLength(fragmentLength: fragmentLength, extraPaddingBlocks: extraPaddingBlocks)
    }

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
        let padding = paddingLength(fragmentLength: fragmentLength, extraPaddingBlocks: extraPaddingBlocks)
        let total = sealedLength(fragmentLength: fragmentLength, extraPaddingBlocks: extraPaddingBlocks)
        guard fragmentLength >= 0, fragmentLength <= RecordLimits.maxCompressed, total <= record.count,
            padding <= 256, extraPaddingBlocks >= 0
        else {
            throw RecordError(
                .invalidParameters,
                "cannot seal a \(fragmentLength)-byte fragment with \(extraPaddingBlocks) extra padding blocks "
                    + "into \(record.count) bytes")
        }
        let sequence = try nextSequenceNumber()
        let bodyLength = total - RecordLimits.headerLength
        // Bounds: total <= record.count, checked above, covers every write below.
        unsafe RecordHeader.write(
            into: record, type: contentType, version: version, length: bodyLength)
        if let mac {
            let macOffset = RecordLimits.headerLength + fragmentLength
            var pseudoHeader = RecordHeader.macHeader(
                sequence: sequence, type: contentType, version: version, length: fragmentLength)
            var computation = mac.begin()
            unsafe withUnsafeBytes(of: &pseudoHeader) { unsafe computation.update(UnsafeRawBufferPointer(rebasing: $0[0..<13])) }
            // Bounds: 5 + fragmentLength + 20 <= total <= record.count.
            unsafe computation.update(UnsafeRawBufferPointer(rebasing: record[RecordLimits.headerLength..<macOffset]))
            unsafe computation.finalize(into: UnsafeMutableRawBufferPointer(rebasing: record[macOffset..<(macOffset + 20)]))
        }
        if padding > 0 {
            // GenericBlockCipher padding: `padding` bytes, each (padding - 1), the last one
            // being padding_length itself. Bounds: they end at total <= record.count.
            let value = UInt8(truncatingIfNeeded: padding - 1)
            unsafe UnsafeMutableRawBufferPointer(rebasing: record[(total - padding)..<total])
                .initializeMemory(as: UInt8.self, repeating: value)
        }
        // Bounds: the body is 5 ..< total, a whole number of blocks by construction.
        unsafe cipher.encrypt(UnsafeMutableRawBufferPointer(rebasing: record[RecordLimits.headerLength..<total]), iv: &chainingValue)
        return total
    }

    /// Opens the record in `record` (header ‖ body, `record.count` = 5 + the header's
    /// length) in place: decrypts, checks padding and MAC in constant time, and returns the
    /// plaintext length; the plaintext is at `5 ..< 5 + length`.
    ///
    /// Every padding, MAC or body-length failure throws the same
    /// ``RecordError/Code/badRecordMAC``. A body longer than 2^14 + 2048 bytes is
    /// ``RecordError/Code/recordOverflow``; a header length that does not match the buffer
    /// is ``RecordError/Code/decodeError``.
    public mutating func open(_ record: UnsafeMutableRawBufferPointer) throws(RecordError) -> Int {
        guard record.count >= RecordLimits.headerLength else {
            throw RecordError(.decodeError, "a record needs a 5-byte header, got \(record.count) bytes")
        }
        // Bounds: record.count >= 5.
        let header = unsafe RecordHeader(UnsafeRawBufferPointer(record))
        let bodyLength = record.count - RecordLimits.headerLength
        guard header.length == bodyLength else {
            throw RecordError(.decodeError, "record header says \(header.length) bytes, buffer holds \(bodyLength)")
        }
        guard bodyLength <= RecordLimits.maxCiphertext else {
            throw RecordError(.recordOverflow, "record body of \(bodyLength) bytes exceeds 2^14 + 2048")
        }
        let sequence = try nextSequenceNumber()
        let body = unsafe UnsafeMutableRawBufferPointer(rebasing: record[RecordLimits.headerLength...])
        guard let mac else {
            // The initial NULL/NULL state (RFC 2246 §6.1): the body is the plaintext.
            return bodyLength
        }
        if cipherAlgorithm == .null {
            return try unsafe openStream(body, header: header, sequence: sequence, mac: mac)
        }
        return try unsafe openCBC(body, header: header, sequence: sequence, mac: mac)
    }

    // MARK: - Helpers

    /// CBC padding bytes including the padding_length byte; 0 for the null cipher.
    private func paddingLength(fragmentLength: Int, extraPaddingBlocks: Int) -> Int {
        let block = cipherAlgorithm.blockByteCount
        guard block > 0 else { return 0 }
        let unpadded = fragmentLength + macAlgorithm.byteCount + 1
        return 1 + (block - unpadded % block) % block + extraPaddingBlocks * block
    }

    /// Returns the sequence number for this record and advances; wrap is fatal (RFC 2246 §6.1).
    private mutating func nextSequenceNumber() throws(RecordError) -> UInt64 {
        guard !sequenceExhausted else {
            throw RecordError(.sequenceOverflow, "the 64-bit record sequence number would wrap; renegotiate first")
        }
        let current = sequenceNumber
        if current == .max { sequenceExhausted = true } else { sequenceNumber = current + 1 }
        return current
    }

    /// NULL cipher with HMAC-SHA1: fragment ‖ MAC, compared in constant time.
    private func openStream(
        _ body: UnsafeMutableRawBufferPointer, header: RecordHeader, sequence: UInt64, mac: HMAC<SHA1>
    ) throws(RecordError) -> Int {
        guard body.count >= 20 else { throw RecordError.badRecordMAC }
        let length = body.count - 20
        var pseudoHeader = RecordHeader.macHeader(
            sequence: sequence, type: header.type, version: header.version, length: length)
        var computed: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var computation = mac.begin()
        unsafe withUnsafeBytes(of: &pseudoHeader) { unsafe computation.update(UnsafeRawBufferPointer(rebasing: $0[0..<13])) }
        // Bounds: length + 20 == body.count.
        unsafe computation.update(UnsafeRawBufferPointer(rebasing: body[0..<length]))
        let equal = unsafe withUnsafeMutableBytes(of: &computed) { out in
            unsafe computation.finalize(into: out)
            return unsafe ConstantTime.equal(
                UnsafeRawBufferPointer(rebasing: out[0..<20]), UnsafeRawBufferPointer(rebasing: body[length...]))
        }
        guard equal else { throw RecordError.badRecordMAC }
        return length
    }

    /// CBC with HMAC-SHA1, checked as BearSSL's `ssl_rec_cbc.c` does (Lucky 13, POODLE-TLS):
    /// the scans, the MAC extraction and the HMAC's compression count depend only on the
    /// public body length; all checks fold into one mask and one branch at the end.
    private mutating func openCBC(
        _ body: UnsafeMutableRawBufferPointer, header: RecordHeader, sequence: UInt64, mac: HMAC<SHA1>
    ) throws(RecordError) -> Int {
        let block = cipherAlgorithm.blockByteCount
        let macLength = 20
        let length = body.count  // public
        // Public checks: whole blocks, room for MAC and padding_length.
        guard length % block == 0, length >= macLength + 1 else { throw RecordError.badRecordMAC }
        unsafe cipher.decrypt(body, iv: &chainingValue)

        let len32 = UInt32(truncatingIfNeeded: length)
        // Bounds: length >= 21, so length - 1 is in range.
        let padLength = UInt32(unsafe body[length - 1])  // secret
        var good = ConstantTime.greaterOrEqualMask(len32, padLength &+ 1 &+ UInt32(macLength))
        let effectivePad = ConstantTime.select(good, padLength, 0)  // secret
        // Every padding byte must equal padding_length and the received MAC is copied out,
        // both in one pass over the public window (the last 276 bytes before padding_length),
        // the secret lengths only masking.
        let padStart = (len32 &- 1) &- effectivePad  // secret
        let plainLength = padStart &- UInt32(macLength)  // secret; >= 0 by the check above
        let maxPlain = length - 1 - macLength  // public
        let minPlain = max(0, maxPlain - 255)  // public
        var received: (UInt64, UInt64, UInt64) = (0, 0, 0)
        good &= unsafe CBCReceiveCheck.check(
            UnsafeRawBufferPointer(body), plainLength: plainLength, minPlain: minPlain, pad: effectivePad,
            into: &received)

        // HMAC over seq ‖ type ‖ version ‖ length ‖ fragment with a compression count fixed
        // by the public bounds (the length field itself is secret but at a public position).
        var pseudoHeader = RecordHeader.macHeader(
            sequence: sequence, type: header.type, version: header.version, length: Int(plainLength))
        var computed: (UInt64, UInt64, UInt64) = (0, 0, 0)
        unsafe withUnsafeBytes(of: &pseudoHeader) { prefix in
            unsafe withUnsafeMutableBytes(of: &computed) { out in
                unsafe mac.constantTimeAuthenticationCode(
                    prefix: UnsafeRawBufferPointer(rebasing: prefix[0..<13]),
                    data: UnsafeRawBufferPointer(rebasing: body[0..<maxPlain]),
                    secretLength: Int(plainLength), minimumLength: minPlain, into: out)
            }
        }
        var difference: UInt64 = 0
        difference |= computed.0 ^ received.0
        difference |= computed.1 ^ received.1
        difference |= computed.2 ^ received.2  // bytes 20..<24 are zero in both
        let sameMAC = ConstantTime.isZeroMask(difference)
        good &= sameMAC
        // The one branch on secret data: after every check was made.
        guard good == 0xFFFF_FFFF else { throw RecordError.badRecordMAC }
        return Int(plainLength)
    }

    /// The cipher with its key schedule.
    private enum Cipher: Sendable {
        case none
        case des(DESCBC)
        case tripleDES(TripleDESCBC)
        case aes(AESCBC)

        func encrypt(_ buffer: UnsafeMutableRawBufferPointer, iv: inout CBCIV) {
            switch self {
            case .none: break
            case .des(let c): unsafe c.encrypt(buffer, iv: &iv)
            case .tripleDES(let c): unsafe c.encrypt(buffer, iv: &iv)
            case .aes(let c): unsafe c.encrypt(buffer, iv: &iv)
            }
        }

        func decrypt(_ buffer: UnsafeMutableRawBufferPointer, iv: inout CBCIV) {
            switch self {
            case .none: break
            case .des(let c): unsafe c.decrypt(buffer, iv: &iv)
            case .tripleDES(let c): unsafe c.decrypt(buffer, iv: &iv)
            case .aes(let c): unsafe c.decrypt(buffer, iv: &iv)
            }
        }
    }
}
