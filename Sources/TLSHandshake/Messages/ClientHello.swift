/// ClientHello (RFC 2246 §7.4.1.2, extensions per RFC 3546 §2.1).
///
/// ```
/// struct { ProtocolVersion client_version; Random random; SessionID session_id;
///          CipherSuite cipher_suites<2..2^16-1>; CompressionMethod compression_methods<1..2^8-1>;
///          Extension extensions<0..2^16-1>; /* optional */ } ClientHello;
/// ```
struct ClientHello: Hashable, Sendable {
    /// `client_version` as sent (OpenSSL sends 0x0303 even inside a 0x0301 record).
    var clientVersion: UInt16
    /// 32 bytes of `Random`.
    var random: [UInt8]
    /// 0 to 32 bytes.
    var sessionID: [UInt8]
    /// Offered suites in preference order, unknown values kept.
    var cipherSuites: [UInt16]
    /// Offered compression methods.
    var compressionMethods: [UInt8]
    /// Extensions (empty when the hello had none).
    var extensions: HelloExtensions

    func encodedBody() -> [UInt8] {
        var out: [UInt8] = []
        out.appendU16(clientVersion)
        out.append(contentsOf: random)
        out.appendVector8(sessionID)
        var suites: [UInt8] = []
        for s in cipherSuites { suites.appendU16(s) }
        out.appendVector16(suites)
        out.appendVector8(compressionMethods)
        out.append(contentsOf: extensions.encoded())
        return out
    }

    static func decode(_ r: inout ByteReader) throws(TLSError) -> ClientHello {
        let version = try r.u16("client_version")
        let random = try r.bytes(32, "random")
        var sid = try r.vector8("session_id")
        guard sid.remaining <= 32 else { throw .decode("session_id longer than 32 bytes") }
        let sessionID = sid.rest()
        var suitesReader = try r.vector16("cipher_suites")
        guard suitesReader.remaining >= 2, suitesReader.remaining % 2 == 0 else {
            throw .decode("cipher_suites length must be even and non-zero")
        }
        var suites: [UInt16] = []
        suites.reserveCapacity(suitesReader.remaining / 2)
        while !suitesReader.isAtEnd { suites.append(try suitesReader.u16("cipher suite")) }
        var comp = try r.vector8("compression_methods")
        guard comp.remaining >= 1 else { throw .decode("compression_methods must not be empty") }
        let methods = comp.rest()
        let extensions = try HelloExtensions.decode(&r)
        return ClientHello(
            clientVersion: version, random: random, sessionID: sessionID, cipherSuites: suites,
            compressionMethods: methods, extensions: extensions)
    }
}
