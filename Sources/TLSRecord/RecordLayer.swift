/// The TLS 1.0 record layer (RFC 2246 §6), sans I/O: network bytes go in through
/// ``receive(_:)-([UInt8])``, opened records come out of ``nextRecord()``; data to send goes
/// in through ``send(_:_:)-(_,[UInt8])`` and sealed records come out of ``takeOutput()``.
/// It never touches a socket, clock or thread.
///
/// ```swift
/// var records = RecordLayer(role: .client)
/// try records.send(.handshake, clientHello)
/// socket.write(records.takeOutput())
/// records.receive(bytesFromSocket)
/// while let record = try records.nextRecord() { … }
/// ```
///
/// Connection states follow RFC 2246 §6.1: ``setPendingRead(_:)`` / ``setPendingWrite(_:)``
/// install the keys from the handshake, and ``changeReadCipherSpec()`` /
/// ``changeWriteCipherSpec()`` make them current when a ChangeCipherSpec is received / sent,
/// resetting the 64-bit sequence number.
///
/// The hot path allocates nothing per record: records are sealed and opened in place in
/// preallocated buffers (``withNextRecord(_:)``, ``withOutput(_:)``, ``consumeOutput(_:)``,
/// ``receive(maximumCount:_:)`` avoid copies into arrays). The value is copy-on-write.
///
/// After a receive-side error the layer stays failed: every later ``nextRecord()`` throws
/// the same error. Sending (e.g. the fatal alert from ``RecordError/alert``) still works.
public struct RecordLayer: Sendable {
    /// Which side of the connection this is.
    public let role: ConnectionEnd
    /// The settings.
    public let configuration: RecordLayerConfiguration
    /// The version written in the headers of records we send. TLS 1.0 by default; a client
    /// may set 3.0 for its first ClientHello record.
    public var recordVersion: ProtocolVersion = .tls10
    /// The version that received records must carry, once negotiated; `nil` (the default)
    /// accepts any major version 3, as needed before ServerHello / for ClientHello records.
    public var peerRecordVersion: ProtocolVersion?
    /// Whether application data under CBC ciphers is split 1/n−1 (from the configuration or
    /// the role default; may be changed at any time).
    public var recordSplitting: Bool

    var storage: RecordLayerStorage
    var receiveFailure: RecordError?

    /// A record layer in the initial NULL/NULL/null state.
    public init(role: ConnectionEnd, configuration: RecordLayerConfiguration = RecordLayerConfiguration()) {
        self.role = role
        self.configuration = configuration
        recordSplitting = configuration.recordSplitting ?? (role == .client)
        storage = RecordLayerStorage()
    }

    // MARK: - Receiving

    /// Buffers bytes read from the network. Records may be split across calls or packed
    /// several to a call.
    public mutating func receive(_ bytes: UnsafeRawBufferPointer) {
        makeUnique()
        unsafe storage.input.append(bytes)
    }

    /// Buffers bytes read from the network.
    public mutating func receive(_ bytes: [UInt8]) {
        unsafe bytes.withUnsafeBytes { unsafe receive($0) }
    }

    /// Lets `read` write up to `maximumCount` network bytes straight into the input buffer
    /// (e.g. a `read(2)` call) and buffers the count it returns (clamped to 0...maximumCount).
    public mutating func receive<E: Error>(
        maximumCount: Int, _ read: (UnsafeMutableRawBufferPointer) throws(E) -> Int
    ) throws(E) -> Int {
        makeUnique()
        let space = unsafe storage.input.reserve(max(0, maximumCount))
        // Bounds: the closure sees exactly maximumCount reserved bytes.
        let n = try unsafe read(UnsafeMutableRawBufferPointer(rebasing: space[0..<max(0, maximumCount)]))
        let accepted = min(max(0, n), max(0, maximumCount))
        storage.input.commit(accepted)
        return accepted
    }

    /// Bytes received but not yet returned as records.
    public var bufferedInputCount: Int { storage.input.count }

    /// Passes the bytes received but not yet returned as records to `body`, without a copy.
    public func withBufferedInput<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        unsafe body(UnsafeRawBufferPointer(storage.input.readable))
    }

    /// The next whole record, opened (decrypted, verified, decompressed), or `nil` when more
    /// bytes are needed. Allocates the returned array; see ``withNextRecord(_:)`` for the
    /// zero-copy form.
    public mutating func nextRecord() throws(RecordError) -> TLSRecord? {
        try unsafe withNextRecord { type, bytes in unsafe TLSRecord(contentType: type, fragment: Array(bytes)) }
    }

    /// Opens the next whole record and passes its type and plaintext to `body`, or returns
    /// `nil` when more bytes are needed. The plaintext points into the layer's buffer and is
    /// valid only inside `body`. No allocation.
    public mutating func withNextRecord<R>(
        _ body: (ContentType, UnsafeRawBufferPointer) -> R
    ) throws(RecordError) -> R? {
        if let receiveFailure { throw receiveFailure }
        makeUnique()
        do {
            guard let (type, plaintext) = try unsafe storage.openNextRecord(receivePolicy) else { return nil }
            return unsafe body(type, plaintext)
        } catch {
            receiveFailure = error
            throw error
        }
    }

    var receivePolicy: RecordLayerStorage.ReceivePolicy {
        RecordLayerStorage.ReceivePolicy(peerVersion: peerRecordVersion, keyUsageLimit: configuration.keyUsageLimit)
    }

    // MARK: - Sending

    /// Fragments `bytes` into records of `type` (at most
    /// ``RecordLayerConfiguration/maxFragmentLength`` each, 1/n−1 split for CBC application
    /// data when ``recordSplitting`` is on), compresses and seals them into the output
    /// buffer. Empty `bytes` send one empty record.
    public mutating func send(_ type: ContentType, _ bytes: UnsafeRawBufferPointer) throws(RecordError) {
        makeUnique()
        try unsafe storage.send(type, bytes, sendPolicy)
    }

    var sendPolicy: RecordLayerStorage.SendPolicy {
        RecordLayerStorage.SendPolicy(
            version: recordVersion,
            maxFragmentLength: min(max(1, configuration.maxFragmentLength), RecordLimits.maxPlaintext),
            recordSplitting: recordSplitting, keyUsageLimit: configuration.keyUsageLimit)
    }

    /// Zero-copy send of one record: `fill` writes up to `maximumCount` plaintext bytes
    /// (at most ``RecordLayerConfiguration/maxFragmentLength``) straight into the output
    /// buffer, returns how many it wrote, and the record is sealed in place there. Under
    /// DEFLATE, or when the 1/n−1 split applies, the bytes are copied once instead.
    public mutating func sendRecord(
        _ type: ContentType, maximumCount: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Int
    ) throws(RecordError) {
        makeUnique()
        try unsafe storage.sendInPlace(type, maximumCount: maximumCount, sendPolicy, fill)
    }

    /// Fragments and seals `bytes` as records of `type`.
    public mutating func send(_ type: ContentType, _ bytes: [UInt8]) throws(RecordError) {
        var result: Result<Void, RecordError> = .success(())
        unsafe bytes.withUnsafeBytes { raw in
            do throws(RecordError) { try unsafe send(type, raw) } catch { result = .failure(error) }
        }
        try result.get()
    }

    /// Seals an alert record.
    public mutating func sendAlert(_ alert: Alert) throws(RecordError) {
        try send(.alert, alert.bytes)
    }

    /// Sends a ChangeCipherSpec message (the byte 1) under the current write state, then makes
    /// the pending write state current (RFC 2246 §7.1).
    public mutating func sendChangeCipherSpec() throws(RecordError) {
        guard storage.pendingWrite != nil else { throw Self.noPending("write") }
        try send(.changeCipherSpec, [1])
        try changeWriteCipherSpec()
    }

    /// Bytes of sealed records waiting to be written to the network.
    public var pendingOutputCount: Int { storage.output.count }

    /// Whether sealed records wait to be written.
    public var hasOutput: Bool { storage.output.count > 0 }

    /// Returns and removes all sealed records (allocates the array).
    public mutating func takeOutput() -> [UInt8] {
        makeUnique()
        let bytes = unsafe Array(UnsafeRawBufferPointer(storage.output.readable))
        storage.output.consume(storage.output.count)
        return bytes
    }

    /// Passes the sealed records waiting to be written to `body` without copying; follow
    /// with ``consumeOutput(_:)`` for the bytes actually written.
    public func withOutput<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try unsafe body(UnsafeRawBufferPointer(storage.output.readable))
    }

    /// Drops the first `count` output bytes (written to the network).
    /// - Precondition: `count <= pendingOutputCount` (caller misuse otherwise).
    public mutating func consumeOutput(_ count: Int) {
        makeUnique()
        storage.output.consume(count)
    }

    /// Gives back the input, output and scratch buffers when they hold nothing (an idle
    /// connection), wiped; they are taken again when data flows. An event-loop adapter
    /// calls this after each read, so thousands of idle connections hold no record buffers.
    public mutating func releaseIdleBuffers() {
        makeUnique()
        storage.releaseIdleBuffers()
    }

    // MARK: - Connection states

    /// Installs the pending read state (keys for records we will receive after the peer's
    /// ChangeCipherSpec). Throws ``RecordError/Code/invalidParameters`` on wrong key lengths.
    public mutating func setPendingRead(_ parameters: RecordProtectionParameters) throws(RecordError) {
        makeUnique()
        storage.pendingRead = try DirectionState(parameters, compressing: false)
    }

    /// Installs the pending write state (keys for records we send after our ChangeCipherSpec).
    public mutating func setPendingWrite(_ parameters: RecordProtectionParameters) throws(RecordError) {
        makeUnique()
        storage.pendingWrite = try DirectionState(parameters, compressing: true)
    }

    /// Makes the pending read state current (on receiving ChangeCipherSpec); the sequence
    /// number restarts at 0. Without a pending state: ``RecordError/Code/unexpectedMessage``.
    public mutating func changeReadCipherSpec() throws(RecordError) {
        makeUnique()
        guard let pending = storage.pendingRead else { throw Self.noPending("read") }
        storage.read = pending
        storage.pendingRead = nil
    }

    /// Makes the pending write state current (after sending ChangeCipherSpec).
    public mutating func changeWriteCipherSpec() throws(RecordError) {
        makeUnique()
        guard let pending = storage.pendingWrite else { throw Self.noPending("write") }
        storage.write = pending
        storage.pendingWrite = nil
    }

    /// Whether a pending read state is installed.
    public var hasPendingRead: Bool { storage.pendingRead != nil }
    /// Whether a pending write state is installed.
    public var hasPendingWrite: Bool { storage.pendingWrite != nil }

    /// The current read cipher.
    public var readCipher: BulkCipherAlgorithm { storage.read.protection.cipherAlgorithm }
    /// The current write cipher.
    public var writeCipher: BulkCipherAlgorithm { storage.write.protection.cipherAlgorithm }
    /// The current read compression.
    public var readCompression: CompressionMethod { storage.read.compression }
    /// The current write compression.
    public var writeCompression: CompressionMethod { storage.write.compression }
    /// The sequence number of the next record received.
    public var readSequenceNumber: UInt64 { storage.read.protection.sequenceNumber }
    /// The sequence number of the next record sent.
    public var writeSequenceNumber: UInt64 { storage.write.protection.sequenceNumber }

    /// Plaintext bytes sent under the current write key, counted for 64-bit block ciphers.
    public var writeKeyUsage: UInt64 { storage.write.keyUsage }
    /// Plaintext bytes received under the current read key, counted for 64-bit block ciphers.
    public var readKeyUsage: UInt64 { storage.read.keyUsage }

    /// Whether the handshake layer should renegotiate (or close) soon: either direction's
    /// key usage passed ``RecordLayerConfiguration/keyUsageRenegotiationThreshold`` (Sweet32),
    /// or a sequence number passed 2^63 (long before the fatal wrap).
    public var needsRenegotiation: Bool {
        let threshold = configuration.keyUsageRenegotiationThreshold ?? configuration.keyUsageLimit
        let overUsed = threshold.map { writeKeyUsage >= $0 || readKeyUsage >= $0 } ?? false
        return overUsed || readSequenceNumber >= 1 << 63 || writeSequenceNumber >= 1 << 63
    }

    // MARK: - Helpers

    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    private static func noPending(_ direction: String) -> RecordError {
        RecordError(.unexpectedMessage, "ChangeCipherSpec with no pending \(direction) state")
    }
}
