/// HelloRequest (RFC 2246 §7.4.1.1): `struct { } HelloRequest;`
///
/// Sent by a server to ask for a new handshake. It is never part of the transcript ("This
/// message will not be included in the message hashes"), may arrive at any time, and a
/// client ignores it while it is already negotiating.
enum HelloRequest {
    /// The body must be empty; anything else is `decode_error`.
    static func decode(_ r: inout ByteReader) throws(TLSError) {
        try r.finish("HelloRequest")
    }
}
