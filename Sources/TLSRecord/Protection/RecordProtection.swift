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

    let cipher: RecordCipher
    let mac: HMAC<SHA1>?
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

    /// Opens the record in `record` (header ‖ body, `record.count` = 5 + the header's
    /// length) in place: decrypts, checks padding and MAC in constant time, and returns the
    /// plaintext length; the plaintext is at `5 ..< 5 + length`.
    ///
    /// Every padding, MAC or body-length failure throws the same
    /// ``RecordError/Code/badRecordMAC``. A body longer than 2^14 + 2048 bytes is
    /// ``RecordError/Code/recordOverflow``; a header length that does not match the buffer
    /// is ``RecordError/Code/decodeError``.
    public mutating func open(_ record: UnsafeMutableRawBufferPointer) throws(RecordError) -> Int {
        // Bounds: an empty body when the header is short, which open(_:decryptingInto:) rejects.
        let body = unsafe UnsafeMutableRawBufferPointer(
            rebasing: record[min(RecordLimits.headerLength, record.count)...])
        return try unsafe open(UnsafeRawBufferPointer(record), decryptingInto: body)
    }

    /// Opens the record in `record` (header ‖ body, as for ``open(_:)``) without writing to
    /// it, and returns the plaintext length. Under CBC the body is decrypted into
    /// `destination` (at least the body's length; the plaintext is then at
    /// `destination[0 ..< length]`, followed by the MAC and padding), and padding and MAC are
    /// checked there in constant time exactly as ``open(_:)`` does; the decryption is the
    /// only pass that writes. Under the NULL cipher nothing is written: the plaintext is
    /// `record[5 ..< 5 + length]` (see ``decryptsIntoDestination``). `destination` either
    /// is `record[5...]` (in place) or does not overlap `record`. Throws as ``open(_:)``
    /// does, and ``RecordError/Code/invalidParameters`` for a short `destination`.
    public mutating func open(
        _ record: UnsafeRawBufferPointer, decryptingInto destination: UnsafeMutableRawBufferPointer
    ) throws(RecordError) -> Int {
        guard record.count >= RecordLimits.headerLength else {
            throw RecordError(.decodeError, "a record needs a 5-byte header, got \(record.count) bytes")
        }
        // Bounds: record.count >= 5.
        let header = unsafe RecordHeader(record)
        let bodyLength = record.count - RecordLimits.headerLength
        guard header.length == bodyLength else {
            throw RecordError(.decodeError, "record header says \(header.length) bytes, buffer holds \(bodyLength)")
        }
        guard bodyLength <= RecordLimits.maxCiphertext else {
            throw RecordError(.recordOverflow, "record body of \(bodyLength) bytes exceeds 2^14 + 2048")
        }
        guard !decryptsIntoDestination || destination.count >= bodyLength else {
            throw RecordError(.invalidParameters, "cannot decrypt a \(bodyLength)-byte body into \(destination.count) bytes")
        }
        let sequence = try nextSequenceNumber()
        let body = unsafe UnsafeRawBufferPointer(rebasing: record[RecordLimits.headerLength...])
        guard let mac else {
            // The initial NULL/NULL state (RFC 2246 §6.1): the body is the plaintext.
            return bodyLength
        }
        if cipherAlgorithm == .null {
            return try unsafe openStream(body, header: header, sequence: sequence, mac: mac)
        }
        // Bounds: destination.count >= bodyLength, checked above.
        let decrypted = unsafe UnsafeMutableRawBufferPointer(rebasing: destination[0..<bodyLength])
        return try unsafe openCBC(body, into: decrypted, header: header, sequence: sequence, mac: mac)
    }

    /// Whether ``open(_:decryptingInto:)`` writes the plaintext into its destination (CBC
    /// ciphers) rather than leaving it in the record (the NULL cipher).
    public var decryptsIntoDestination: Bool { cipherAlgorithm != .null }

    // MARK: - Helpers

    /// CBC padding bytes including the padding_length byte; 0 for the null cipher.
    func paddingLength(fragmentLength: Int, extraPaddingBlocks: Int) -> Int {
        let block = cipherAlgorithm.blockByteCount
        guard block > 0 else { return 0 }
        let unpadded = fragmentLength + macAlgorithm.byteCount + 1
        return 1 + (block - unpadded % block) % block + extraPaddingBlocks * block
    }

    /// Returns the sequence number for this record and advances; wrap is fatal (RFC 2246 §6.1).
    mutating func nextSequenceNumber() throws(RecordError) -> UInt64 {
        guard !sequenceExhausted else {
            throw RecordError(.sequenceOverflow, "the 64-bit record sequence number would wrap; renegotiate first")
        }
        let current = sequenceNumber
        if current == .max { sequenceExhausted = true } else { sequenceNumber = current + 1 }
        return current
    }

    /// NULL cipher with HMAC-SHA1: fragment ‖ MAC, compared in constant time.
    private func openStream(
        _ body: UnsafeRawBufferPointer, header: RecordHeader, sequence: UInt64, mac: HMAC<SHA1>
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
    /// public body length; all checks fold into one mask and one branch at the end. The
    /// ciphertext `source` is decrypted into `body` (the same bytes when opening in place,
    /// same length), where every check then runs.
    private mutating func openCBC(
        _ source: UnsafeRawBufferPointer, into body: UnsafeMutableRawBufferPointer, header: RecordHeader,
        sequence: UInt64, mac: HMAC<SHA1>
    ) throws(RecordError) -> Int {
        let block = cipherAlgorithm.blockByteCount
        let macLength = 20
        let length = body.count  // public
        // Public checks: whole blocks, room for MAC and padding_length.
        guard length % block == 0, length >= macLength + 1 else { throw RecordError.badRecordMAC }
        unsafe cipher.decrypt(source, into: body, iv: &chainingValue)

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
}
