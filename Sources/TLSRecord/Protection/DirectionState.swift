/// One direction's current or pending connection state: protection, compression stream
/// and the Sweet32 byte count under its key.
struct DirectionState: Sendable {
    /// Cipher, MAC, IV and sequence number.
    var protection: RecordProtection
    /// The compression method.
    var compression: CompressionMethod
    /// The DEFLATE stream when `compression == .deflate`; new with each state.
    var deflate: DeflateStream?
    /// Plaintext bytes protected under this state's key (Sweet32 accounting).
    var keyUsage: UInt64 = 0

    /// The initial NULL/NULL/null state.
    init() {
        protection = RecordProtection()
        compression = .null
    }

    /// A state from parameters; `compressing` picks a compressor (write) or decompressor (read).
    init(_ parameters: RecordProtectionParameters, compressing: Bool) throws(RecordError) {
        protection = try RecordProtection(parameters)
        compression = parameters.compression
        deflate = parameters.compression == .deflate ? try DeflateStream(compressing: compressing) : nil
    }

    /// A deep copy (the DEFLATE history is duplicated).
    func copy() -> DirectionState {
        var c = self
        c.deflate = deflate?.copy()
        return c
    }
}
