import CryptoPrimitives
import TLSRecord
import X509

/// Waiting for ServerHelloDone, with at most one CertificateRequest before it
/// (RFC 2246 §7.4.4, §7.4.5). ServerKeyExchange never comes with RSA key exchange.
/// On ServerHelloDone the client sends its whole flight (§7.4.6 to §7.4.9):
/// [Certificate] ClientKeyExchange [CertificateVerify] ChangeCipherSpec Finished.
struct ExpectServerHelloDone: Sendable {
    var negotiation: Negotiation
    let request: CertificateRequest?
    let serverName: String?

    func handle(_ input: HandshakeInput, _ env: inout HandshakeEnvironment) throws(TLSError) -> ClientState {
        var n = negotiation
        switch input {
        case .message(.certificateRequest(let req), let bytes) where request == nil:
            guard req.certificateTypes.contains(CertificateRequest.rsaSign) else {
                throw .explained(.handshakeFailure("the server requested a certificate type other than rsa_sign"),
                                 HandshakeExplanation.noRSASignType(req.certificateTypes))
            }
            n.transcript.add(bytes)
            return .expectServerHelloDone(ExpectServerHelloDone(negotiation: n, request: req, serverName: serverName))
        case .message(.serverHelloDone, let bytes):
            n.transcript.add(bytes)
            return try sendFlight(&n, &env)
        default:
            throw .unexpected("expected CertificateRequest or ServerHelloDone, got \(input.name)")
        }
    }

    private func sendFlight(_ n: inout Negotiation, _ env: inout HandshakeEnvironment) throws(TLSError) -> ClientState {
        let config = env.config
        guard let serverKey = n.peer?.publicKey else { throw TLSError(.internalError("no server key")) }

        // §7.4.6: a requested client sends its chain, or an empty one if it has none.
        let signing = request != nil && !config.certificateChain.isEmpty ? config.privateKey : nil
        if request != nil {
            n.send(.certificate(CertificateMessage(certificates: signing == nil ? [] : config.certificateChain.map(\.derBytes))), &env)
        }

        // §7.4.7.1: premaster = client_version ‖ 46 random bytes, RSA-encrypted.
        var premaster = [UInt8(n.clientVersion >> 8), UInt8(truncatingIfNeeded: n.clientVersion)]
        premaster += config.random.bytes(46)
        defer { SecureMemory.wipe(&premaster) }
        let encrypted: [UInt8]
        do {
            encrypted = try serverKey.encryptPKCS1v15(premaster, random: config.random)
        } catch {
            throw TLSError(.internalError("RSA encryption of the premaster failed: \(error.message)"))
        }
        n.send(.clientKeyExchange(ClientKeyExchange(encryptedPreMasterSecret: encrypted)), &env)

        // RFC 7627 §4: the session hash covers the messages up to ClientKeyExchange.
        let master = TrafficSecrets.masterSecret(
            preMasterSecret: premaster, clientRandom: n.clientRandom, serverRandom: n.serverRandom,
            sessionHash: n.extendedMasterSecret ? n.transcript.hash : nil)

        // §7.4.8: CertificateVerify signs the hash of everything before it.
        let next = AwaitCertificateVerifySignature(negotiation: n, masterSecret: master, serverName: serverName)
        guard let key = signing else { return next.finish(signature: nil, &env) }
        let operation = PrivateKeyOperation(kind: .signHandshakeHash(n.transcript.hash), key: key, random: config.random)
        if env.defersPrivateKeyOperations {
            env.privateKeyOperation = operation
            return .awaitCertificateVerifySignature(next)
        }
        return next.finish(signature: try operation.perform(), &env)
    }
}

/// The client's flight up to ClientKeyExchange is out; the CertificateVerify signature is
/// running off the engine (``PrivateKeyOperation``), or, inline, has just been made. The
/// rest of the flight follows it: [CertificateVerify] ChangeCipherSpec Finished (§7.4.8, §7.4.9).
struct AwaitCertificateVerifySignature: Sendable {
    var negotiation: Negotiation
    let masterSecret: [UInt8]
    let serverName: String?

    func finish(signature: [UInt8]?, _ env: inout HandshakeEnvironment) -> ClientState {
        var n = negotiation
        if let signature {
            n.send(.certificateVerify(CertificateVerify(signature: signature)), &env)
        }
        let secrets = n.secrets(masterSecret: masterSecret)
        n.logKey(masterSecret: masterSecret, env)
        env.actions.append(.changeCipherSpec(secrets.clientWriteParameters(compression: n.compression)))
        let verifyData = n.transcript.verifyData(masterSecret: masterSecret, label: .client)
        n.send(.finished(Finished(verifyData: verifyData)), &env)
        return .expectServerChangeCipherSpec(
            ExpectServerChangeCipherSpec(
                negotiation: n, secrets: secrets, resumed: false, serverName: serverName,
                clientVerifyData: verifyData))
    }
}
