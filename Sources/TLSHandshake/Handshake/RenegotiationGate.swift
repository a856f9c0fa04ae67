/// A server's admission of client-initiated renegotiations (review F5: each one costs an RSA
/// private operation): none unless ``TLSOptions/allowClientRenegotiation``, then at most
/// ``TLSLimits/clientRenegotiationsPerMinute`` within any 60 seconds of the configuration's clock.
struct RenegotiationGate: Sendable {
    /// When accepted renegotiations started (seconds), within the window.
    private var accepted: [Int64] = []

    mutating func admit(_ config: TLSConfiguration) -> Bool {
        guard config.options.contains(.allowClientRenegotiation), !config.options.contains(.noRenegotiation) else {
            return false
        }
        let now = config.currentTime()
        accepted.removeAll { now - $0 >= TLSLimits.renegotiationWindowSeconds || $0 > now }
        guard accepted.count < config.limits.clientRenegotiationsPerMinute else { return false }
        accepted.append(now)
        return true
    }
}
