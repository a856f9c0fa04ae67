/// The one error type of the DICOM upper layer: a stable ``Code`` plus a human message.
///
/// Causes can be added without breaking callers (STYLE §4): compare ``code`` against the
/// `static let`s of ``Code``. Errors raised while decoding peer bytes carry the A-ABORT
/// reason the upper layer sends for them (PS3.8 §9.3.8).
public struct DicomError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A category of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's short name.
        public let name: String
        /// Creates a code; the `static let`s below are the ones this module raises.
        public init(_ name: String) { self.name = name }
        /// The short name.
        public var description: String { name }

        /// A PDU or item from the peer is malformed (Evt19).
        public static let invalidPDU = Code("invalidPDU")
        /// A PDU arrived that the state machine does not allow in the current state.
        public static let unexpectedPDU = Code("unexpectedPDU")
        /// A PDU exceeded the maximum length we accept.
        public static let pduTooLarge = Code("pduTooLarge")
        /// The peer speaks TLS where plain DICOM was expected, or the reverse.
        public static let protocolMismatch = Code("protocolMismatch")
        /// The peer rejected the association (A-ASSOCIATE-RJ).
        public static let associationRejected = Code("associationRejected")
        /// The association was aborted (A-ABORT or A-P-ABORT).
        public static let aborted = Code("aborted")
        /// No presentation context fits the message to send.
        public static let noPresentationContext = Code("noPresentationContext")
        /// A DIMSE command set or message is malformed.
        public static let invalidDIMSE = Code("invalidDIMSE")
        /// A DIMSE operation completed with a failure status.
        public static let dimseFailure = Code("dimseFailure")
        /// A DICOM file is malformed or unsupported.
        public static let invalidFile = Code("invalidFile")
        /// A socket or file operation failed.
        public static let io = Code("io")
        /// A deadline passed (connect, read, write or ARTIM).
        public static let timeout = Code("timeout")
        /// The transport closed before the exchange completed.
        public static let connectionClosed = Code("connectionClosed")
        /// A local primitive was issued in a state that does not allow it (caller misuse).
        public static let invalidState = Code("invalidState")
        /// The configuration is invalid.
        public static let invalidConfiguration = Code("invalidConfiguration")
    }

    /// The category.
    public let code: Code
    /// A human-readable explanation.
    public let message: String
    /// The A-ABORT reason/diagnostic to send for a decoding failure (PS3.8 Table 9-26).
    public let abortReason: AbortReason

    /// Creates an error.
    public init(_ code: Code, _ message: String, abortReason: AbortReason = .reasonNotSpecified) {
        self.code = code
        self.message = message
        self.abortReason = abortReason
    }

    /// `"<code>: <message>"`.
    public var description: String { "\(code): \(message)" }

    // MARK: Helpers for decoding failures

    /// A malformed PDU: an invalid parameter value (reason 6).
    static func invalid(_ message: String) -> DicomError {
        DicomError(.invalidPDU, message, abortReason: .invalidPDUParameterValue)
    }

    /// A PDU whose type is unknown (reason 1).
    static func unrecognizedPDU(_ type: UInt8) -> DicomError {
        DicomError(.invalidPDU, "unrecognized PDU type 0x\(hex2(type))", abortReason: .unrecognizedPDU)
    }
}

/// Two hex digits for a byte.
func hex2(_ b: UInt8) -> String {
    let s = String(b, radix: 16, uppercase: true)
    return s.count == 1 ? "0" + s : s
}

/// Four hex digits for a 16-bit value.
func hex4(_ v: UInt16) -> String {
    hex2(UInt8(v >> 8)) + hex2(UInt8(v & 0xFF))
}
