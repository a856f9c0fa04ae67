import CryptoPrimitives
import Synchronization
import TLSRecord
import TestSupport
import Testing
import X509
@testable import TLSHandshake

/// Replays the recorded Go/OpenSSL TLS 1.0 3DES handshake (Vectors/tls-handshake): our
/// server, given Go's private key and Go's server random (32 zero bytes), is driven with the
/// client's recorded records and must produce the same messages, derive the same master
/// secret, accept the client's Finished, and emit byte-identical encrypted records.
@Suite struct GoTranscriptReplayTests {
    struct Walkthrough: Decodable {
        struct Message: Decodable { var from: String; var msg_type: Int; var bytes: String }
        struct Record: Decodable { var from: String; var content_type: Int; var version: String; var fragment: String }
        var client_random, server_random, cipher_suite, pre_master_secret, master_secret: String
        var client_write_key, server_write_key: String
        var handshake_messages: [Message]
        var records: [Record]
    }

    /// Yields `prefix` first (Go's all-zero server random), then deterministic bytes.
    final class ScriptedRandom: RandomSource {
        private let state: Mutex<[UInt8]>
        private let rest = DeterministicRandom(seed: 7)
        init(prefix: [UInt8]) { state = Mutex(prefix) }
        func fill(_ buffer: UnsafeMutableRawBufferPointer) {
            let scripted = state.withLock { s -> [UInt8] in
                let n = min(s.count, buffer.count)
                defer { s.removeFirst(n) }
                return Array(s[0..<n])
            }
            for i in scripted.indices { unsafe buffer[i] = scripted[i] }
            if scripted.count < buffer.count {
                unsafe rest.fill(UnsafeMutableRawBufferPointer(rebasing: buffer[scripted.count...]))
            }
        }
    }

    /// Splits a byte stream of records into (type, fragment) pairs.
    static func records(_ bytes: [UInt8]) -> [(UInt8, [UInt8])] {
        var out: [(UInt8, [UInt8])] = []
        var i = 0
        while i + 5 <= bytes.count {
            let len = Int(bytes[i + 3]) << 8 | Int(bytes[i + 4])
            out.append((bytes[i], Array(bytes[(i + 5)..<min(bytes.count, i + 5 + len)])))
            i += 5 + len
        }
        return out
    }

    static func wire(_ r: Walkthrough.Record) -> [UInt8] {
        let f = Hex.decode(r.fragment)
        return [UInt8(r.content_type)] + Hex.decode(r.version) + [UInt8(f.count >> 8), UInt8(f.count & 0xFF)] + f
    }

    @Test func serverReplaysGoTranscript() throws {
        let w = try Vectors.json(Walkthrough.self, "tls-handshake/tls10_rsa_3des_handshake.json")
        #expect(w.records.count == 12 && w.handshake_messages.count == 5)
        let go = try TestKeys.go()
        let logged = Mutex<[String]>([])
        var config = try TLSConfiguration.server(
            certificateChain: [go.certificate], privateKey: go.key, options: [.noResumption, .recordSplitting],
            random: ScriptedRandom(prefix: Hex.decode(w.server_random)))
        config.keyLog = { line in logged.withLock { $0.append(line) } }
        var server = try TLSConnection(server: config)

        let clientRecords = w.records.filter { $0.from == "client" }
        let serverRecords = w.records.filter { $0.from == "server" }
        #expect(clientRecords.count == 4 && serverRecords.count == 8)

        // Flight 1: ClientHello → ServerHello, Certificate, ServerHelloDone, the same messages
        // as Go's (Go sends one record per message; we coalesce them into one record).
        server.receive(Self.wire(clientRecords[0]))
        #expect(try server.nextEvent() == nil)
        let flight = Self.records(server.takeOutput())
        let ourMessages = flight.filter { $0.0 == 22 }.flatMap(\.1)
        let goMessages = w.handshake_messages.filter { $0.from == "server" }.flatMap { Hex.decode($0.bytes) }
        #expect(Hex.encode(ourMessages) == Hex.encode(goMessages))

        // Flight 2: ClientKeyExchange, ChangeCipherSpec, Finished → accepted.
        for r in clientRecords.dropFirst() { server.receive(Self.wire(r)) }
        let event = try server.nextEvent()
        guard case .handshakeComplete(let info) = event else {
            Issue.record("expected handshakeComplete, got \(String(describing: event))")
            return
        }
        #expect(info.cipherSuite == .rsaWith3DESEDECBCSHA && !info.extendedMasterSecret && info.secureRenegotiation)
        #expect(logged.withLock { $0 } == ["CLIENT_RANDOM \(w.client_random) \(w.master_secret)"])

        // Our ChangeCipherSpec and encrypted Finished, then "hello, world\n" split 1/n-1 and
        // close_notify, are byte-identical to Go's records (same keys, IV chaining, MACs).
        try server.send(Array("hello, world\n".utf8))
        server.close()
        let ours = Self.records(server.takeOutput())
        let theirs = serverRecords.dropFirst(3).map { (UInt8($0.content_type), Hex.decode($0.fragment)) }
        #expect(theirs.count == 5 && ours.count == theirs.count)
        for (o, t) in zip(ours, theirs) {
            #expect(o.0 == t.0)
            #expect(Hex.encode(o.1) == Hex.encode(t.1))
        }
    }
}
