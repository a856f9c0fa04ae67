/// The severity of an alert (RFC 2246 §7.2, `AlertLevel`). An open set.
public struct AlertLevel: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The one-byte wire value.
    public var rawValue: UInt8

    /// A level from its wire value.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `warning(1)`.
    public static let warning = AlertLevel(rawValue: 1)
    /// `fatal(2)`: the connection ends and its session is invalidated.
    public static let fatal = AlertLevel(rawValue: 2)

    public var description: String {
        switch rawValue {
        case 1: "warning"
        case 2: "fatal"
        default: "alert_level(\(rawValue))"
        }
    }
}
