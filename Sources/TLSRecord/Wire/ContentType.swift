/// The type of a record's payload (RFC 2246 §6.2.1, `ContentType`).
///
/// An open set: unknown values survive parsing so the layer above can name them in an
/// error, as rustls and NIO do for wire code points.
public struct ContentType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The one-byte wire value.
    public var rawValue: UInt8

    /// A content type from its wire value.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `change_cipher_spec(20)`.
    public static let changeCipherSpec = ContentType(rawValue: 20)
    /// `alert(21)`.
    public static let alert = ContentType(rawValue: 21)
    /// `handshake(22)`.
    public static let handshake = ContentType(rawValue: 22)
    /// `application_data(23)`.
    public static let applicationData = ContentType(rawValue: 23)

    /// Whether RFC 2246 defines this type.
    public var isKnown: Bool { (20...23).contains(rawValue) }

    /// The RFC 2246 name, or the number for unknown types.
    public var description: String {
        switch rawValue {
        case 20: "change_cipher_spec"
        case 21: "alert"
        case 22: "handshake"
        case 23: "application_data"
        default: "content_type(\(rawValue))"
        }
    }
}
