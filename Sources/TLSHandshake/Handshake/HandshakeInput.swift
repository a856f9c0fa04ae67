import CryptoPrimitives
import TLSRecord
import X509

/// What a handshake state consumes: one decoded handshake message with its exact bytes
/// (for the transcript), or a ChangeCipherSpec record (RFC 2246 §7.1).
enum HandshakeInput: Sendable {
    case message(HandshakeMessage, bytes: [UInt8])
    case changeCipherSpec

    /// A short name for `unexpected_message` errors.
    var name: String {
        switch self {
        case .message(let m, _): "\(m.type)"
        case .changeCipherSpec: "ChangeCipherSpec"
        }
    }
}
