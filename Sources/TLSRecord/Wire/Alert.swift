/// An alert message: a level and a description, two bytes on the wire (RFC 2246 §7.2).
/// (Not `CustomStringConvertible`: `description` is the RFC field name; use ``summary``.)
public struct Alert: Hashable, Sendable {
    /// Warning or fatal.
    public var level: AlertLevel
    /// What happened.
    public var description: AlertDescription

    /// An alert from its parts.
    public init(level: AlertLevel, description: AlertDescription) {
        self.level = level
        self.description = description
    }

    /// A fatal alert.
    public static func fatal(_ description: AlertDescription) -> Alert {
        Alert(level: .fatal, description: description)
    }

    /// A warning alert.
    public static func warning(_ description: AlertDescription) -> Alert {
        Alert(level: .warning, description: description)
    }

    /// The warning `close_notify` sent on a clean close (RFC 2246 §7.2.1).
    public static let closeNotify = Alert(level: .warning, description: .closeNotify)

    /// The two wire bytes.
    public var bytes: [UInt8] { [level.rawValue, description.rawValue] }

    /// Decodes an alert from exactly two bytes; anything else is `decode_error`.
    public init(decoding bytes: some Collection<UInt8>) throws(RecordError) {
        guard bytes.count == 2, let l = bytes.first, let d = bytes.dropFirst().first else {
            throw RecordError(.decodeError, "an alert is 2 bytes, got \(bytes.count)")
        }
        self.init(level: AlertLevel(rawValue: l), description: AlertDescription(rawValue: d))
    }

    /// Text for messages, e.g. `"fatal bad_record_mac"`.
    public var summary: String { "\(level) \(description.name)" }
}
