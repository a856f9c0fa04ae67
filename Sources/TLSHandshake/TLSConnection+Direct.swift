import TLSRecord

/// The out-of-place fast paths for an event loop that owns its buffers (a SwiftNIO
/// `ByteBuffer`): application-data records opened straight from the read buffer, and sealed
/// straight into the write buffer, without the record layer's queues
/// (``RecordLayer/openApplicationData(from:decryptingInto:)``,
/// ``RecordLayer/sealApplicationData(_:into:)``). They apply only while the connection is
/// established and no handshake is in progress; otherwise they return nil and the bytes
/// take the usual path (``receive(_:)-(UnsafeRawBufferPointer)`` and ``nextEvent()``,
/// ``send(contentsOf:)``), which handles every other record and event.
extension TLSConnection {
    /// How many network bytes must go through ``receive(_:)-(UnsafeRawBufferPointer)`` and
    /// ``nextEvent(applicationData:)`` before ``openApplicationData(from:decryptingInto:)``
    /// can take records from the caller's memory: 0 when it can now, the bytes that complete
    /// the record queued in part, or nil when the fast path does not apply at all now (no
    /// handshake completed, a renegotiation under way, events or whole records waiting, the
    /// connection closed or failed).
    public var bytesBeforeDirectReceive: Int? {
        guard acceptsDirectRecords else { return nil }
        let missing = record.bytesToCompleteBufferedRecord
        if missing > 0 { return missing }
        return record.bufferedInputCount == 0 ? 0 : nil
    }

    /// Opens the application-data record at the start of `source` (network bytes the caller
    /// owns) without copying it into the engine, and returns how many bytes it took and where
    /// its plaintext lies: under the NULL cipher in `source` itself, authenticated (no copy),
    /// under CBC decrypted into `destination` (room for the record's body; at most
    /// `source.count` bytes are needed), checked there in constant time.
    ///
    /// Returns nil, taking nothing, when ``bytesBeforeDirectReceive`` is not 0 or the record
    /// is not whole application data: pass the bytes to ``receive(_:)-(UnsafeRawBufferPointer)``.
    /// Errors are those ``nextEvent()`` throws for the same bytes, with the same alert queued
    /// and the connection failed the same way; a record's plaintext counts as delivered
    /// (empty records count against the same limit).
    public mutating func openApplicationData(
        from source: UnsafeRawBufferPointer, decryptingInto destination: UnsafeMutableRawBufferPointer
    ) throws(TLSError) -> OpenedRecord? {
        if let failure { throw failure }
        guard acceptsDirectRecords else { return nil }
        do throws(TLSError) {
            let opened: OpenedRecord?
            do {
                opened = try unsafe record.openApplicationData(from: source, decryptingInto: destination)
            } catch {
                throw TLSError(.record(error))
            }
            guard let opened else { return nil }
            if opened.plaintextCount == 0 { try progressGuard.emptyRecord() } else { progressGuard.progress() }
            try rekeyIfNeeded()
            return opened
        } catch {
            let explained = context.explain(error, config: config)
            fail(explained)
            throw explained
        }
    }

    /// Whether ``openApplicationData(from:decryptingInto:)`` writes plaintext into its
    /// destination (a CBC read cipher) rather than leaving it in the source (NULL cipher), so
    /// a caller allocates a destination only when one is used.
    public var opensIntoDestination: Bool { record.readCipher != .null }

    /// An upper bound of the bytes ``send(contentsOf:into:)`` writes for `count` bytes of
    /// application data.
    public func sealedCapacity(forApplicationData count: Int) -> Int {
        record.sealedCapacity(forApplicationData: count)
    }

    /// Protects application data straight into `destination` and returns the bytes written:
    /// the records ``send(contentsOf:)`` would queue, byte for byte, without passing through
    /// the engine's output queue (under CBC the encryption is the only pass over the bytes).
    /// Write them to the network before anything ``takeOutput()`` returns afterwards (e.g. a
    /// HelloRequest for Sweet32 rekeying).
    ///
    /// Returns nil, changing nothing, when a renegotiation is under way, output is already
    /// queued, the write state compresses, or `destination` is smaller than
    /// ``sealedCapacity(forApplicationData:)``: use ``send(contentsOf:)`` then. Throws what
    /// ``send(contentsOf:)`` throws.
    public mutating func send(
        contentsOf plaintext: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer
    ) throws(TLSError) -> Int? {
        try checkCanSendApplicationData("send(contentsOf:into:)")
        guard !isRenegotiating else { return nil }
        return try protectApplicationData { record throws(RecordError) in
            try unsafe record.sealApplicationData(plaintext, into: destination)
        }
    }

    /// Established, between handshakes, with nothing waiting to be handed out.
    private var acceptsDirectRecords: Bool {
        failure == nil && !sniffing && established && !isRenegotiating && events.isEmpty && handshakeBuffer.isEmpty
            && !awaitingPrivateKey && !receivedClose
    }
}
