/// An application-data record opened straight from the caller's memory
/// (``RecordLayer/openApplicationData(from:decryptingInto:)``): how much of the source it
/// took and where its plaintext lies.
public struct OpenedRecord: Sendable, Equatable {
    /// Where the plaintext of an ``OpenedRecord`` lies.
    public enum Plaintext: Sendable, Equatable {
        /// In the source, at these offsets: the NULL cipher leaves the record body in place,
        /// authenticated, so the plaintext is not copied at all.
        case inSource(Range<Int>)
        /// In the destination, at these offsets (from 0): a CBC cipher decrypted it there.
        case inDestination(Range<Int>)
    }

    /// The bytes of the source the record took, header included.
    public var recordLength: Int
    /// Where the plaintext lies.
    public var plaintext: Plaintext

    /// The plaintext's length in bytes.
    public var plaintextCount: Int {
        switch plaintext {
        case .inSource(let range), .inDestination(let range): range.count
        }
    }
}
