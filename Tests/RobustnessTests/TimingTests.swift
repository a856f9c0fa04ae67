import CryptoPrimitives
import Foundation
import TLSRecord
import Testing
@testable import TLSHandshake
@testable import X509

/// Timing of the uniform failure paths (issue 8 §3), opt-in (`ROBUST_TIMING=1`, run by
/// `Scripts/timing.sh`) so CI never flakes on a busy machine. Each sample copies a prepared
/// engine (a value type) and times one input to its failure; the two classes are
/// interleaved so drift affects both alike. The deterministic, byte-for-byte equality of
/// the visible behaviour runs in CI (TLSHandshakeTests/Robustness/UniformFailureTests).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["ROBUST_TIMING"] == "1"))
struct TimingTests {
    static var samples: Int { ProcessInfo.processInfo.environment["ROBUST_TIMING_SAMPLES"].flatMap(Int.init) ?? 2000 }

    static func record(_ type: UInt8, _ body: [UInt8]) -> [UInt8] {
        [type, 3, 1, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
    }

    /// Microseconds `body` takes.
    static func time(_ body: () -> Void) -> Double {
        let start = ContinuousClock.now
        body()
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12
    }

    /// Feeds bytes and drains until failure; returns whether it failed.
    static func failAfter(_ engine: inout TLSConnection, _ bytes: [UInt8]) -> Bool {
        engine.receive(bytes)
        do {
            while try engine.nextEvent() != nil {}
            return false
        } catch {
            return true
        }
    }

    /// Runs the two inputs alternately on copies of `base`; both must fail.
    static func measure(_ base: TLSConnection, _ a: [UInt8], _ b: [UInt8]) -> TimingComparison {
        var ta: [Double] = [], tb: [Double] = []
        // Warm-up.
        for _ in 0..<50 {
            var e = base
            _ = failAfter(&e, a)
            e = base
            _ = failAfter(&e, b)
        }
        for i in 0..<(2 * samples) {
            var e = base
            let useA = (i & 1 == 0) != (i % 7 == 3)
            var failed = false
            let t = time { failed = failAfter(&e, useA ? a : b) }
            #expect(failed)
            if useA { ta.append(t) } else { tb.append(t) }
        }
        return TimingComparison(ta, tb)
    }

    @Test func clientKeyExchangeWithBadPaddingTakesAsLongAsACorrectOne() throws {
        let pki = try LoadPKI.shared.get()
        var client = try TLSConnection(client: try pki.clientConfig())
        var server = try TLSConnection(server: try pki.serverConfig())
        server.receive(client.takeOutput())
        while try server.nextEvent() != nil {}
        _ = server.takeOutput()
        let key = pki.key.publicKey
        let k = key.modulusByteCount
        let secret = [0x03, 0x01] + [UInt8](repeating: 0x5A, count: 46)
        let correct = try key.encryptPKCS1v15(secret, padding: [UInt8](repeating: 0xA5, count: k - 51))
        guard let badPadding = key.publicOperation([0, 2] + [UInt8](repeating: 0xA5, count: k - 2)) else {
            throw LoadFailure("raw RSA refused the block")
        }
        func flight(_ encrypted: [UInt8]) -> [UInt8] {
            let body = [UInt8(encrypted.count >> 8), UInt8(encrypted.count & 0xFF)] + encrypted
            return Self.record(22, [16, 0, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body)
                + Self.record(20, [1]) + Self.record(22, (0..<40).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
        }
        let result = Self.measure(server, flight(correct), flight(badPadding))
        print("TIMING: ClientKeyExchange correct premaster vs bad PKCS#1 padding (both + wrong Finished): \(result)")
        #expect(result.relativeMedianDifference < 0.05)
    }

    @Test func cbcRecordWithBadPaddingTakesAsLongAsOneWithABadMAC() throws {
        let pki = try LoadPKI.shared.get()
        var clientConfig = try pki.clientConfig()
        clientConfig.options = []
        var client = try TLSConnection(client: clientConfig)
        var server = try TLSConnection(server: try pki.serverConfig())
        for _ in 0..<10 {
            server.receive(client.takeOutput())
            while try server.nextEvent() != nil {}
            client.receive(server.takeOutput())
            while try client.nextEvent() != nil {}
        }
        #expect(client.isHandshakeComplete && server.isHandshakeComplete)
        // A long record (the Lucky 13 case: the MAC runs over the most data) — 16 000 bytes + MAC.
        try client.send([UInt8](repeating: 0x44, count: 16000))
        let record = client.takeOutput()
        var badMAC = record, badPadding = record
        badMAC[5] ^= 0x10
        badPadding[badPadding.count - 9] ^= 0x01
        let result = Self.measure(server, badPadding, badMAC)
        print("TIMING: CBC record (16000 bytes) bad padding vs bad MAC: \(result)")
        // The same pair in the other order, and an A/A control (bad MAC against itself) that
        // shows what the method reports when there is no difference at all.
        let swapped = Self.measure(server, badMAC, badPadding)
        print("TIMING: CBC record (16000 bytes) bad MAC vs bad padding (order swapped): \(swapped)")
        let control = Self.measure(server, badMAC, badMAC)
        print("TIMING: CBC record (16000 bytes) A/A control, bad MAC vs bad MAC: \(control)")
        #expect(result.relativeMedianDifference < 0.05)
    }
}
