/// One handshake message of RFC 2246 §7.4, decoded.
///
/// Encoding adds the 4-byte header `msg_type(1) length(3)`; decoding takes exactly one
/// whole message (header included) and rejects anything not consumed exactly.
enum HandshakeMessage: Sendable {
    case helloRequest
    case clientHello(ClientHello)
    case serverHello(ServerHello)
    case certificate(CertificateMessage)
    case certificateRequest(CertificateRequest)
    case serverHelloDone
    case clientKeyExchange(ClientKeyExchange)
    case certificateVerify(CertificateVerify)
    case finished(Finished)

    /// The message's type code.
    var type: HandshakeType {
        switch self {
        case .helloRequest: .helloRequest
        case .clientHello: .clientHello
        case .serverHello: .serverHello
        case .certificate: .certificate
        case .certificateRequest: .certificateRequest
        case .serverHelloDone: .serverHelloDone
        case .clientKeyExchange: .clientKeyExchange
        case .certificateVerify: .certificateVerify
        case .finished: .finished
        }
    }

    /// The message with its 4-byte header (the bytes that go into the transcript).
    func encoded() -> [UInt8] {
        let body: [UInt8] =
            switch self {
            case .helloRequest, .serverHelloDone: []
            case .clientHello(let m): m.encodedBody()
            case .serverHello(let m): m.encodedBody()
            case .certificate(let m): m.encodedBody()
            case .certificateRequest(let m): m.encodedBody()
            case .clientKeyExchange(let m): m.encodedBody()
            case .certificateVerify(let m): m.encodedBody()
            case .finished(let m): m.encodedBody()
            }
        var out: [UInt8] = [type.rawValue]
        out.reserveCapacity(4 + body.count)
        out.appendVector24(body)
        return out
    }

    /// Decodes one whole message (header and body). Unknown types and messages we never
    /// accept (ServerKeyExchange: RSA key exchange has none) are `unexpected_message`. A
    /// Certificate message with more than `maximumCertificates` entries is refused before any
    /// of them is parsed.
    static func decode(_ bytes: [UInt8], maximumCertificates: Int = .max) throws(TLSError) -> HandshakeMessage {
        var r = ByteReader(bytes)
        let type = HandshakeType(rawValue: try r.u8("handshake type"))
        var body = try r.vector24("handshake body")
        try r.finish("handshake message")
        let message: HandshakeMessage
        switch type {
        case .helloRequest:
            try HelloRequest.decode(&body)
            message = .helloRequest
        case .clientHello: message = .clientHello(try ClientHello.decode(&body))
        case .serverHello: message = .serverHello(try ServerHello.decode(&body))
        case .certificate: message = .certificate(try CertificateMessage.decode(&body, maximumCount: maximumCertificates))
        case .certificateRequest: message = .certificateRequest(try CertificateRequest.decode(&body))
        case .serverHelloDone:
            try ServerHelloDone.decode(&body)
            message = .serverHelloDone
        case .clientKeyExchange: message = .clientKeyExchange(try ClientKeyExchange.decode(&body))
        case .certificateVerify: message = .certificateVerify(try CertificateVerify.decode(&body))
        case .finished: message = .finished(try Finished.decode(&body))
        default: throw .unexpected("unexpected handshake message \(type)")
        }
        try body.finish("\(type)")
        return message
    }
}
