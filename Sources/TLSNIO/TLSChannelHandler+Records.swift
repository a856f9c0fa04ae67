import NIOCore
import TLSHandshake
import TLSRecord

/// The paths between the channel's `ByteBuffer`s and the engine that skip its queues
/// (``TLSConnection/openApplicationData(from:decryptingInto:)``,
/// ``TLSConnection/send(contentsOf:into:)``): whole application-data records are opened
/// from the read buffer itself, their plaintext landing in one buffer per read (CBC
/// decrypts into it, the decryption being the only copy; the NULL cipher's authenticated
/// body is copied into it once), and sealed straight into the buffer written to the
/// channel. SwiftNIO keeps its own reference to the read buffer
/// to reuse it, so it is never written to: decrypting in place would copy it whole.
/// Everything else (handshake, alerts, a record split between reads) goes through the
/// engine's queue and ``driveEngine(_:plaintextCapacity:)`` as before.
extension TLSChannelHandler {
    /// Takes one read from the channel: records the engine opens straight from `buffer`,
    /// the head that completes a record queued in part through the queue, and the rest
    /// (from the first record the fast path declines) through the queue too.
    func receive(_ buffer: ByteBuffer, _ context: ChannelHandlerContext) {
        var rest = buffer
        var decrypted: ByteBuffer?
        while rest.readableBytes > 0, lifecycle != .closed, !keyOperationInFlight,
            let before = engine.bytesBeforeDirectReceive
        {
            if before > 0 {
                // The record queued in part, completed through the queue: its plaintext goes
                // into the same buffer as the records that follow (one buffer per read), sized
                // for it whole (most of it came in the previous read) and for this read's rest.
                let head = rest.readSlice(length: min(before, rest.readableBytes)) ?? ByteBuffer()
                unsafe head.withUnsafeReadableBytes { unsafe engine.receive($0) }
                driveEngine(context, appendingTo: &decrypted, capacity: rest.readableBytes + Self.largestRecordPlaintext)
            } else if !openDirectly(&rest, into: &decrypted, context) {
                break
            }
        }
        firePlaintext(&decrypted, context)
        if rest.readableBytes > 0, lifecycle != .closed {
            queue(rest, context)
        } else {
            flushEngineOutput(context)  // e.g. a rekeying HelloRequest
        }
    }

    /// Network bytes through the engine's queue, then every event they complete.
    private func queue(_ bytes: ByteBuffer, _ context: ChannelHandlerContext) {
        unsafe bytes.withUnsafeReadableBytes { unsafe engine.receive($0) }
        // The plaintext opened now is at most these bytes plus a record left from before:
        // its buffer is sized once, not grown record by record (each growth a copy).
        driveEngine(context, plaintextCapacity: bytes.readableBytes + Self.largestRecordPlaintext)
    }

    /// Opens the record at the front of `rest` without the queue and passes its plaintext
    /// on (NULL: a slice of the read buffer) or appends it to `decrypted` (CBC). Returns
    /// false when the engine declines the record or failed (the channel is then failed).
    private func openDirectly(
        _ rest: inout ByteBuffer, into decrypted: inout ByteBuffer?, _ context: ChannelHandlerContext
    ) -> Bool {
        let outcome: Result<OpenedRecord?, TLSError>
        if engine.opensIntoDestination {
            // The plaintext of this read's records is at most its bytes, so the buffer never
            // grows if each record asks only for its own body's room (not the whole rest).
            var out = decrypted.take() ?? context.channel.allocator.buffer(capacity: rest.readableBytes)
            let room = min(Self.bodyLength(ofRecordAtFrontOf: rest) ?? rest.readableBytes, rest.readableBytes)
            outcome = unsafe rest.withUnsafeReadableBytes { source in
                var result: Result<OpenedRecord?, TLSError> = .success(nil)
                unsafe out.writeWithUnsafeMutableBytes(minimumWritableBytes: room) { destination in
                    result = Result { () throws(TLSError) in
                        try unsafe engine.openApplicationData(from: source, decryptingInto: destination)
                    }
                    // The plaintext is at the front of destination; MAC and padding after it
                    // are overwritten by the next record.
                    guard case .success(let opened?) = result else { return 0 }
                    return opened.plaintextCount
                }
                return result
            }
            decrypted = out
        } else {
            outcome = unsafe rest.withUnsafeReadableBytes { source in
                Result { () throws(TLSError) in
                    try unsafe engine.openApplicationData(from: source, decryptingInto: UnsafeMutableRawBufferPointer(start: nil, count: 0))
                }
            }
        }
        switch outcome {
        case .failure(let error):
            firePlaintext(&decrypted, context)  // what was authentic before the failure
            fail(context, TLSChannelError.tls(error))
            return false
        case .success(nil):
            return false
        case .success(let opened?):
            if case .inSource(let range) = opened.plaintext, !range.isEmpty,
                let plaintext = rest.getSlice(at: rest.readerIndex + range.lowerBound, length: range.count)
            {
                // Copied once, into one buffer per read, rather than passed on as slices of
                // the read buffer: a slice kept by the pipeline (a PDU decoder's partial
                // frame) would keep SwiftNIO from reusing its read buffer, and each slice
                // would be one more read for the pipeline to merge (measured: slower).
                var out = decrypted.take() ?? context.channel.allocator.buffer(capacity: rest.readableBytes)
                out.writeImmutableBuffer(plaintext)
                decrypted = out
            }
            rest.moveReaderIndex(forwardBy: opened.recordLength)
            return true
        }
    }

    /// The body length in the header of the record at the front of `bytes`, if its header is in.
    static func bodyLength(ofRecordAtFrontOf bytes: ByteBuffer) -> Int? {
        bytes.getInteger(at: bytes.readerIndex + 3, as: UInt16.self).map(Int.init)
    }

    /// Seals `buffer` straight into a new channel buffer, or returns nil when the engine's
    /// queue must be used (records already queued, DEFLATE).
    func sealDirectly(_ buffer: ByteBuffer, _ context: ChannelHandlerContext) throws(TLSError) -> ByteBuffer? {
        guard !engine.hasPendingOutput else { return nil }  // queued records go first, together
        let capacity = engine.sealedCapacity(forApplicationData: buffer.readableBytes)
        var sealed = context.channel.allocator.buffer(capacity: capacity)
        var result: Result<Int?, TLSError> = .success(nil)
        _ = unsafe buffer.withUnsafeReadableBytes { source in
            unsafe sealed.writeWithUnsafeMutableBytes(minimumWritableBytes: capacity) { destination in
                result = Result { () throws(TLSError) in
                    try unsafe engine.send(contentsOf: source, into: destination)
                }
                guard case .success(let written?) = result else { return 0 }
                return written
            }
        }
        guard try result.get() != nil else { return nil }
        return sealed
    }
}
