import CryptoPrimitives
import TLSRecord
import X509

/// Waiting for ClientKeyExchange (RFC 2246 §7.4.7.1).
///
/// Bleichenbacher-safe (DESIGN.md §6): ``TLSPrivateKey/decryptPremaster(_:clientVersion:random:)``
/// never fails; any padding, length or version error yields a random premaster in constant
/// time, so the failure shows only later, as one `bad_record_mac` on the client's Finished
/// record, identical for every kind of bad premaster.
struct ExpectClientKeyExchange: Sendable {
    var negotiation: Negotiation
    var expectsCertificateVerify = false

    func handle(_ input: HandshakeInput, _ env: inout HandshakeEnvironment) throws(TLSError) -> ServerState {
        guard case .message(.clientKeyExchange(let cke), let bytes) = input else {
            throw .unexpected("expected ClientKeyExchange, got \(input.name)")
        }
        let config = env.config
        guard let key = negotiation.localIdentity?.privateKey ?? config.privateKey else { throw TLSError(.internalError("the server has no private key")) }
        var n = negotiation
        n.transcript.add(bytes)
        let next = AwaitPremaster(negotiation: n, expectsCertificateVerify: expectsCertificateVerify)
        let operation = PrivateKeyOperation(
            kind: .decryptPremaster(ciphertext: cke.encryptedPreMasterSecret, clientVersion: n.clientVersion),
            key: key, random: config.random)
        if env.defersPrivateKeyOperations {
            env.privateKeyOperation = operation
            return .awaitPremaster(next)
        }
        return try next.finish(premaster: try operation.perform(), &env)
    }
}

/// The premaster decryption is running off the engine (an adapter's thread pool or HSM,
/// ``PrivateKeyOperation``); no message is accepted until its result is in.
struct AwaitPremaster: Sendable {
    var negotiation: Negotiation
    var expectsCertificateVerify: Bool

    func finish(premaster decrypted: [UInt8], _ env: inout HandshakeEnvironment) throws(TLSError) -> ServerState {
        var premaster = decrypted
        defer { SecureMemory.wipe(&premaster) }
        // A key that breaks the contract (48 bytes, always) is an internal error, not the peer's.
        guard premaster.count == 48 else {
            throw TLSError(.internalError("the private key returned a premaster of \(premaster.count) bytes"))
        }
        let n = negotiation
        // RFC 7627 §4: the session hash covers the messages up to ClientKeyExchange.
        let master = TrafficSecrets.masterSecret(
            preMasterSecret: premaster, clientRandom: n.clientRandom, serverRandom: n.serverRandom,
            sessionHash: n.extendedMasterSecret ? n.transcript.hash : nil)
        let secrets = n.secrets(masterSecret: master)
        n.logKey(masterSecret: master, env)
        if expectsCertificateVerify {
            return .expectCertificateVerify(ExpectCertificateVerify(negotiation: n, secrets: secrets))
        }
        return .expectClientChangeCipherSpec(ExpectClientChangeCipherSpec(negotiation: n, secrets: secrets, resumed: false))
    }
}
