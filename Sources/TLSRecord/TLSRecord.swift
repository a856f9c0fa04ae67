/// One record opened by ``RecordLayer/nextRecord()``: its content type and plaintext
/// (decrypted, verified and decompressed).
///
/// Handshake messages may span records and a record may hold several messages: the
/// handshake layer reassembles them.
public struct TLSRecord: Hashable, Sendable {
    /// The record's content type.
    public var contentType: ContentType
    /// The plaintext fragment (at most 2^14 bytes; may be empty).
    public var fragment: [UInt8]

    /// A record from its parts.
    public init(contentType: ContentType, fragment: [UInt8]) {
        self.contentType = contentType
        self.fragment = fragment
    }
}
