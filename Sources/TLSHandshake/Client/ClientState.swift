import CryptoPrimitives
import TLSRecord
import X509

/// The client handshake states (RFC 2246 §7.3, Figure 1 and 2), one struct each (STYLE.md §3).
///
/// ```
/// full:    ClientHello → ExpectServerHello → ExpectServerCertificate → ExpectServerHelloDone
///          (→ Certificate, ClientKeyExchange, CertificateVerify, CCS, Finished)
///          → ExpectServerChangeCipherSpec → ExpectServerFinished → traffic
/// resumed: ClientHello → ExpectServerHello → ExpectServerChangeCipherSpec → ExpectServerFinished
///          (→ CCS, Finished) → traffic
/// ```
enum ClientState: Sendable {
    case expectServerHello(ExpectServerHello)
    case expectServerCertificate(ExpectServerCertificate)
    case expectServerHelloDone(ExpectServerHelloDone)
    case awaitCertificateVerifySignature(AwaitCertificateVerifySignature)
    case expectServerChangeCipherSpec(ExpectServerChangeCipherSpec)
    case expectServerFinished(ExpectServerFinished)
    case traffic(Traffic)
    case failed
}

/// Starts a client handshake: builds and queues the ClientHello (RFC 2246 §7.4.1.2).
enum ClientHandshake {
    /// `resuming` offers a cached session; `previous` is the link being renegotiated.
    static func start(
        serverName: String?, resuming: TLSSession?, previous: EstablishedLink?,
        _ env: inout HandshakeEnvironment
    ) -> ClientState {
        let config = env.config
        var n = Negotiation()
        n.previous = previous
        n.clientRandom = config.random.bytes(32)
        n.clientVersion = ProtocolVersion.tls10.wireValue

        // Offer a session only if it is still usable with our current settings.
        var offered: TLSSession? = nil
        if let s = resuming, !config.options.contains(.noResumption), !s.sessionID.isEmpty,
            let suite = s.cipherSuite, config.cipherSuites.contains(suite),
            config.compressionMethods.contains(CompressionMethod(rawValue: s.compressionMethod))
        {
            offered = s
        }

        var suites = config.cipherSuites.map(\.id)
        var extensions = HelloExtensions()
        if let serverName, !serverName.isEmpty, Certificate.ipAddressBytes(serverName) == nil {
            extensions.items.append(.serverName(serverName))
            n.serverName = serverName
        }
        if !config.applicationProtocols.isEmpty {
            extensions.items.append(.applicationProtocols(config.applicationProtocols))  // RFC 7301 §3.1
        }
        if !config.options.contains(.disableExtendedMasterSecret) {
            extensions.items.append(.extendedMasterSecret)
        }
        if let previous {
            // RFC 5746 §3.5: a renegotiating client sends its previous verify_data.
            if previous.secureRenegotiation {
                extensions.items.append(.renegotiationInfo(previous.clientVerifyData))
            }
        } else if !config.actsAsLegacyClient {
            suites.append(CipherSuite.emptyRenegotiationInfoSCSV)  // RFC 5746 §3.4
        }
        let hello = ClientHello(
            clientVersion: n.clientVersion, random: n.clientRandom, sessionID: offered?.sessionID ?? [],
            cipherSuites: suites, compressionMethods: config.compressionMethods.map(\.rawValue),
            extensions: extensions)
        n.send(.clientHello(hello), &env)
        return .expectServerHello(
            ExpectServerHello(negotiation: n, offered: hello, offeredSession: offered, serverName: serverName))
    }
}

extension ClientState {
    /// The handshake message types this state accepts, decided from the type byte before the
    /// body is parsed: any other type is `unexpected_message` (DESIGN.md §2). HelloRequest is
    /// accepted everywhere: it renegotiates in traffic and is ignored mid-handshake
    /// (RFC 2246 §7.4.1.1).
    var acceptedHandshakeTypes: HandshakeTypeSet {
        switch self {
        case .expectServerHello: [.helloRequest, .serverHello]
        case .expectServerCertificate: [.helloRequest, .certificate]
        case .expectServerHelloDone(let s): s.request == nil
            ? [.helloRequest, .certificateRequest, .serverHelloDone] : [.helloRequest, .serverHelloDone]
        case .awaitCertificateVerifySignature: [.helloRequest]  // input waits until the signature is in
        case .expectServerChangeCipherSpec: [.helloRequest]
        case .expectServerFinished: [.helloRequest, .finished]
        case .traffic: [.helloRequest]
        case .failed: []
        }
    }
}
