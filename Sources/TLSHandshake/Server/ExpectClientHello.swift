import CryptoPrimitives
import TLSRecord
import X509

/// Waiting for ClientHello (RFC 2246 §7.4.1.2), for a first handshake or a renegotiation.
/// Chooses, once, between the full and the abbreviated handshake, and holds the version,
/// RFC 7507, RFC 5746 and RFC 7627 checks (STYLE.md §3).
struct ExpectClientHello: Sendable {
    /// The link being renegotiated, nil for the connection's first handshake.
    let previous: EstablishedLink?

    /// The highest protocol version we speak (RFC 7507 §3 compares against it).
    static let highestVersion = ProtocolVersion.tls10

    func handle(_ input: HandshakeInput, _ env: inout HandshakeEnvironment) throws(TLSError) -> ServerState {
        guard case .message(.clientHello(let hello), let bytes) = input else {
            throw .unexpected("expected ClientHello, got \(input.name)")
        }
        let config = env.config
        var n = Negotiation()
        n.previous = previous

        // Version (RFC 2246 Appendix E.1): answer any client_version ≥ 1.0 with 1.0.
        guard hello.clientVersion >= ProtocolVersion.tls10.wireValue else {
            throw TLSError(.protocolVersion(HandshakeExplanation.versionTooLow(clientVersion: hello.clientVersion)))
        }
        // RFC 7507 §3: abort only if our highest version is above the client's; a TLS 1.0-only
        // server therefore never does (the version check above already refused lower ones).
        if hello.cipherSuites.contains(CipherSuite.fallbackSCSV), hello.clientVersion < Self.highestVersion.wireValue {
            throw .explained(.inappropriateFallback, HandshakeExplanation.inappropriateFallback(clientVersion: hello.clientVersion))
        }
        try checkRenegotiationInfo(hello, &n, config)

        n.clientVersion = hello.clientVersion
        n.clientRandom = hello.random
        n.serverName = try hello.extensions.serverNameHost()
        n.localIdentity = config.identity(forServerName: n.serverName)
        n.applicationProtocol = try chooseApplicationProtocol(hello, config)
        n.suite = try chooseSuite(hello, config)
        n.compression = try chooseCompression(hello, config)
        let clientEMS = try hello.extensions.hasExtendedMasterSecret()
        // RFC 7627 §5.2 applied to renegotiation (as OpenSSL): a connection that used the
        // extended master secret keeps it.
        if let previous, previous.session.extendedMasterSecret, !clientEMS {
            throw .handshake("the renegotiating ClientHello drops the extended master secret (RFC 7627)")
        }
        let offersEMS = clientEMS && !config.options.contains(.disableExtendedMasterSecret)
        n.extendedMasterSecret = offersEMS
        n.transcript.add(bytes)
        n.serverRandom = config.random.bytes(32)

        if let session = try resumable(hello, serverName: n.serverName, offersEMS: offersEMS, env) {
            return resume(session, &n, &env)
        }
        return try full(&n, &env)
    }

    // MARK: Choices

    private func chooseSuite(_ hello: ClientHello, _ config: TLSConfiguration) throws(TLSError) -> CipherSuite {
        let ours = config.cipherSuites
        let choice: CipherSuite?
        if config.options.contains(.serverCipherPreference) {
            choice = ours.first { hello.cipherSuites.contains($0.id) }
        } else {
            choice = hello.cipherSuites.lazy.compactMap { id in ours.first { $0.id == id } }.first
        }
        guard let choice else {
            throw .explained(.handshakeFailure("no common cipher suite"), HandshakeExplanation.noCommonSuite(offered: hello.cipherSuites, ours: ours))
        }
        return choice
    }

    /// RFC 7301 §3.2: the first of our protocols that the client offers; an ALPN client that
    /// offers none of ours is refused with `no_application_protocol`. Without ALPN on either
    /// side there is none.
    private func chooseApplicationProtocol(_ hello: ClientHello, _ config: TLSConfiguration) throws(TLSError) -> String? {
        guard !config.applicationProtocols.isEmpty, let offered = try hello.extensions.applicationProtocols() else { return nil }
        guard let choice = config.applicationProtocols.first(where: { offered.contains(Array($0.utf8)) }) else {
            throw .explained(.noApplicationProtocol("the client offers no application protocol we speak"),
                             HandshakeExplanation.noCommonApplicationProtocol(offered: offered, ours: config.applicationProtocols))
        }
        return choice
    }

    private func chooseCompression(_ hello: ClientHello, _ config: TLSConfiguration) throws(TLSError) -> CompressionMethod {
        for m in config.compressionMethods where hello.compressionMethods.contains(m.rawValue) { return m }
        // Every client must offer null (RFC 2246 §7.4.1.2).
        throw .explained(.illegalParameter("the client does not offer the null compression method"),
                         HandshakeExplanation.noNullCompression(offered: hello.compressionMethods))
    }

    /// RFC 5746 §3.6 (first handshake) and §3.7 (renegotiation).
    private func checkRenegotiationInfo(_ hello: ClientHello, _ n: inout Negotiation, _ config: TLSConfiguration) throws(TLSError) {
        let info = try hello.extensions.renegotiatedConnection()
        let scsv = hello.cipherSuites.contains(CipherSuite.emptyRenegotiationInfoSCSV)
        guard let previous else {
            if let info, !info.isEmpty {
                throw TLSError(.insecureRenegotiation("the client's initial renegotiation_info is not empty"))
            }
            n.secureRenegotiation = info != nil || scsv
            return
        }
        if config.options.contains(.noRenegotiation) {
            throw .explained(.handshakeFailure("renegotiation is disabled"), HandshakeExplanation.renegotiationDisabled)
        }
        guard previous.secureRenegotiation else {
            guard config.options.contains(.allowLegacyRenegotiation) else {
                throw TLSError(.insecureRenegotiation("refusing renegotiation: the client does not support RFC 5746 secure renegotiation"))
            }
            n.secureRenegotiation = false
            return
        }
        guard !scsv else {
            throw TLSError(.insecureRenegotiation("the renegotiating ClientHello carries the SCSV (RFC 5746 §3.7)"))
        }
        guard let info, info == previous.clientVerifyData else {
            throw TLSError(.insecureRenegotiation("the client's renegotiation_info does not match the previous Finished"))
        }
        n.secureRenegotiation = true
    }

    /// The cached session the client asks for, if it may be resumed (RFC 2246 §7.4.1.2;
    /// RFC 7627 §5.3).
    private func resumable(
        _ hello: ClientHello, serverName: String?, offersEMS: Bool, _ env: HandshakeEnvironment
    ) throws(TLSError) -> TLSSession? {
        let config = env.config
        guard !hello.sessionID.isEmpty, !config.options.contains(.noResumption),
            let session = config.sessionStore.session(id: hello.sessionID, now: env.now),
            hello.cipherSuites.contains(session.cipherSuiteID),
            let suite = session.cipherSuite, config.cipherSuites.contains(suite),
            hello.compressionMethods.contains(session.compressionMethod),
            config.compressionMethods.contains(CompressionMethod(rawValue: session.compressionMethod)),
            // RFC 6066 §3: no resumption under a different server name (it chose the chain).
            session.serverName == serverName
        else { return nil }
        if session.extendedMasterSecret && !offersEMS {
            throw .handshake("the client resumes an extended-master-secret session without the extension (RFC 7627 §5.3)")
        }
        guard session.extendedMasterSecret == offersEMS else { return nil }  // full handshake instead
        // A renegotiation resumes only an EMS session of the same client identity (RFC 7627 §1,
        // the triple handshake); anything else gets a full handshake.
        if let previous, !session.extendedMasterSecret || session.peerCertificates.first != previous.peer?.der.first {
            return nil
        }
        // A session made without a verified client may not skip a now-required verification
        // (the resumed session keeps the identity it was made with, RFC 2246 §7.3).
        if config.certificateVerification == .requirePeerCertificate, !session.peerVerified { return nil }
        return session
    }

    // MARK: Flights

    private func serverHello(_ n: Negotiation, sessionID: [UInt8], acknowledgeServerName: Bool = false) -> ServerHello {
        var ext = HelloExtensions()
        // RFC 6066 §3: an empty server_name when the name was used, never when resuming.
        if acknowledgeServerName, n.serverName != nil { ext.items.append(.serverNameAcknowledgement) }
        if let name = n.applicationProtocol { ext.items.append(.applicationProtocols([name])) }
        if n.secureRenegotiation {
            let data = n.previous.map { $0.clientVerifyData + $0.serverVerifyData } ?? []
            ext.items.append(.renegotiationInfo(data))
        }
        if n.extendedMasterSecret { ext.items.append(.extendedMasterSecret) }
        return ServerHello(
            serverVersion: ProtocolVersion.tls10.wireValue, random: n.serverRandom, sessionID: sessionID,
            cipherSuite: n.suite.id, compressionMethod: n.compression.rawValue, extensions: ext)
    }

    /// RFC 2246 §7.3 Figure 2: ServerHello, ChangeCipherSpec, Finished.
    private func resume(_ session: TLSSession, _ n: inout Negotiation, _ env: inout HandshakeEnvironment) -> ServerState {
        n.sessionID = session.sessionID
        n.suite = session.cipherSuite ?? n.suite
        n.compression = CompressionMethod(rawValue: session.compressionMethod)
        n.peer = PeerIdentity.restore(from: session)
        n.send(.serverHello(serverHello(n, sessionID: session.sessionID)), &env)
        let secrets = n.secrets(masterSecret: session.masterSecret)
        n.logKey(masterSecret: session.masterSecret, env)
        env.actions.append(.changeCipherSpec(secrets.serverWriteParameters(compression: n.compression)))
        let verifyData = n.transcript.verifyData(masterSecret: session.masterSecret, label: .server)
        n.send(.finished(Finished(verifyData: verifyData)), &env)
        return .expectClientChangeCipherSpec(
            ExpectClientChangeCipherSpec(negotiation: n, secrets: secrets, resumed: true, serverVerifyData: verifyData))
    }

    /// RFC 2246 §7.3 Figure 1: ServerHello, Certificate, [CertificateRequest], ServerHelloDone.
    private func full(_ n: inout Negotiation, _ env: inout HandshakeEnvironment) throws(TLSError) -> ServerState {
        let config = env.config
        n.sessionID = config.options.contains(.noResumption) ? [] : config.random.bytes(32)
        n.send(.serverHello(serverHello(n, sessionID: n.sessionID, acknowledgeServerName: true)), &env)
        let chain = n.localIdentity?.certificateChain ?? config.certificateChain
        n.send(.certificate(CertificateMessage(certificates: chain.map(\.derBytes))), &env)

        // Verify once per session: a renegotiation of a verified link does not ask again.
        var request = config.requestsClientCertificate
        if request, config.verifyOncePerSession, let peer = previous?.peer, peer.verified {
            request = false
            n.peer = peer
        }
        if request {
            let names = PeerAuthentication.certificateAuthorityNames(config)
            n.send(.certificateRequest(CertificateRequest(certificateTypes: [CertificateRequest.rsaSign], certificateAuthorities: names)), &env)
        }
        n.send(.serverHelloDone, &env)
        if request {
            return .expectClientCertificate(ExpectClientCertificate(negotiation: n))
        }
        return .expectClientKeyExchange(ExpectClientKeyExchange(negotiation: n))
    }
}
