import CryptoPrimitives
import TLSRecord
import X509

/// Waiting for the client's Finished (RFC 2246 §7.4.9), checked in constant time. In a full
/// handshake the server then sends ChangeCipherSpec and its Finished, and caches the session.
struct ExpectClientFinished: Sendable {
    var negotiation: Negotiation
    let secrets: TrafficSecrets
    let resumed: Bool
    let serverVerifyData: [UInt8]

    func handle(_ input: HandshakeInput, _ env: inout HandshakeEnvironment) throws(TLSError) -> ServerState {
        guard case .message(.finished(let finished), let bytes) = input else {
            throw .unexpected("expected the client's Finished, got \(input.name)")
        }
        var n = negotiation
        let master = secrets.masterSecret
        let proof = try FinishedVerified.verify(
            received: finished, expected: n.transcript.verifyData(masterSecret: master, label: .client))
        n.transcript.add(bytes)

        var serverVerify = serverVerifyData
        if !resumed {
            env.actions.append(.changeCipherSpec(secrets.serverWriteParameters(compression: n.compression)))
            serverVerify = n.transcript.verifyData(masterSecret: master, label: .server)
            n.send(.finished(Finished(verifyData: serverVerify)), &env)
        }
        let session = n.session(masterSecret: master, now: env.now, serverName: n.serverName)
        if !resumed, !session.sessionID.isEmpty {
            env.config.sessionStore.store(session)
        }
        env.actions.append(.completed(n.info(resumed: resumed)))
        let link = EstablishedLink(
            clientVerifyData: proof.verifyData, serverVerifyData: serverVerify,
            secureRenegotiation: n.secureRenegotiation, peer: n.peer, session: session)
        return .traffic(Traffic(link: link, finished: proof))
    }
}
