import TLSRecord
import X509

/// What one side has seen of a handshake, kept so that a failure, above all a fatal alert
/// from the peer, can be explained in terms of what the peer offered (HandshakeExplanation).
struct HandshakeContext: Sendable {
    /// Which side we are.
    let role: ConnectionEnd
    /// The first bytes the peer sent (to recognise a peer that does not speak TLS).
    private(set) var firstBytes: [UInt8] = []
    /// Server: the client's offer.
    private(set) var clientHello: ClientHello?
    /// Client: the server's answer.
    private(set) var serverHello: ServerHello?
    /// Client: the server asked for our certificate.
    private(set) var certificateRequested = false
    /// The last handshake message received, by name.
    private(set) var lastMessage: String?

    init(role: ConnectionEnd) { self.role = role }

    /// Notes bytes from the network (only the first 16 are kept).
    mutating func note(received bytes: [UInt8]) {
        if firstBytes.count < 16 { firstBytes += bytes.prefix(16 - firstBytes.count) }
    }

    /// Notes a handshake input before it is processed.
    mutating func note(_ input: HandshakeInput) {
        guard case .message(let message, _) = input else { return }
        lastMessage = input.name
        switch message {
        case .clientHello(let hello): clientHello = hello
        case .serverHello(let hello): serverHello = hello
        case .certificateRequest: certificateRequested = true
        default: break
        }
    }

    /// `error` with an explanation added when one can be given.
    func explain(_ error: TLSError, config: TLSConfiguration) -> TLSError {
        guard error.explanation == nil else { return error }
        var explained = error
        if let alert = error.alert, error.isPeerAlert {
            explained.explanation = peerAlert(alert, config: config)
        } else if case .record = error.cause, lastMessage == nil, let text = notTLS() {
            explained.explanation = text
        } else if error.alert != nil {
            explained.explanation = HandshakeExplanation.refusal(error, peer: role == .server ? .client : .server, last: lastMessage, config: config)
        }
        return explained
    }

    // MARK: Fatal alerts from the peer

    private func peerAlert(_ alert: AlertDescription, config: TLSConfiguration) -> String? {
        role == .server ? clientAlert(alert, config: config) : serverAlert(alert, config: config)
    }

    /// We are the server; the client sent `alert`.
    private func clientAlert(_ alert: AlertDescription, config: TLSConfiguration) -> String? {
        guard let hello = clientHello else { return nil }
        let offer = "it offered \(offeredVersions(hello)) with \(HandshakeExplanation.suiteList(hello.cipherSuites))"
        switch alert {
        case .protocolVersion:
            return "the client refuses our TLS 1.0 answer: \(offer), and does not fall back to TLS 1.0; we speak TLS 1.0 only (the device needs a TLS 1.0 profile, PS3.15 B.1/B.3)"
        case .handshakeFailure, .insufficientSecurity, .illegalParameter:
            return "the client refused the parameters we chose (TLS 1.0, \(config.cipherSuites.map(\.name).joined(separator: "/"))): \(offer)"
        case .unknownCA, .badCertificate, .certificateUnknown, .unsupportedCertificate, .certificateExpired, .certificateRevoked,
            .accessDenied:
            return "the client rejected our certificate (\(alert)): check that it trusts the CA that issued \(config.certificateChain.first.map { "\($0.subject)" } ?? "our certificate"), that the name it connects to is in the certificate, and its validity"
        case .decryptError, .badRecordMAC, .decryptionFailed:
            return "the client could not verify our handshake (\(alert)) after we chose TLS 1.0 with \(config.cipherSuites.first?.name ?? "our suite"): a key mismatch, or an implementation fault on one side"
        default:
            return nil
        }
    }

    /// We are the client; the server sent `alert`.
    private func serverAlert(_ alert: AlertDescription, config: TLSConfiguration) -> String? {
        let ours = config.cipherSuites.map(\.name).joined(separator: ", ")
        guard serverHello != nil else {
            switch alert {
            case .protocolVersion:
                return "the server refuses TLS 1.0, the only version we offer (client_version 0x0301); it needs TLS 1.2 or newer (a BCP 195 device, PS3.15 B.9–B.13)"
            case .handshakeFailure, .insufficientSecurity:
                return "the server accepts none of our offer: TLS 1.0 with \(ours); it needs other cipher suites or a newer TLS version"
            default:
                return nil
            }
        }
        switch alert {
        case .handshakeFailure where certificateRequested && config.certificateChain.isEmpty:
            return "the server requires a client certificate and we have none to send (give --cert and --key)"
        case .unknownCA, .badCertificate, .certificateUnknown, .unsupportedCertificate, .certificateExpired, .certificateRevoked,
            .accessDenied:
            return rejectedClientCertificate(alert, config: config)
        case .handshakeFailure where certificateRequested:
            return rejectedClientCertificate(alert, config: config)
        case .decryptError, .badRecordMAC, .decryptionFailed:
            return "the server could not verify our handshake (\(alert)): a key mismatch, or an implementation fault on one side"
        default:
            return nil
        }
    }

    private func rejectedClientCertificate(_ alert: AlertDescription, config: TLSConfiguration) -> String {
        let who = config.certificateChain.first.map { "\($0.subject)" } ?? "none"
        return "the server rejected our client certificate (\(alert)); we sent \(who): check that the server trusts its CA and that it is valid"
    }

    // MARK: Peers that are not speaking TLS

    private func notTLS() -> String? {
        // A TLS record type (change_cipher_spec … application_data) is TLS, if a broken one.
        guard let first = firstBytes.first, !(20...23).contains(first) else { return nil }
        let hex = firstBytes.prefix(8).map { b in
            let s = String(b, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined(separator: " ")
        let text = String(decoding: firstBytes.prefix(8), as: UTF8.self)
        let what: String
        switch first {
        case 0x01 where role == .server: what = "a DICOM A-ASSOCIATE-RQ PDU: the client speaks plain DICOM to this TLS port"
        case 0x02 where role == .client, 0x03 where role == .client: what = "a DICOM A-ASSOCIATE-AC/RJ PDU: the server speaks plain DICOM, not TLS"
        case 0x07: what = "a DICOM A-ABORT PDU: the peer speaks plain DICOM, not TLS"
        default:
            if ["GET ", "POST", "HEAD", "HTTP"].contains(where: text.hasPrefix) {
                what = "HTTP: the peer speaks plain HTTP, not TLS"
            } else {
                return "the peer's first bytes (\(hex)) are not a TLS record: is it speaking TLS on this port?"
            }
        }
        return "the peer is not speaking TLS: its first bytes (\(hex)) look like \(what)"
    }

    /// "TLS 1.2 (client_version 0x0303; supported_versions TLS 1.3, TLS 1.2)".
    private func offeredVersions(_ hello: ClientHello) -> String {
        var text = "\(ProtocolVersion(wireValue: hello.clientVersion)) (client_version \(CipherSuiteNames.hex16(hello.clientVersion))"
        if let ext = hello.extensions[ExtensionType(rawValue: 43)], let count = ext.data.first, Int(count) + 1 == ext.data.count, count % 2 == 0 {
            var versions: [String] = []
            for i in stride(from: 1, to: ext.data.count, by: 2) {
                let v = UInt16(ext.data[i]) << 8 | UInt16(ext.data[i + 1])
                if v & 0x0F0F == 0x0A0A { continue }  // GREASE (RFC 8701)
                versions.append(v == 0x0304 ? "TLS 1.3" : ProtocolVersion(wireValue: v).description)
            }
            text += "; supported_versions \(versions.joined(separator: ", "))"
        }
        return text + ")"
    }
}
