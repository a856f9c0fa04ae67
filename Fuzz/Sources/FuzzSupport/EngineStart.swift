import TLSHandshake

/// A client and a server engine brought, deterministically, to a chosen point of a valid
/// handshake, so a fuzz target can feed one of them arbitrary bytes from there on.
public struct EngineStart: Sendable {
    public var client: TLSConnection
    public var server: TLSConnection

    /// How far the valid exchange has gone.
    public enum Stage: Int, CaseIterable, Sendable {
        /// ClientHello written by the client, nothing delivered.
        case clientHelloSent
        /// The server has the ClientHello and wrote its first flight (not delivered).
        case serverFlightSent
        /// The client has the server's flight and wrote CKE/CCS/Finished (not delivered).
        case clientFinishedSent
        /// Both finished; application data may flow.
        case established
    }

    /// The bytes of the last flight written but not delivered.
    public var pending: [UInt8] = []

    public init?(_ stage: Stage) {
        guard let cc = Fixtures.clientConfig(), let sc = Fixtures.serverConfig(),
            let c = try? TLSConnection(client: cc, serverName: "localhost"), let s = try? TLSConnection(server: sc)
        else { return nil }
        client = c
        server = s
        pending = client.takeOutput()
        if stage == .clientHelloSent { return }
        server.receive(pending)
        guard Fixtures.drain(&server) else { return nil }
        pending = server.takeOutput()
        if stage == .serverFlightSent { return }
        client.receive(pending)
        guard Fixtures.drain(&client) else { return nil }
        pending = client.takeOutput()
        if stage == .clientFinishedSent { return }
        server.receive(pending)
        guard Fixtures.drain(&server) else { return nil }
        client.receive(server.takeOutput())
        guard Fixtures.drain(&client), client.isHandshakeComplete, server.isHandshakeComplete else { return nil }
        pending = []
    }
}

extension EngineStart {
    /// Valid byte streams for seeds: (stage byte, bytes the fuzzed engine would receive next).
    /// For the server: the ClientHello, the client's key exchange flight, application data.
    public static func serverInputs() -> [[UInt8]] {
        var out: [[UInt8]] = []
        if let s = EngineStart(.clientHelloSent) { out.append([0] + s.pending) }
        if let s = EngineStart(.clientFinishedSent) { out.append([1] + s.pending) }
        if var s = EngineStart(.established), (try? s.client.send(Array("C-ECHO".utf8))) != nil {
            s.client.close()
            out.append([2] + s.client.takeOutput())
        }
        return out
    }

    /// For the client: the server's first flight, its CCS/Finished, application data.
    public static func clientInputs() -> [[UInt8]] {
        var out: [[UInt8]] = []
        if let s = EngineStart(.serverFlightSent) { out.append([0] + s.pending) }
        if var s = EngineStart(.clientFinishedSent) {
            s.server.receive(s.pending)
            if Fixtures.drain(&s.server) { out.append([1] + s.server.takeOutput()) }
        }
        if var s = EngineStart(.established), (try? s.server.send(Array("C-ECHO-RSP".utf8))) != nil {
            s.server.close()
            out.append([2] + s.server.takeOutput())
        }
        return out
    }

    /// The plaintext handshake messages of the valid flights (record headers stripped,
    /// messages split), for the message decoder.
    public static func handshakeMessages() -> [[UInt8]] {
        var messages: [[UInt8]] = []
        for flight in serverInputs().prefix(1) + clientInputs().prefix(1) {
            var rest = flight.dropFirst()
            var handshake: [UInt8] = []
            while rest.count >= 5, rest[rest.startIndex] == 22 {
                let n = Int(rest[rest.startIndex + 3]) << 8 | Int(rest[rest.startIndex + 4])
                handshake += rest.dropFirst(5).prefix(n)
                rest = rest.dropFirst(5 + n)
            }
            var h = handshake[...]
            while h.count >= 4 {
                let n = Int(h[h.startIndex + 1]) << 16 | Int(h[h.startIndex + 2]) << 8 | Int(h[h.startIndex + 3])
                messages.append(Array(h.prefix(4 + n)))
                h = h.dropFirst(4 + n)
            }
        }
        return messages
    }
}

extension EngineStart {
    /// Each stage built once per process and copied per execution (TLSConnection is a value
    /// type): a full RSA handshake per execution would cost most of the fuzzing time. The
    /// fixed-seed random sources are shared by the copies, so draws after the cached point
    /// (a random premaster on a bad ClientKeyExchange, a renegotiation) vary between runs.
    public static let cached: [Stage: EngineStart] = {
        var all: [Stage: EngineStart] = [:]
        for stage in Stage.allCases { all[stage] = EngineStart(stage) }
        return all
    }()
}
