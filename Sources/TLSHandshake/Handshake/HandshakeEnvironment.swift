import CryptoPrimitives
import TLSRecord
import X509

/// The state-independent surroundings of a handshake step: configuration, time, and the
/// list of actions the step produces.
struct HandshakeEnvironment {
    let config: TLSConfiguration
    let now: Int64
    var actions: [OutboundAction] = []
    /// Whether a step that needs the private key hands the operation out instead of running it.
    var defersPrivateKeyOperations = false
    /// The operation a step handed out; the driver reports it and waits for the result.
    var privateKeyOperation: PrivateKeyOperation?
}
