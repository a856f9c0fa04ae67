import TLSRecord

/// The one error type of the TLSHandshake module (STYLE.md §4).
///
/// Publicly a struct with an open ``Code`` plus a message; inside, an exhaustive `Cause`
/// enum, and one total `switch` (`Cause.alert`) decides which alert a failure sends
/// (rustls `From<Error> for AlertDescription`). Alerts we send and alerts we received are
/// distinct (``isPeerAlert``), as in BearSSL.
public struct TLSError: Error, Sendable, CustomStringConvertible {
    /// A stable category for a failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The numeric value, stable for logs.
        public let rawValue: UInt16
        /// A short name.
        public let name: String

        init(_ rawValue: UInt16, _ name: String) {
            self.rawValue = rawValue
            self.name = name
        }

        public var description: String { name }
        public static func == (l: Code, r: Code) -> Bool { l.rawValue == r.rawValue }
        public func hash(into h: inout Hasher) { h.combine(rawValue) }

        /// A message could not be parsed (lengths, truncation, trailing bytes, duplicates).
        public static let decode = Code(1, "decode")
        /// A message arrived that the current handshake state does not allow.
        public static let unexpectedMessage = Code(2, "unexpectedMessage")
        /// A field holds a value the protocol forbids here.
        public static let illegalParameter = Code(3, "illegalParameter")
        /// No acceptable set of security parameters, or a required step was missing.
        public static let handshakeFailure = Code(4, "handshakeFailure")
        /// The peer's protocol version is not TLS 1.0.
        public static let protocolVersion = Code(5, "protocolVersion")
        /// A Finished or CertificateVerify did not verify.
        public static let decryptError = Code(6, "decryptError")
        /// A certificate was rejected (see the message for the reason).
        public static let certificate = Code(7, "certificate")
        /// The record layer failed (MAC, padding, overflow, framing).
        public static let record = Code(8, "record")
        /// The peer sent a fatal alert.
        public static let peerAlert = Code(9, "peerAlert")
        /// The configuration is invalid (file, key, password, parameters).
        public static let configuration = Code(10, "configuration")
        /// The API was used in a state where the call is not allowed.
        public static let misuse = Code(11, "misuse")
        /// The connection is closed.
        public static let closed = Code(12, "closed")
        /// The peer tried to downgrade (RFC 7507 TLS_FALLBACK_SCSV).
        public static let inappropriateFallback = Code(13, "inappropriateFallback")
        /// Renegotiation without RFC 5746 protection was refused, or RFC 5746 data was wrong.
        public static let insecureRenegotiation = Code(14, "insecureRenegotiation")
        /// An internal failure (e.g. a private-key operation failed).
        public static let internalError = Code(15, "internalError")
        /// The peer's key is too weak (RSA below 1024 bits) or the suite set is unacceptable.
        public static let insufficientSecurity = Code(16, "insufficientSecurity")
    }

    /// The kind of failure.
    public var code: Code { cause.code }
    /// What went wrong, in words.
    public var message: String { cause.message }
    /// The alert sent to the peer (when ``isPeerAlert`` is false) or received from it
    /// (when true); nil when no alert is involved (configuration or API misuse).
    public var alert: AlertDescription? {
        if case .peerAlert(let a) = cause { return a }
        return cause.alert
    }
    /// Whether ``alert`` was received from the peer rather than sent by us.
    public var isPeerAlert: Bool {
        if case .peerAlert = cause { return true }
        return false
    }

    let cause: Cause

    /// Why the handshake failed in terms of what the peer offered, when the failure itself
    /// does not say (a fatal alert from the peer, bytes that are not TLS); see the README's
    /// "Handshake failure messages".
    public internal(set) var explanation: String?

    init(_ cause: Cause) { self.cause = cause }

    public var description: String {
        let why = explanation.map { ": \($0)" } ?? ""
        guard let alert else { return "TLS error (\(code)): \(message)\(why)" }
        return isPeerAlert
            ? "TLS error: the peer sent the fatal alert \(alert)\(why)"
            : "TLS error (\(code)): \(message) [alert \(alert) sent]\(why)"
    }
}

extension TLSError {
    /// Every failure the module knows, with its details.
    enum Cause: Sendable {
        case decode(String)
        case unexpectedMessage(String)
        case illegalParameter(String)
        case handshakeFailure(String)
        case protocolVersion(String)
        case decryptError(String)
        case badCertificate(String)
        case unsupportedCertificate(String)
        case certificateExpired(String)
        case certificateRevoked(String)
        case unknownCA(String)
        case certificateUnknown(String)
        case insufficientSecurity(String)
        case inappropriateFallback
        case unsupportedExtensionReply(ExtensionType)
        case insecureRenegotiation(String)
        case noApplicationProtocol(String)
        case record(RecordError)
        case peerAlert(AlertDescription)
        case configuration(String)
        case misuse(String)
        case closed
        case internalError(String)

        /// The alert we send for this failure: the single total mapping (STYLE.md §4).
        var alert: AlertDescription? {
            switch self {
            case .decode: .decodeError
            case .unexpectedMessage: .unexpectedMessage
            case .illegalParameter: .illegalParameter
            case .handshakeFailure: .handshakeFailure
            case .protocolVersion: .protocolVersion
            case .decryptError: .decryptError
            case .badCertificate: .badCertificate
            case .unsupportedCertificate: .unsupportedCertificate
            case .certificateExpired: .certificateExpired
            case .certificateRevoked: .certificateRevoked
            case .unknownCA: .unknownCA
            case .certificateUnknown: .certificateUnknown
            case .insufficientSecurity: .insufficientSecurity
            case .inappropriateFallback: .inappropriateFallback
            case .unsupportedExtensionReply: .unsupportedExtension
            case .insecureRenegotiation: .handshakeFailure  // RFC 5746 §3.4, §3.6
            case .noApplicationProtocol: .noApplicationProtocol  // RFC 7301 §3.2
            case .record(let e): e.alert
            case .peerAlert: nil
            case .configuration, .misuse, .closed: nil
            case .internalError: .internalError
            }
        }

        var code: Code {
            switch self {
            case .decode: .decode
            case .unexpectedMessage: .unexpectedMessage
            case .illegalParameter: .illegalParameter
            case .handshakeFailure: .handshakeFailure
            case .protocolVersion: .protocolVersion
            case .decryptError: .decryptError
            case .badCertificate, .unsupportedCertificate, .certificateExpired, .certificateRevoked, .unknownCA,
                .certificateUnknown:
                .certificate
            case .insufficientSecurity: .insufficientSecurity
            case .inappropriateFallback: .inappropriateFallback
            case .unsupportedExtensionReply: .illegalParameter
            case .insecureRenegotiation: .insecureRenegotiation
            case .noApplicationProtocol: .handshakeFailure
            case .record: .record
            case .peerAlert: .peerAlert
            case .configuration: .configuration
            case .misuse: .misuse
            case .closed: .closed
            case .internalError: .internalError
            }
        }

        var message: String {
            switch self {
            case .decode(let m), .unexpectedMessage(let m), .illegalParameter(let m), .handshakeFailure(let m),
                .protocolVersion(let m), .decryptError(let m), .badCertificate(let m),
                .unsupportedCertificate(let m), .certificateExpired(let m), .certificateRevoked(let m), .unknownCA(let m),
                .certificateUnknown(let m), .insufficientSecurity(let m), .insecureRenegotiation(let m), .noApplicationProtocol(let m),
                .configuration(let m), .misuse(let m), .internalError(let m):
                m
            case .inappropriateFallback:
                "the client signalled a fallback (TLS_FALLBACK_SCSV) to a version below our highest (RFC 7507)"
            case .unsupportedExtensionReply(let t): "the server sent \(t), which we did not offer"
            case .record(let e): "record layer: \(e)"
            case .peerAlert(let a): "the peer sent the fatal alert \(a)"
            case .closed: "the connection is closed"
            }
        }
    }

    /// An error whose ``explanation`` says what the peer offered and which rule refused it.
    static func explained(_ cause: Cause, _ explanation: String) -> TLSError {
        var error = TLSError(cause)
        error.explanation = explanation
        return error
    }

    static func decode(_ m: String) -> TLSError { TLSError(.decode(m)) }
    static func unexpected(_ m: String) -> TLSError { TLSError(.unexpectedMessage(m)) }
    static func illegal(_ m: String) -> TLSError { TLSError(.illegalParameter(m)) }
    static func handshake(_ m: String) -> TLSError { TLSError(.handshakeFailure(m)) }
    static func configuration(_ m: String) -> TLSError { TLSError(.configuration(m)) }
    static func misuse(_ m: String) -> TLSError { TLSError(.misuse(m)) }
}
