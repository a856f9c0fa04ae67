import CryptoPrimitives
import TLSRecord
import X509

/// What a handshake state consumes: one decoded handshake message with its exact bytes
/// (for the transcript), or a ChangeCipherSpec record (RFC 2246 §7.1).
enum HandshakeInput: Sendable {
    case message(HandshakeMessage, bytes: [UInt8])
    case changeCipherSpec

    /// A short name for `unexpected_message` errors.
    var name: String {
        switch self {
        case .message(let m, _): "\(m.type)"
        case .changeCipherSpec: "ChangeCipherSpec"
        }
    }
}

/// What a state asks the driver to do, in order (the driver owns the record layer).
enum OutboundAction: Sendable {
    /// Send an encoded handshake message (already added to the transcript).
    case handshake([UInt8])
    /// Send ChangeCipherSpec, then write with these parameters (RFC 2246 §7.1).
    case changeCipherSpec(RecordProtectionParameters)
    /// A ChangeCipherSpec was received: read with these parameters from the next record on.
    case changeReadCipherSpec(RecordProtectionParameters)
    /// The handshake completed.
    case completed(SessionInfo)
}

/// The state-independent surroundings of a handshake step: configuration, time, and the
/// list of actions the step produces.
struct HandshakeEnvironment {
    let config: TLSConfiguration
    let now: Int64
    var actions: [OutboundAction] = []
}

/// What an established connection keeps for the next handshake on it: the RFC 5746
/// Finished values, the peer's identity (unchanged-certificate check) and the session.
struct EstablishedLink: Sendable {
    var clientVerifyData: [UInt8]
    var serverVerifyData: [UInt8]
    var secureRenegotiation: Bool
    var peer: PeerIdentity?
    var session: TLSSession
}

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
            peerVerified: peer?.verified ?? false, isRenegotiation: previous != nil)
    }
}

/// Proof that a peer's Finished verified (STYLE.md §3): only ``verify(received:expected:)``
/// can make one, and the traffic state requires it.
struct FinishedVerified: Sendable {
    /// The verified `verify_data`, kept for RFC 5746.
    let verifyData: [UInt8]

    fileprivate init(verifyData: [UInt8]) { self.verifyData = verifyData }

    /// Compares `received` with `expected` in constant time (RFC 2246 §7.4.9); a mismatch
    /// is `decrypt_error`.
    static func verify(received: Finished, expected: [UInt8]) throws(TLSError) -> FinishedVerified {
        guard ConstantTime.equal(received.verifyData, expected) else {
            throw TLSError(.decryptError("the peer's Finished verify_data is wrong"))
        }
        return FinishedVerified(verifyData: expected)
    }
}

/// Lower-case hex, for the key log.
func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 2)
    for b in bytes {
        out.append(digits[Int(b >> 4)])
        out.append(digits[Int(b & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
}
