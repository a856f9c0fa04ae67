import CZlib

/// One direction's DEFLATE stream (RFC 3749): a zlib compressor or decompressor that lives
/// as long as its connection state, so history carries across records. Each record is
/// flushed with `Z_SYNC_FLUSH` (RFC 3749 §2) so it decompresses on its own.
///
/// The `z_stream` is heap-allocated once, at a stable address (zlib checks it), and freed in
/// `deinit`. No allocation happens per record after the first.
@safe final class DeflateStream: @unchecked Sendable {
    // @unchecked: owned by one RecordLayer storage, which is copied before mutation when
    // shared (copy-on-write), so no two threads touch one stream.
    private let stream: UnsafeMutablePointer<z_stream>
    private let compressing: Bool
    private var usable: Bool

    /// A compressor (`compressing`) or decompressor; throws when zlib cannot start.
    init(compressing: Bool) throws(RecordError) {
        self.compressing = compressing
        unsafe stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        unsafe stream.initialize(to: z_stream())
        let size = unsafe Int32(MemoryLayout<z_stream>.size)
        let status =
            compressing
            ? unsafe deflateInit2_(stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY, zlibVersion(), size)
            : unsafe inflateInit_(stream, zlibVersion(), size)
        usable = status == Z_OK
        guard usable else {
            throw RecordError(.compressionFailure, "zlib could not start a DEFLATE stream (status \(status))")
        }
    }

    private init(copying other: DeflateStream) {
        compressing = other.compressing
        unsafe stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        unsafe stream.initialize(to: z_stream())
        let status =
            compressing ? unsafe deflateCopy(stream, other.stream) : unsafe inflateCopy(stream, other.stream)
        usable = other.usable && status == Z_OK
    }

    /// An independent copy with the same history (for copy-on-write). A copy that zlib
    /// could not make fails on first use.
    func copy() -> DeflateStream { DeflateStream(copying: self) }

    /// Compresses all of `input` into `output` and flushes; returns the bytes written.
    /// Throws ``RecordError/Code/compressionFailure`` if the output does not fit.
    func compress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(RecordError) -> Int {
        guard usable, compressing else { throw RecordError(.compressionFailure, "the DEFLATE stream is unusable") }
        try unsafe setBuffers(input, output)
        let status = unsafe deflate(stream, Z_SYNC_FLUSH)
        let produced = output.count - Int(unsafe stream.pointee.avail_out)
        if status == Z_BUF_ERROR, input.count == 0, produced == 0 {
            // Nothing new since the last sync flush: zlib makes no progress. Emit the empty
            // stored block a sync flush would (RFC 1951 §3.2.4): the stream is byte-aligned
            // after the previous flush, and some peers cannot inflate an empty fragment.
            // Bounds: output.count > 0 was checked by setBuffers; callers pass 2^14 + 1024.
            clearBuffers()
            guard output.count >= 5 else { throw RecordError(.compressionFailure, "no room for a DEFLATE block") }
            unsafe output.storeBytes(of: 0, toByteOffset: 0, as: UInt8.self)
            unsafe output.storeBytes(of: 0, toByteOffset: 1, as: UInt8.self)
            unsafe output.storeBytes(of: 0, toByteOffset: 2, as: UInt8.self)
            unsafe output.storeBytes(of: 0xFF, toByteOffset: 3, as: UInt8.self)
            unsafe output.storeBytes(of: 0xFF, toByteOffset: 4, as: UInt8.self)
            return 5
        }
        // avail_out > 0 after a flush means zlib emitted everything (zlib manual, deflate()).
        guard status == Z_OK, unsafe stream.pointee.avail_in == 0, unsafe stream.pointee.avail_out > 0 else {
            usable = false
            throw RecordError(.compressionFailure, "DEFLATE output exceeded \(output.count) bytes (status \(status))")
        }
        clearBuffers()
        return produced
    }

    /// Decompresses all of `input` into `output`; returns the bytes written. Output that
    /// would exceed `limit` bytes (`limit < output.count`), corrupt data, or an ended stream
    /// is ``RecordError/Code/decompressionFailure`` (no zip bombs, RFC 2246 §6.2.2).
    func decompress(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, limit: Int
    ) throws(RecordError) -> Int {
        guard usable, !compressing else {
            throw RecordError(.decompressionFailure, "the DEFLATE stream is unusable after an earlier failure")
        }
        guard input.count > 0 else { return 0 }
        try unsafe setBuffers(input, output)
        let status = unsafe inflate(stream, Z_SYNC_FLUSH)
        let produced = output.count - Int(unsafe stream.pointee.avail_out)
        let consumedAll = unsafe stream.pointee.avail_in == 0
        clearBuffers()
        guard status == Z_OK || status == Z_BUF_ERROR, consumedAll, produced <= limit else {
            usable = false
            throw RecordError(
                .decompressionFailure,
                produced > limit || !consumedAll
                    ? "a DEFLATE record inflates past \(limit) bytes" : "invalid DEFLATE data (zlib status \(status))")
        }
        return produced
    }

    private func setBuffers(_ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer) throws(RecordError) {
        guard let outBase = output.baseAddress, output.count > 0 else {
            throw RecordError(.compressionFailure, "no output buffer for zlib")
        }
        // zlib only reads `input` and writes `output` within the counts given here; an empty
        // input may have a nil base, which zlib accepts with avail_in == 0.
        unsafe stream.pointee.next_in = unsafe input.baseAddress.map {
            unsafe UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self))
        }
        unsafe stream.pointee.avail_in = uInt(input.count)
        unsafe stream.pointee.next_out = outBase.assumingMemoryBound(to: Bytef.self)
        unsafe stream.pointee.avail_out = uInt(output.count)
    }

    private func clearBuffers() {
        unsafe stream.pointee.next_in = nil
        unsafe stream.pointee.avail_in = 0
        unsafe stream.pointee.next_out = nil
        unsafe stream.pointee.avail_out = 0
    }

    deinit {
        if compressing { unsafe _ = deflateEnd(stream) } else { unsafe _ = inflateEnd(stream) }
        unsafe stream.deinitialize(count: 1)
        unsafe stream.deallocate()
    }
}
