import CryptoPrimitives
import TLSRecord
import X509

/// The parameters a handshake accumulates as it goes; passed from state to state.
struct Negotiation: Sendable {
    var transcript = Transcript()
    var clientRandom: [UInt8] = []
    var serverRandom: [UInt8] = []
    /// `ClientHello.client_version`, which the premaster carries (RFC 2246 §7.4.7.1).
    var clientVersion: UInt16 = 0x0301
    var suite: CipherSuite = .rsaWith3DESEDECBCSHA
    var compression: CompressionMethod = .null
    var sessionID: [UInt8] = []
    var extendedMasterSecret = false
    var secureRenegotiation = false
    /// The link being renegotiated, nil for a connection's first handshake.
    var previous: EstablishedLink?
    /// The peer's verified identity, once known.
    var peer: PeerIdentity?
    /// The SNI host name sent (client) or received (server).
    var serverName: String?
    /// The ALPN protocol agreed, if any.
    var applicationProtocol: String?
    /// Server: the chain and key presented in this handshake (chosen by SNI).
    var localIdentity: CertifiedKey? {
        get { identityBox?.identity }
        set { identityBox = newValue.map(IdentityBox.init) }
    }
    /// Boxed: the key is an existential (`any TLSPrivateKey`), which held inline would make
    /// every state carrying the negotiation address-only, copied through value witnesses
    /// (and copied whole to be switched on) at each step of the handshake.
    private var identityBox: IdentityBox?

    /// Adds `message` to the transcript and queues it for sending.
    mutating func send(_ message: HandshakeMessage, _ env: inout HandshakeEnvironment) {
        let bytes = message.encoded()
        transcript.add(bytes)
        env.actions.append(.handshake(bytes))
    }

    /// The traffic secrets for a master secret.
    func secrets(masterSecret: [UInt8]) -> TrafficSecrets {
        TrafficSecrets(suite: suite, masterSecret: masterSecret, clientRandom: clientRandom, serverRandom: serverRandom)
    }

    /// Writes the `SSLKEYLOGFILE` line for this handshake when the caller asked for it.
    func logKey(masterSecret: [UInt8], _ env: HandshakeEnvironment) {
        guard let log = env.config.keyLog else { return }
        log("CLIENT_RANDOM \(hex(clientRandom)) \(hex(masterSecret))")
    }

    /// The session this handshake establishes.
    func session(masterSecret: [UInt8], now: Int64, serverName: String?) -> TLSSession {
        TLSSession(
            sessionID: sessionID, cipherSuiteID: suite.id, compressionMethod: compression.rawValue,
            masterSecret: masterSecret, extendedMasterSecret: extendedMasterSecret,
            peerCertificates: peer?.der ?? [], peerVerified: peer?.verified ?? false,
            creationTime: now, serverName: serverName)
    }

    /// The public summary of this handshake.
    func info(resumed: Bool) -> SessionInfo {
        SessionInfo(
            version: .tls10, cipherSuite: suite, compression: compression, sessionID: sessionID,
            isResumed: resumed, extendedMasterSecret: extendedMasterSecret,
            secureRenegotiation: secureRenegotiation, peerCertificates: peer?.certificates ?? [],
            peerVerified: peer?.verified ?? false, isRenegotiation: previous != nil, serverName: serverName,
            applicationProtocol: applicationProtocol)
    }
}

/// A ``CertifiedKey`` behind one reference (see ``Negotiation/localIdentity``).
final class IdentityBox: Sendable {
    let identity: CertifiedKey
    init(_ identity: CertifiedKey) { self.identity = identity }
}

/// Lower-case hex, for the key log and the adapters' log metadata.
package func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 2)
    for b in bytes {
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
}
