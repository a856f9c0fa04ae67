import CryptoPrimitives
import TLSRecord
import X509

/// What a state asks the driver to do, in order (the driver owns the record layer).
enum OutboundAction: Sendable {
    /// Send an encoded handshake message (already added to the transcript).
    case handshake([UInt8])
    /// Send ChangeCipherSpec, then write with these parameters (RFC 2246 §7.1).
    case changeCipherSpec(RecordProtectionParameters)
    /// A ChangeCipherSpec was received: read with these parameters from the next record on.
    case changeReadCipherSpec(RecordProtectionParameters)
    /// The handshake completed.
    case completed(SessionInfo)
}
