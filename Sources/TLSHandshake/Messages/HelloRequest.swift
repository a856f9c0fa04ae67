/// HelloRequest (RFC 2246 §7.4.1.1) and ServerHelloDone (§7.4.5): messages with an empty body.
///
/// They carry no fields, so they are plain cases of ``HandshakeMessage``; this file
/// records the rules that apply to them. A HelloRequest is never part of the transcript
/// (§7.4.1.1: "This message will not be included in the message hashes"), may arrive at
/// any time, and is ignored by a client that is mid-handshake.
enum EmptyHandshakeBody {
    /// Both messages must have a zero-length body; anything else is `decode_error`.
    static let length = 0
}
