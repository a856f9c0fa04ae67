/// The record MAC of a connection state (RFC 2246 §6.1, `MACAlgorithm`).
public enum MACAlgorithm: Hashable, Sendable, CustomStringConvertible {
    /// No MAC (the initial state only).
    case null
    /// HMAC-SHA1 (RFC 2104), 20 bytes.
    case sha1

    /// MAC length in bytes (`hash_size`); also the MAC secret's length.
    public var byteCount: Int {
        switch self {
        case .null: 0
        case .sha1: 20
        }
    }

    public var description: String {
        switch self {
        case .null: "NULL"
        case .sha1: "HMAC-SHA1"
        }
    }
}
