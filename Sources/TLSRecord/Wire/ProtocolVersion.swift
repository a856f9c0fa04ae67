/// A protocol version as carried in record headers and hello messages (RFC 2246 §6.2.1).
public struct ProtocolVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The major version (3 for SSL 3.0 and every TLS version).
    public var major: UInt8
    /// The minor version (1 for TLS 1.0).
    public var minor: UInt8

    /// A version from its two bytes.
    public init(major: UInt8, minor: UInt8) {
        self.major = major
        self.minor = minor
    }

    /// A version from its 16-bit wire value, e.g. `0x0301`.
    public init(wireValue: UInt16) {
        self.init(major: UInt8(truncatingIfNeeded: wireValue >> 8), minor: UInt8(truncatingIfNeeded: wireValue))
    }

    /// The 16-bit wire value, e.g. `0x0301` for TLS 1.0.
    public var wireValue: UInt16 { UInt16(major) << 8 | UInt16(minor) }

    /// SSL 3.0 (3,0): never negotiated, only recognised.
    public static let ssl30 = ProtocolVersion(major: 3, minor: 0)
    /// TLS 1.0 (3,1), the version this stack speaks (RFC 2246).
    public static let tls10 = ProtocolVersion(major: 3, minor: 1)
    /// TLS 1.1 (3,2).
    public static let tls11 = ProtocolVersion(major: 3, minor: 2)
    /// TLS 1.2 (3,3).
    public static let tls12 = ProtocolVersion(major: 3, minor: 3)

    public static func < (lhs: ProtocolVersion, rhs: ProtocolVersion) -> Bool {
        lhs.wireValue < rhs.wireValue
    }

    public var description: String {
        switch (major, minor) {
        case (3, 0): "SSL 3.0"
        case (3, 1): "TLS 1.0"
        case (3, 2): "TLS 1.1"
        case (3, 3): "TLS 1.2"
        default: "version \(major).\(minor)"
        }
    }
}
