/// The one error type of the X509 module (STYLE.md §4).
///
/// A struct with an open ``Code`` so that causes can be added without breaking callers
/// (as swift-asn1's `ASN1Error` does). The ``message`` says what was wrong in words; for
/// encoding errors ``offset`` gives the byte position in the input where it was found.
///
/// Code ranges, so that parallel work does not collide: 1–49 DER, 50–99 certificates and
/// path building, 100–199 RSA, bignums, PEM and keys.
public struct X509Error: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The numeric value; stable for logs, not an API contract.
        public let rawValue: UInt16
        /// A short name for messages.
        public let name: String

        /// Creates a code; new codes are added as `static let`s below or in extensions.
        package init(_ rawValue: UInt16, _ name: String) {
            self.rawValue = rawValue
            self.name = name
        }

        public var description: String { name }
        public static func == (lhs: Code, rhs: Code) -> Bool { lhs.rawValue == rhs.rawValue }
        public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

        // MARK: DER (X.690 §8 and §10)
        /// The input ended before a complete element (header or contents) was read.
        public static let truncated = Code(1, "truncated")
        /// A length field is malformed: indefinite, reserved, non-minimal or too large.
        public static let invalidLength = Code(2, "invalidLength")
        /// Bytes were left after the last expected element.
        public static let trailingBytes = Code(3, "trailingBytes")
        /// An element had a different tag from the one expected here.
        public static let unexpectedTag = Code(4, "unexpectedTag")
        /// Constructed elements were nested deeper than the reader allows.
        public static let nestingTooDeep = Code(5, "nestingTooDeep")
        /// A tag field is malformed (non-minimal high tag number form, or too large).
        public static let invalidTag = Code(6, "invalidTag")
        /// An INTEGER is empty, non-minimal, negative where unsigned is required, or too large.
        public static let invalidInteger = Code(7, "invalidInteger")
        /// A BOOLEAN, NULL or BIT STRING has contents DER forbids.
        public static let invalidPrimitive = Code(8, "invalidPrimitive")
        /// An OBJECT IDENTIFIER is empty, non-minimal or has an arc too large.
        public static let invalidObjectIdentifier = Code(9, "invalidObjectIdentifier")
        /// A character string holds characters its type does not allow.
        public static let invalidString = Code(10, "invalidString")
        /// A UTCTime or GeneralizedTime is not in the strict DER form or names no real time.
        public static let invalidTime = Code(11, "invalidTime")

        // MARK: Certificates (RFC 5280)
        /// The certificate structure does not follow RFC 5280 §4.1.
        public static let invalidCertificate = Code(50, "invalidCertificate")
        /// An extension's value does not follow its RFC 5280 §4.2 syntax, or is repeated.
        public static let invalidExtension = Code(51, "invalidExtension")
        /// An algorithm (signature or key) that this module does not implement.
        public static let unsupportedAlgorithm = Code(52, "unsupportedAlgorithm")
        /// A trust store or chain input could not be used (e.g. a CA bundle without certificates).
        public static let invalidTrustStore = Code(53, "invalidTrustStore")
        /// A certificate could not be issued from the parameters given.
        public static let invalidIssuingRequest = Code(54, "invalidIssuingRequest")
    }

    /// The kind of failure.
    public let code: Code
    /// A human-readable explanation of what was wrong.
    public let message: String
    /// The byte offset in the parsed input where the problem was found, when known.
    public let offset: Int?

    /// Creates an error.
    public init(_ code: Code, _ message: String, offset: Int? = nil) {
        self.code = code
        self.message = message
        self.offset = offset
    }

    public var description: String {
        if let offset { return "\(message) (at byte offset \(offset))" }
        return message
    }

    /// Errors compare by code only; the message and offset are for people.
    public static func == (lhs: X509Error, rhs: X509Error) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
