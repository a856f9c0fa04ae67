import CryptoPrimitives
import TLSRecord
import X509

/// Waiting for the server's ChangeCipherSpec (RFC 2246 §7.1): from the next record on,
/// the server writes with the new keys. A Finished before it is `unexpected_message`.
struct ExpectServerChangeCipherSpec: Sendable {
    var negotiation: Negotiation
    let secrets: TrafficSecrets
    let resumed: Bool
    let serverName: String?
    var clientVerifyData: [UInt8] = []

    func handle(_ input: HandshakeInput, _ env: inout HandshakeEnvironment) throws(TLSError) -> ClientState {
        guard case .changeCipherSpec = input else {
            throw .unexpected("expected ChangeCipherSpec, got \(input.name)")
        }
        env.actions.append(.changeReadCipherSpec(secrets.serverWriteParameters(compression: negotiation.compression)))
        return .expectServerFinished(
            ExpectServerFinished(
                negotiation: negotiation, secrets: secrets, resumed: resumed, serverName: serverName,
                clientVerifyData: clientVerifyData))
    }
}
