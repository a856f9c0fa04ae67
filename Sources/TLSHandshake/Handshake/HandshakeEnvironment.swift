import CryptoPrimitives
import TLSRecord
import X509

/// The state-independent surroundings of a handshake step: configuration, time, and the
/// list of actions the step produces.
struct HandshakeEnvironment {
    let config: TLSConfiguration
    let now: Int64
    var actions: [OutboundAction] = []
}
