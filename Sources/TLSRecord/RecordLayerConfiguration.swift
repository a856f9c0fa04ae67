/// Settings of a ``RecordLayer``. Plain values with safe defaults.
public struct RecordLayerConfiguration: Sendable, Hashable {
    /// 1/n−1 record splitting of application data under CBC ciphers (the BEAST
    /// countermeasure). `nil` means the role's default: on for clients (BEAST targets what
    /// the client sends), off for servers (conformance tools expect one reply record).
    public var recordSplitting: Bool?

    /// Sweet32: the most bytes of plaintext protected under one 64-bit-block-cipher key in
    /// one direction, or `nil` for no limit. Past it, sending application data throws
    /// ``RecordError/Code/keyUsageLimitReached`` and so does receiving it. The default,
    /// 2^30 bytes (2^27 blocks), keeps the birthday-collision chance near 2^-10.
    public var keyUsageLimit: UInt64?

    /// The usage at which ``RecordLayer/needsRenegotiation`` turns true so the handshake
    /// layer can rekey before ``keyUsageLimit``. Default: half the limit.
    public var keyUsageRenegotiationThreshold: UInt64?

    /// The largest plaintext fragment we send, at most 2^14 (RFC 2246 §6.2.1).
    public var maxFragmentLength: Int

    /// Settings with the defaults described on each property.
    public init(
        recordSplitting: Bool? = nil, keyUsageLimit: UInt64? = 1 << 30,
        keyUsageRenegotiationThreshold: UInt64? = 1 << 29, maxFragmentLength: Int = RecordLimits.maxPlaintext
    ) {
        self.recordSplitting = recordSplitting
        self.keyUsageLimit = keyUsageLimit
        self.keyUsageRenegotiationThreshold = keyUsageRenegotiationThreshold
        self.maxFragmentLength = maxFragmentLength
    }
}

/// The length limits of RFC 2246 §6.2.
public enum RecordLimits {
    /// Record header: type(1) ‖ version(2) ‖ length(2).
    public static let headerLength = 5
    /// `TLSPlaintext.length` ≤ 2^14.
    public static let maxPlaintext = 1 << 14
    /// `TLSCompressed.length` ≤ 2^14 + 1024.
    public static let maxCompressed = (1 << 14) + 1024
    /// `TLSCiphertext.length` ≤ 2^14 + 2048.
    public static let maxCiphertext = (1 << 14) + 2048
    /// The largest whole record on the wire.
    public static let maxRecord = headerLength + maxCiphertext
}
