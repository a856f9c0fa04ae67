/// An error from a cryptographic primitive.
///
/// Primitives fail only on caller misuse that cannot be caught at compile time,
/// such as a key of the wrong length; they never fail on message contents.
public struct CryptoError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Hashable, Sendable {
        let rawValue: UInt8
        /// A key had the wrong number of bytes for the algorithm.
        public static let invalidKeyLength = Code(rawValue: 1)
        /// An initialisation vector had the wrong number of bytes.
        public static let invalidIVLength = Code(rawValue: 2)
        /// A buffer's length is not a whole number of cipher blocks.
        public static let notBlockAligned = Code(rawValue: 3)
        /// The operating system's random source failed.
        public static let randomSourceFailed = Code(rawValue: 4)
    }

    /// The kind of failure.
    public let code: Code
    /// A human-readable explanation.
    public let message: String

    /// Creates an error with a code and an explanation.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// Errors compare by code only; the message is for people.
    public static func == (lhs: CryptoError, rhs: CryptoError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
