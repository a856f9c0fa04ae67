import CryptoPrimitives
import TLSRecord
import X509

/// Waiting for ServerHello (RFC 2246 §7.4.1.3). Chooses, once, between the full and the
/// abbreviated handshake, and holds the RFC 5746 and RFC 7627 checks (STYLE.md §3).
struct ExpectServerHello: Sendable {
    var negotiation: Negotiation
    let offered: ClientHello
    let offeredSession: TLSSession?
    let serverName: String?

    func handle(_ input: HandshakeInput, _ env: inout HandshakeEnvironment) throws(TLSError) -> ClientState {
        guard case .message(.serverHello(let hello), let bytes) = input else {
            throw .unexpected("expected ServerHello, got \(input.name)")
        }
        var n = negotiation
        // Version: TLS 1.0 only (DESIGN.md §4).
        guard hello.serverVersion == ProtocolVersion.tls10.wireValue else {
            throw TLSError(.protocolVersion(HandshakeExplanation.serverVersion(hello.serverVersion)))
        }
        guard let suite = CipherSuite(id: hello.cipherSuite), offered.cipherSuites.contains(hello.cipherSuite) else {
            throw .illegal("the server chose cipher suite 0x\(String(hello.cipherSuite, radix: 16)), which we did not offer")
        }
        guard offered.compressionMethods.contains(hello.compressionMethod) else {
            throw .illegal("the server chose compression method \(hello.compressionMethod), which we did not offer")
        }
        // Only extensions we offered may come back (RFC 5246 §7.4.1.4).
        for e in hello.extensions.items where offered.extensions[e.type] == nil && e.type != .renegotiationInfo {
            throw TLSError(.unsupportedExtensionReply(e.type))
        }
        if offered.extensions[.serverName] != nil, let sni = hello.extensions[.serverName], !sni.data.isEmpty {
            throw .decode("the server's server_name extension must be empty (RFC 6066 §3)")
        }
        // RFC 7301 §3.1: exactly one protocol, one of those we offered.
        if let reply = try hello.extensions.applicationProtocols() {
            guard reply.count == 1, let name = reply.first, env.config.applicationProtocols.contains(where: { Array($0.utf8) == name }) else {
                throw .illegal("the server's ALPN reply is not one of the protocols we offered (RFC 7301 §3.1)")
            }
            n.applicationProtocol = String(decoding: name, as: UTF8.self)
        }
        try checkRenegotiationInfo(hello, &n)
        n.extendedMasterSecret = try hello.extensions.hasExtendedMasterSecret()
        if let previous = n.previous, previous.session.extendedMasterSecret, !n.extendedMasterSecret {
            throw .handshake("the server's renegotiation ServerHello drops the extended master secret (RFC 7627)")
        }
        n.serverRandom = hello.random
        n.suite = suite
        n.compression = CompressionMethod(rawValue: hello.compressionMethod)
        n.sessionID = hello.sessionID
        n.transcript.add(bytes)

        // Abbreviated handshake: the server echoed the session we offered (RFC 2246 §7.3).
        if let session = offeredSession, !hello.sessionID.isEmpty, hello.sessionID == session.sessionID {
            guard session.cipherSuiteID == suite.id, session.compressionMethod == hello.compressionMethod else {
                throw .illegal("the server resumed a session with a different cipher suite or compression")
            }
            // RFC 7627 §5.3: the EMS state of a resumed session must not change.
            guard session.extendedMasterSecret == n.extendedMasterSecret else {
                throw .handshake("the server resumed a session but changed its extended-master-secret state")
            }
            n.peer = PeerIdentity.restore(from: session)
            let secrets = n.secrets(masterSecret: session.masterSecret)
            n.logKey(masterSecret: session.masterSecret, env)
            return .expectServerChangeCipherSpec(
                ExpectServerChangeCipherSpec(negotiation: n, secrets: secrets, resumed: true, serverName: serverName))
        }
        return .expectServerCertificate(ExpectServerCertificate(negotiation: n, serverName: serverName))
    }

    /// RFC 5746 §3.4 (first handshake) and §3.5 (renegotiation).
    private func checkRenegotiationInfo(_ hello: ServerHello, _ n: inout Negotiation) throws(TLSError) {
        let info = try hello.extensions.renegotiatedConnection()
        if let previous = n.previous {
            guard previous.secureRenegotiation else {
                // Reached only with allowLegacyRenegotiation; the server must not claim support now.
                guard info == nil else {
                    throw TLSError(.insecureRenegotiation("renegotiation_info appeared in a renegotiation of an insecure connection"))
                }
                return
            }
            guard let info, info == previous.clientVerifyData + previous.serverVerifyData else {
                throw TLSError(.insecureRenegotiation("the server's renegotiation_info does not match the previous Finished messages"))
            }
            n.secureRenegotiation = true
        } else if let info {
            guard info.isEmpty else {
                throw TLSError(.insecureRenegotiation("the server's initial renegotiation_info is not empty"))
            }
            n.secureRenegotiation = true
        } else {
            n.secureRenegotiation = false
        }
    }
}
