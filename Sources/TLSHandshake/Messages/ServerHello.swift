/// ServerHello (RFC 2246 §7.4.1.3, extensions per RFC 3546 §2.2).
///
/// ```
/// struct { ProtocolVersion server_version; Random random; SessionID session_id;
///          CipherSuite cipher_suite; CompressionMethod compression_method;
///          Extension extensions<0..2^16-1>; /* optional */ } ServerHello;
/// ```
struct ServerHello: Hashable, Sendable {
    var serverVersion: UInt16
    var random: [UInt8]
    var sessionID: [UInt8]
    var cipherSuite: UInt16
    var compressionMethod: UInt8
    var extensions: HelloExtensions

    func encodedBody() -> [UInt8] {
        var out: [UInt8] = []
        out.appendU16(serverVersion)
        out.append(contentsOf: random)
        out.appendVector8(sessionID)
        out.appendU16(cipherSuite)
        out.append(compressionMethod)
        out.append(contentsOf: extensions.encoded())
        return out
    }

    static func decode(_ r: inout ByteReader) throws(TLSError) -> ServerHello {
        let version = try r.u16("server_version")
        let random = try r.bytes(32, "random")
        var sid = try r.vector8("session_id")
        guard sid.remaining <= 32 else { throw .decode("session_id longer than 32 bytes") }
        let sessionID = sid.rest()
        let suite = try r.u16("cipher_suite")
        let method = try r.u8("compression_method")
        let extensions = try HelloExtensions.decode(&r)
        return ServerHello(
            serverVersion: version, random: random, sessionID: sessionID, cipherSuite: suite,
            compressionMethod: method, extensions: extensions)
    }
}
