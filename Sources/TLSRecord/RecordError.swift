/// The record layer's one error type: a ``Code`` saying what went wrong, which fixes the
/// alert to send (``alert``), and a human-readable message (STYLE.md §4).
///
/// Every padding, MAC and CBC length failure is ``Code/badRecordMAC`` with the same
/// message, so neither the alert nor the text tells an attacker which check failed
/// (Lucky 13, POODLE-TLS; RFC 5246 §6.2.3.2 and §7.2.2).
public struct RecordError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure. Codes are added without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let cause: Cause

        /// MAC, padding or ciphertext-length failure while opening a record: `bad_record_mac`.
        public static let badRecordMAC = Code(cause: .badRecordMAC)
        /// A record longer than RFC 2246 §6.2 allows: `record_overflow`.
        public static let recordOverflow = Code(cause: .recordOverflow)
        /// Malformed bytes (e.g. an alert that is not 2 bytes): `decode_error`.
        public static let decodeError = Code(cause: .decodeError)
        /// DEFLATE data that is invalid or inflates past 2^14 bytes: `decompression_failure`.
        public static let decompressionFailure = Code(cause: .decompressionFailure)
        /// An unknown content type, a malformed ChangeCipherSpec, or a ChangeCipherSpec
        /// with no pending state: `unexpected_message`.
        public static let unexpectedMessage = Code(cause: .unexpectedMessage)
        /// A record version whose major is not 3, or that differs from the negotiated one:
        /// `protocol_version`.
        public static let protocolVersion = Code(cause: .protocolVersion)
        /// A 64-bit sequence number would wrap (RFC 2246 §6.1): `internal_error`; the
        /// handshake layer must renegotiate long before.
        public static let sequenceOverflow = Code(cause: .sequenceOverflow)
        /// The byte limit per 64-bit-block-cipher key was reached (Sweet32): `internal_error`.
        /// The handshake layer should renegotiate when ``RecordLayer/needsRenegotiation``
        /// turns true, or close with `close_notify`.
        public static let keyUsageLimitReached = Code(cause: .keyUsageLimitReached)
        /// Caller misuse: key material of the wrong length, or an unsupported algorithm:
        /// `internal_error`.
        public static let invalidParameters = Code(cause: .invalidParameters)
        /// zlib failed while compressing our own data: `internal_error`.
        public static let compressionFailure = Code(cause: .compressionFailure)

        public var description: String { "\(cause)" }
    }

    /// The exhaustive list of causes behind ``Code``.
    enum Cause: Hashable, Sendable {
        case badRecordMAC, recordOverflow, decodeError, decompressionFailure, unexpectedMessage
        case protocolVersion, sequenceOverflow, keyUsageLimitReached, invalidParameters
        case compressionFailure
    }

    /// What went wrong.
    public let code: Code
    /// A human-readable explanation (never contains secrets).
    public let message: String

    /// An error with a code and an explanation.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The fatal alert to send for this error: the single total mapping (rustls style).
    public var alert: AlertDescription {
        switch code.cause {
        case .badRecordMAC: .badRecordMAC
        case .recordOverflow: .recordOverflow
        case .decodeError: .decodeError
        case .decompressionFailure: .decompressionFailure
        case .unexpectedMessage: .unexpectedMessage
        case .protocolVersion: .protocolVersion
        case .sequenceOverflow, .keyUsageLimitReached, .invalidParameters, .compressionFailure:
            .internalError
        }
    }

    public var description: String { "\(alert.name): \(message)" }

    /// Errors compare by code only; the message is for people.
    public static func == (lhs: RecordError, rhs: RecordError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// The one error for every MAC, padding and CBC length failure (identical text).
    static let badRecordMAC = RecordError(.badRecordMAC, "record failed authentication (MAC or padding)")
}
