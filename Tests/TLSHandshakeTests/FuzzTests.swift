import CryptoPrimitives
import TLSRecord
import Testing
import X509
@testable import TLSHandshake

/// Deterministic mutation fuzzing of the handshake decoder and both engines: any input
/// must end in either progress or a typed TLSError with an alert, never a trap or a hang.
@Suite struct FuzzTests {
    /// Mutates `bytes`: flips, overwrites, inserts or deletes a few bytes.
    static func mutate(_ bytes: [UInt8], _ r: DeterministicRandom) -> [UInt8] {
        var out = bytes
        let ops = Int(r.bytes(1)[0] % 4) + 1
        for _ in 0..<ops {
            let b = r.bytes(4)
            let at = out.isEmpty ? 0 : Int(UInt16(b[0]) << 8 | UInt16(b[1])) % out.count
            switch b[2] % 4 {
            case 0 where !out.isEmpty: out[at] ^= 1 << (b[3] % 8)
            case 1 where !out.isEmpty: out[at] = b[3]
            case 2: out.insert(b[3], at: at)
            default: if !out.isEmpty { out.remove(at: at) }
            }
        }
        return out
    }

    @Test func mutatedClientFlightsNeverTrapTheServer() throws {
        let pki = try HandshakePKI.shared.get()
        let serverConfig = try pki.serverConfig()
        var first = try TLSConnection(client: pki.clientConfig())
        let hello = first.takeOutput()
        let r = DeterministicRandom(seed: 2024)
        var outcomes = (ok: 0, failed: 0)
        for _ in 0..<1500 {
            var server = try TLSConnection(server: serverConfig)
            server.receive(Self.mutate(hello, r))
            do {
                while try server.nextEvent() != nil {}
                outcomes.ok += 1
            } catch {
                #expect(error.alert != nil || error.code == .closed)
                outcomes.failed += 1
            }
        }
        #expect(outcomes.ok + outcomes.failed == 1500 && outcomes.failed > 100)
    }

    @Test func mutatedServerFlightsNeverTrapTheClient() throws {
        let pki = try HandshakePKI.shared.get()
        let clientConfig = try pki.clientConfig(withCertificate: true)
        var server = try TLSConnection(server: pki.serverConfig(verification: .peer))
        var probe = try TLSConnection(client: clientConfig)
        server.receive(probe.takeOutput())
        _ = try server.nextEvent()
        let flight = server.takeOutput()
        let r = DeterministicRandom(seed: 77)
        var failed = 0
        for _ in 0..<300 {
            var client = try TLSConnection(client: clientConfig)
            _ = client.takeOutput()
            client.receive(Self.mutate(flight, r))
            do { while try client.nextEvent() != nil {} } catch {
                #expect(error.alert != nil)
                failed += 1
            }
        }
        #expect(failed > 50)
    }

    @Test func randomHandshakeBodiesDecodeOrFailCleanly() {
        let r = DeterministicRandom(seed: 5)
        var decoded = 0
        for i in 0..<5000 {
            let length = Int(r.bytes(1)[0]) % 80
            let body = r.bytes(length)
            let type = UInt8([0, 1, 2, 11, 13, 14, 15, 16, 20][i % 9])
            let bytes = [type, 0, UInt8(length >> 8), UInt8(length & 0xFF)] + body
            if (try? HandshakeMessage.decode(bytes)) != nil { decoded += 1 }
        }
        #expect(decoded < 5000)
    }
}
