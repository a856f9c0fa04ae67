/// A record compression method (RFC 2246 §6.2.2, RFC 3749). An open set of code points;
/// the record layer implements ``null`` and ``deflate``.
public struct CompressionMethod: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The one-byte wire value.
    public var rawValue: UInt8

    /// A method from its wire value.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `null(0)`: no compression, always offered.
    public static let null = CompressionMethod(rawValue: 0)
    /// `DEFLATE(1)` (RFC 3749): off by default because of CRIME.
    public static let deflate = CompressionMethod(rawValue: 1)

    /// Whether this record layer can run the method.
    public var isSupported: Bool { self == .null || self == .deflate }

    public var description: String {
        switch rawValue {
        case 0: "null"
        case 1: "DEFLATE"
        default: "compression(\(rawValue))"
        }
    }
}
