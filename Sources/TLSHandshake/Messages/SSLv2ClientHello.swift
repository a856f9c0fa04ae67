/// The SSL 2.0-compatible ClientHello that a TLS 1.0 server must accept (RFC 2246 Appendix E.1).
///
/// ```
/// struct { uint16 msg_length;   /* high bit set: 2-byte SSLv2 record header */
///          uint8 msg_type;      /* 1 */
///          Version version; uint16 cipher_spec_length; uint16 session_id_length;
///          uint16 challenge_length; V2CipherSpec cipher_specs[...];
///          opaque session_id[...]; Random challenge; } V2ClientHello;
/// ```
/// It only ever appears as the very first bytes a server reads. The handshake hash covers
/// the message from `msg_type` on (the 2-byte header excluded), as in OpenSSL.
struct SSLv2ClientHello: Sendable {
    /// The equivalent TLS ClientHello (challenge right-aligned into a zero-padded Random).
    var hello: ClientHello
    /// The bytes that go into the transcript.
    var transcriptBytes: [UInt8]
    /// Bytes consumed from the input (header + message).
    var consumed: Int

    /// Whether `bytes` start like an SSLv2 record carrying a ClientHello: top bit of the
    /// first byte set and `msg_type` 1. Needs at least 3 bytes to decide.
    static func looksLikeSSLv2(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3 && bytes[0] & 0x80 != 0 && bytes[2] == 1
    }

    /// Decodes one V2ClientHello from the front of `bytes`; nil when more bytes are needed.
    static func decode(_ bytes: [UInt8]) throws(TLSError) -> SSLv2ClientHello? {
        guard bytes.count >= 2 else { return nil }
        let length = Int(bytes[0] & 0x7F) << 8 | Int(bytes[1])
        guard bytes.count >= 2 + length else { return nil }
        let body = Array(bytes[2..<(2 + length)])
        var r = ByteReader(body)
        guard try r.u8("msg_type") == 1 else { throw .unexpected("SSLv2 record that is not a ClientHello") }
        let version = try r.u16("version")
        let specLength = Int(try r.u16("cipher_spec_length"))
        let sidLength = Int(try r.u16("session_id_length"))
        let challengeLength = Int(try r.u16("challenge_length"))
        guard specLength > 0, specLength % 3 == 0 else { throw .decode("SSLv2 cipher_spec_length not a multiple of 3") }
        guard sidLength == 0 || sidLength == 16 else { throw .decode("SSLv2 session_id_length must be 0 or 16") }
        guard (16...32).contains(challengeLength) else { throw .decode("SSLv2 challenge_length outside 16...32") }
        var specs = try r.sub(specLength, "cipher_specs")
        let sessionID = try r.bytes(sidLength, "session_id")
        let challenge = try r.bytes(challengeLength, "challenge")
        try r.finish("SSLv2 ClientHello")
        guard version >= 0x0301 else {
            throw .explained(.protocolVersion("SSL 2.0/3.0 ClientHello (version 0x\(String(version, radix: 16)))"),
                             HandshakeExplanation.versionTooLow(clientVersion: version))
        }
        var suites: [UInt16] = []
        while !specs.isAtEnd {
            let first = try specs.u8("V2CipherSpec")
            let rest = try specs.u16("V2CipherSpec")
            if first == 0 { suites.append(rest) }  // SSLv2-only kinds are ignored (Appendix E.1)
        }
        let random = [UInt8](repeating: 0, count: 32 - challengeLength) + challenge
        let hello = ClientHello(
            clientVersion: version, random: random, sessionID: sessionID, cipherSuites: suites,
            compressionMethods: [0], extensions: HelloExtensions())
        return SSLv2ClientHello(hello: hello, transcriptBytes: body, consumed: 2 + length)
    }
}
