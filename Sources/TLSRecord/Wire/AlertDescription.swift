/// What an alert reports (RFC 2246 §7.2, `AlertDescription`), plus the later codes a
/// TLS 1.0 stack meets. An open set: unknown codes survive parsing.
public struct AlertDescription: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The one-byte wire value.
    public var rawValue: UInt8

    /// A description from its wire value.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// `close_notify(0)`: the sender will send no more data (RFC 2246 §7.2.1).
    public static let closeNotify = AlertDescription(rawValue: 0)
    /// `unexpected_message(10)`.
    public static let unexpectedMessage = AlertDescription(rawValue: 10)
    /// `bad_record_mac(20)`: also sent for every padding and length failure (Lucky 13).
    public static let badRecordMAC = AlertDescription(rawValue: 20)
    /// `decryption_failed(21)`: defined by RFC 2246 but never sent by us (RFC 5246 §7.2.2).
    public static let decryptionFailed = AlertDescription(rawValue: 21)
    /// `record_overflow(22)`.
    public static let recordOverflow = AlertDescription(rawValue: 22)
    /// `decompression_failure(30)`.
    public static let decompressionFailure = AlertDescription(rawValue: 30)
    /// `handshake_failure(40)`.
    public static let handshakeFailure = AlertDescription(rawValue: 40)
    /// `no_certificate(41)`: SSL 3.0 only, reserved in TLS.
    public static let noCertificate = AlertDescription(rawValue: 41)
    /// `bad_certificate(42)`.
    public static let badCertificate = AlertDescription(rawValue: 42)
    /// `unsupported_certificate(43)`.
    public static let unsupportedCertificate = AlertDescription(rawValue: 43)
    /// `certificate_revoked(44)`.
    public static let certificateRevoked = AlertDescription(rawValue: 44)
    /// `certificate_expired(45)`.
    public static let certificateExpired = AlertDescription(rawValue: 45)
    /// `certificate_unknown(46)`.
    public static let certificateUnknown = AlertDescription(rawValue: 46)
    /// `illegal_parameter(47)`.
    public static let illegalParameter = AlertDescription(rawValue: 47)
    /// `unknown_ca(48)`.
    public static let unknownCA = AlertDescription(rawValue: 48)
    /// `access_denied(49)`.
    public static let accessDenied = AlertDescription(rawValue: 49)
    /// `decode_error(50)`.
    public static let decodeError = AlertDescription(rawValue: 50)
    /// `decrypt_error(51)`.
    public static let decryptError = AlertDescription(rawValue: 51)
    /// `export_restriction(60)`.
    public static let exportRestriction = AlertDescription(rawValue: 60)
    /// `protocol_version(70)`.
    public static let protocolVersion = AlertDescription(rawValue: 70)
    /// `insufficient_security(71)`.
    public static let insufficientSecurity = AlertDescription(rawValue: 71)
    /// `internal_error(80)`.
    public static let internalError = AlertDescription(rawValue: 80)
    /// `inappropriate_fallback(86)` (RFC 7507).
    public static let inappropriateFallback = AlertDescription(rawValue: 86)
    /// `user_canceled(90)`.
    public static let userCanceled = AlertDescription(rawValue: 90)
    /// `no_renegotiation(100)`.
    public static let noRenegotiation = AlertDescription(rawValue: 100)
    /// `unsupported_extension(110)` (RFC 4366).
    public static let unsupportedExtension = AlertDescription(rawValue: 110)
    /// `no_application_protocol(120)` (RFC 7301 §3.2).
    public static let noApplicationProtocol = AlertDescription(rawValue: 120)

    /// The RFC name, e.g. `bad_record_mac`, for messages and logs.
    public var name: String {
        switch rawValue {
        case 0: "close_notify"
        case 10: "unexpected_message"
        case 20: "bad_record_mac"
        case 21: "decryption_failed"
        case 22: "record_overflow"
        case 30: "decompression_failure"
        case 40: "handshake_failure"
        case 41: "no_certificate"
        case 42: "bad_certificate"
        case 43: "unsupported_certificate"
        case 44: "certificate_revoked"
        case 45: "certificate_expired"
        case 46: "certificate_unknown"
        case 47: "illegal_parameter"
        case 48: "unknown_ca"
        case 49: "access_denied"
        case 50: "decode_error"
        case 51: "decrypt_error"
        case 60: "export_restriction"
        case 70: "protocol_version"
        case 71: "insufficient_security"
        case 80: "internal_error"
        case 86: "inappropriate_fallback"
        case 90: "user_canceled"
        case 100: "no_renegotiation"
        case 110: "unsupported_extension"
        case 120: "no_application_protocol"
        default: "alert(\(rawValue))"
        }
    }

    public var description: String { name }
}
