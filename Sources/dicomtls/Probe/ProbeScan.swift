import TLSHandshake
import TLSSockets
import TLSRecord

/// Sends ClientHellos to one server and records what it accepts: versions, suites per
/// version in the server's order, compression, extensions, and its certificate chain.
/// Every connection has a deadline and the whole scan a budget of connections and time.
struct ProbeScan {
    let host: String
    let port: UInt16
    let serverName: String?
    let connectTimeout: Duration
    let deadline: ContinuousClock.Instant
    /// At most this many connections per scan (hostile or slow servers).
    static let maximumConnections = 120
    /// At most this many bytes are read per connection.
    static let maximumResponse = 1 << 16

    private(set) var connections = 0
    private(set) var notes: [String] = []

    /// One ClientHello, one answer.
    mutating func ask(_ offer: ProbeWire.Offer) -> ProbeWire.Answer? {
        guard connections < Self.maximumConnections, ContinuousClock.now < deadline else {
            note("probe budget reached (\(connections) connections); later results are incomplete")
            return nil
        }
        connections += 1
        let socket: TCPSocket
        do {
            socket = try TCPSocket.connect(host: host, port: port, timeout: connectTimeout)
        } catch {
            note("connection failed: \(error.message)")
            return nil
        }
        defer { socket.close() }
        let until = min(deadline, ContinuousClock.now.advanced(by: connectTimeout))
        do {
            try socket.write(ProbeWire.clientHello(offer), deadline: until)
        } catch {
            return .closed
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while received.count < Self.maximumResponse {
            let n: Int
            do { n = try socket.read(into: &buffer, deadline: until) } catch { break }
            if n == 0 { break }
            received += buffer[0..<n]
            if let answer = ProbeWire.parse(received, complete: false) { return answer }
        }
        return ProbeWire.parse(received, complete: true)
    }

    private mutating func note(_ text: String) {
        if !notes.contains(text) { notes.append(text) }
    }

    /// The suites `version` accepts, in the order the server picks them, found by offering
    /// every candidate and removing each choice; plus the first ServerHello and chain seen.
    mutating func suites(at version: ProbeVersion) -> VersionResult {
        var result = VersionResult(version: version)
        var candidates = ProbeSuite.offered(at: version).map(\.id)
        while !candidates.isEmpty {
            let compression: [UInt8] = result.accepted.isEmpty && version != .tls13 ? [1, 0] : [0]
            var offer = ProbeWire.Offer(version: version, suites: candidates, serverName: serverName, compression: compression)
            if version != .tls13 { offer.suites.append(0x00FF) }
            guard let answer = ask(offer) else { break }
            switch answer {
            case .serverHello(let hello, let certificates):
                guard hello.version == version.wire, candidates.contains(hello.suite) else {
                    if result.accepted.isEmpty {
                        result.refusal = "answered with \(ProbeVersion(wire: hello.version)?.rawValue ?? CipherSuiteNames.hex16(hello.version))"
                    }
                    return result
                }
                if result.firstHello == nil {
                    result.firstHello = hello
                    result.certificates = certificates
                }
                result.accepted.append(hello.suite)
                candidates.removeAll { $0 == hello.suite }
            case .alert(_, let description):
                if result.accepted.isEmpty { result.refusal = "alert \(AlertDescription(rawValue: description))" }
                return result
            case .closed:
                if result.accepted.isEmpty { result.refusal = "connection closed" }
                return result
            case .notTLS(let bytes):
                result.refusal = "not TLS (first bytes \(bytes.map { String($0, radix: 16) }.joined(separator: " ")))"
                return result
            }
        }
        return result
    }

    /// Whether the server keeps its own order: offered the accepted suites reversed, does it
    /// still choose its first one? Nil when it cannot tell (fewer than two suites).
    mutating func serverChoosesOrder(_ result: VersionResult) -> Bool? {
        guard result.accepted.count >= 2 else { return nil }
        var offer = ProbeWire.Offer(version: result.version, suites: result.accepted.reversed(), serverName: serverName)
        if result.version != .tls13 { offer.suites.append(0x00FF) }
        guard case .serverHello(let hello, _)? = ask(offer) else { return nil }
        return hello.suite == result.accepted.first
    }
}

/// What one protocol version gave.
struct VersionResult {
    let version: ProbeVersion
    var accepted: [UInt16] = []
    var refusal: String?
    var firstHello: ProbeWire.ServerHelloSummary?
    var certificates: [[UInt8]] = []
    var serverOrder: Bool?
}
