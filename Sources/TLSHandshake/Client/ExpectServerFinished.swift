import CryptoPrimitives
import TLSRecord
import X509

/// Waiting for the server's Finished (RFC 2246 §7.4.9), checked in constant time. In an
/// abbreviated handshake the client then sends its own ChangeCipherSpec and Finished.
struct ExpectServerFinished: Sendable {
    var negotiation: Negotiation
    let secrets: TrafficSecrets
    let resumed: Bool
    let serverName: String?
    let clientVerifyData: [UInt8]

    func handle(_ input: HandshakeInput, _ env: inout HandshakeEnvironment) throws(TLSError) -> ClientState {
        guard case .message(.finished(let finished), let bytes) = input else {
            throw .unexpected("expected the server's Finished, got \(input.name)")
        }
        var n = negotiation
        let master = secrets.masterSecret
        let proof = try FinishedVerified.verify(
            received: finished, expected: n.transcript.verifyData(masterSecret: master, label: .server))
        n.transcript.add(bytes)

        var clientVerify = clientVerifyData
        if resumed {
            env.actions.append(.changeCipherSpec(secrets.clientWriteParameters(compression: n.compression)))
            clientVerify = n.transcript.verifyData(masterSecret: master, label: .client)
            n.send(.finished(Finished(verifyData: clientVerify)), &env)
        }
        let session = n.session(masterSecret: master, now: env.now, serverName: serverName)
        env.actions.append(.completed(n.info(resumed: resumed)))
        let link = EstablishedLink(
            clientVerifyData: clientVerify, serverVerifyData: proof.verifyData,
            secureRenegotiation: n.secureRenegotiation, peer: n.peer, session: session)
        return .traffic(Traffic(link: link, finished: proof))
    }
}
