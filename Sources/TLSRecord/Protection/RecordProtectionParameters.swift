/// The security parameters and key material of one direction's connection state
/// (RFC 2246 §6.1 and §6.3): what ``RecordLayer/setPendingRead(_:)`` and
/// ``RecordLayer/setPendingWrite(_:)`` take.
///
/// For the reading side of a client these are the server's `server_write_*` values, and
/// so on. Key material is copied into the connection state; wipe your copy when done.
public struct RecordProtectionParameters: Sendable {
    /// The bulk cipher.
    public var cipher: BulkCipherAlgorithm
    /// The MAC.
    public var mac: MACAlgorithm
    /// The compression method (a new compression stream starts with each state).
    public var compression: CompressionMethod
    /// The MAC secret, `mac.byteCount` bytes.
    public var macSecret: [UInt8]
    /// The cipher key, `cipher.keyByteCount` bytes.
    public var key: [UInt8]
    /// The initial CBC IV, `cipher.ivByteCount` bytes (TLS 1.0 derives it from the key block).
    public var iv: [UInt8]

    /// Parameters for one direction. Lengths are checked when the state is installed.
    public init(
        cipher: BulkCipherAlgorithm, mac: MACAlgorithm, compression: CompressionMethod = .null,
        macSecret: [UInt8], key: [UInt8], iv: [UInt8]
    ) {
        self.cipher = cipher
        self.mac = mac
        self.compression = compression
        self.macSecret = macSecret
        self.key = key
        self.iv = iv
    }

    /// The initial `TLS_NULL_WITH_NULL_NULL` state (RFC 2246 §6.1).
    public static let nullState = RecordProtectionParameters(
        cipher: .null, mac: .null, macSecret: [], key: [], iv: [])

    /// Checks every length against the algorithms.
    func validate() throws(RecordError) {
        guard macSecret.count == mac.byteCount, key.count == cipher.keyByteCount, iv.count == cipher.ivByteCount
        else {
            throw RecordError(
                .invalidParameters,
                "key material lengths (MAC \(macSecret.count), key \(key.count), IV \(iv.count)) do not fit "
                    + "\(cipher) with \(mac) (need \(mac.byteCount), \(cipher.keyByteCount), \(cipher.ivByteCount))")
        }
        guard cipher == .null || mac != .null else {
            // Every TLS 1.0 suite with a cipher has a MAC; CBC without one would be a padding oracle.
            throw RecordError(.invalidParameters, "a \(cipher) state without a MAC is not a TLS 1.0 suite")
        }
        guard compression.isSupported else {
            throw RecordError(.invalidParameters, "compression method \(compression) is not supported")
        }
    }
}

/// Another name for ``RecordProtectionParameters``: one direction's keys and algorithms.
public typealias ConnectionKeys = RecordProtectionParameters
