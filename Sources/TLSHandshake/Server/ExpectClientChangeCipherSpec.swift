import CryptoPrimitives
import TLSRecord
import X509

/// Waiting for the client's ChangeCipherSpec (RFC 2246 §7.1).
struct ExpectClientChangeCipherSpec: Sendable {
    var negotiation: Negotiation
    let secrets: TrafficSecrets
    let resumed: Bool
    var serverVerifyData: [UInt8] = []

    func handle(_ input: HandshakeInput, _ env: inout HandshakeEnvironment) throws(TLSError) -> ServerState {
        guard case .changeCipherSpec = input else {
            throw .unexpected("expected ChangeCipherSpec, got \(input.name)")
        }
        env.actions.append(.changeReadCipherSpec(secrets.clientWriteParameters(compression: negotiation.compression)))
        return .expectClientFinished(
            ExpectClientFinished(negotiation: negotiation, secrets: secrets, resumed: resumed, serverVerifyData: serverVerifyData))
    }
}
