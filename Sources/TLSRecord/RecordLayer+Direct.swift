/// The out-of-place fast paths of an event loop that owns its buffers (BearSSL's
/// caller-owned buffers): application-data records opened straight from the caller's read
/// buffer and sealed straight into the caller's write buffer, skipping the input and output
/// queues. Each applies only where it changes nothing but the copies; otherwise it returns
/// nil and the caller uses ``receive(_:)-(UnsafeRawBufferPointer)`` /
/// ``send(_:_:)-(_,UnsafeRawBufferPointer)`` as usual.
extension RecordLayer {
    /// Opens the application-data record at the start of `source` without copying it into
    /// the input queue, and returns how many bytes it took and where its plaintext lies:
    /// under the NULL cipher the authenticated body in `source` itself (no copy), under CBC
    /// decrypted into `destination` (at least the record's body length), where padding and
    /// MAC are checked in constant time as ``withNextRecord(_:)`` does.
    ///
    /// Returns nil, taking nothing, unless no bytes are queued (``bufferedInputCount`` is 0),
    /// the read state does not compress, and the record is application data, whole in
    /// `source` and fits `destination`. Header checks, errors, sequence numbers, Sweet32
    /// accounting and the plaintext limit are those of the queue path, and a failure leaves
    /// the layer failed the same way.
    public mutating func openApplicationData(
        from source: UnsafeRawBufferPointer, decryptingInto destination: UnsafeMutableRawBufferPointer
    ) throws(RecordError) -> OpenedRecord? {
        if let receiveFailure { throw receiveFailure }
        makeUnique()
        do {
            return try unsafe storage.openDirect(source, into: destination, receivePolicy)
        } catch {
            receiveFailure = error
            throw error
        }
    }

    /// The bytes that would complete the record queued in part (the rest of its header, or
    /// of its body), so a caller can finish it through the queue and open the following
    /// records with ``openApplicationData(from:decryptingInto:)``; 0 when nothing or a whole
    /// record is queued.
    public var bytesToCompleteBufferedRecord: Int { storage.bytesToCompleteQueuedRecord }

    /// An upper bound of the bytes ``sealApplicationData(_:into:)`` writes for `count` bytes
    /// under the current write state and settings.
    public func sealedCapacity(forApplicationData count: Int) -> Int {
        storage.sealedCapacity(forApplicationData: count, sendPolicy)
    }

    /// Fragments and seals `bytes` as application data straight into `destination` and
    /// returns the bytes written: under CBC the whole blocks are encrypted from `bytes` into
    /// `destination`, under the NULL cipher they are copied once. The records are byte for
    /// byte those ``send(_:_:)-(_,UnsafeRawBufferPointer)`` would queue (fragment size, 1/n−1
    /// split, Sweet32 limit and accounting, sequence numbers).
    ///
    /// Returns nil, changing nothing, when sealed records wait in the output queue (they go
    /// first), under DEFLATE, or when `destination` is smaller than
    /// ``sealedCapacity(forApplicationData:)``.
    public mutating func sealApplicationData(
        _ bytes: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer
    ) throws(RecordError) -> Int? {
        makeUnique()
        return try unsafe storage.sealDirect(bytes, into: destination, sendPolicy)
    }
}
