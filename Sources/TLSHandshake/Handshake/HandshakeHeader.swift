import TLSRecord

/// The 4-byte header of a handshake message (`msg_type(1) length(3)`, RFC 2246 §7.4), judged
/// before the body is buffered or parsed: first the type against what the current state
/// accepts (`unexpected_message`), then the length against that type's own bound.
struct HandshakeHeader {
    let type: HandshakeType
    let length: Int

    /// The header at the start of `buffer`, or nil while fewer than 4 bytes are there.
    init?(_ buffer: [UInt8]) {
        guard buffer.count >= 4 else { return nil }
        type = HandshakeType(rawValue: buffer[0])
        length = Int(buffer[1]) << 16 | Int(buffer[2]) << 8 | Int(buffer[3])
    }

    /// Type before body: a type the state does not accept is `unexpected_message` whatever
    /// follows; `decode_error` is only for a length no well-formed message of an accepted type
    /// can have. Certificate lists past the configured bound are refused as certificates
    /// (`bad_certificate`); an oversized CertificateRequest is `illegal_parameter` (OpenSSL's
    /// alert for an excessive message size).
    func check(accepted: HandshakeTypeSet, limits: TLSLimits) throws(TLSError) {
        guard accepted.contains(type) else {
            throw .unexpected("unexpected \(type) (expected \(Self.names(accepted)))")
        }
        switch type {
        case .helloRequest, .serverHelloDone:
            try exactly(0)
        case .finished:
            try exactly(TLSLimits.finishedBytes)
        case .clientHello:
            try atMost(TLSLimits.clientHelloBytes)
        case .serverHello:
            try atMost(TLSLimits.serverHelloBytes)
        case .clientKeyExchange, .certificateVerify:
            try atMost(TLSLimits.rsaBlockMessageBytes)
        case .certificate:
            guard length <= limits.certificateMessageBytes else {
                let m = "a Certificate message of \(length) bytes exceeds the limit of \(limits.certificateMessageBytes)"
                throw .explained(.badCertificate(m), HandshakeExplanation.certificateLimit("is \(length) bytes long, more than \(limits.certificateMessageBytes)"))
            }
        case .certificateRequest:
            guard length <= limits.certificateMessageBytes else {
                throw .explained(.illegalParameter("a CertificateRequest of \(length) bytes exceeds the limit of \(limits.certificateMessageBytes)"),
                                 HandshakeExplanation.certificateRequestLimit(length: length, limit: limits.certificateMessageBytes))
            }
        default:
            throw .unexpected("unexpected \(type)")
        }
    }

    private func exactly(_ size: Int) throws(TLSError) {
        guard length == size else { throw .decode("\(type) must have \(size) bytes, not \(length)") }
    }

    private func atMost(_ size: Int) throws(TLSError) {
        guard length <= size else { throw .decode("a \(type) of \(length) bytes is longer than any well-formed one (\(size))") }
    }

    private static func names(_ types: HandshakeTypeSet) -> String {
        types.isEmpty ? "no handshake message" : types.members.map(\.description).sorted().joined(separator: " or ")
    }
}
