/// ServerHelloDone (RFC 2246 §7.4.5): `struct { } ServerHelloDone;`
///
/// Ends the server's hello flight; the client then sends its key exchange flight.
enum ServerHelloDone {
    /// The body must be empty; anything else is `decode_error`.
    static func decode(_ r: inout ByteReader) throws(TLSError) {
        try r.finish("ServerHelloDone")
    }
}
