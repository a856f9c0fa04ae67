import Foundation
import Testing
import TestSupport
@testable import X509

/// Fuzz-style robustness: many deterministic random mutations of real certificates (PKITS
/// and our own) must parse or fail with an ``X509Error`` whose offset lies inside the
/// input, never trap or hang. Bounded so the suite runs in seconds.
@Suite struct CertificateFuzzTests {
    /// SplitMix64: fast, deterministic, good enough to choose mutations.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func seeds() throws -> [[UInt8]] {
        var seeds = try PKITSParsingTests.certificateFiles().map { Array(try Data(contentsOf: $0)) }
        let pki = try TestPKI.shared.get()
        seeds += [pki.root, pki.intermediate, pki.server, pki.client].map(\.derBytes)
        return seeds
    }

    static func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var b = input
        guard !b.isEmpty else { return b }
        switch Int.random(in: 0..<6, using: &rng) {
        case 0:  // flip one to four bits
            for _ in 0...Int.random(in: 0..<4, using: &rng) {
                b[Int.random(in: 0..<b.count, using: &rng)] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
            }
        case 1:  // truncate
            b.removeLast(Int.random(in: 1...b.count, using: &rng))
        case 2:  // replace a byte with a value that is interesting as a tag or length
            let interesting: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0xFF, 0x30, 0x31, 0xA0, 0xA3, 0x1F]
            b[Int.random(in: 0..<b.count, using: &rng)] = interesting.randomElement(using: &rng) ?? 0
        case 3:  // bump a byte that is likely a length (follows a common tag)
            let tags: Set<UInt8> = [0x30, 0x31, 0x02, 0x03, 0x04, 0x06, 0x0C, 0x13, 0x17, 0xA0, 0xA3]
            let positions = (0..<(b.count - 1)).filter { tags.contains(b[$0]) }
            if let p = positions.randomElement(using: &rng) { b[p + 1] = b[p + 1] &+ UInt8.random(in: 1...3, using: &rng) }
        case 4:  // insert random bytes
            let at = Int.random(in: 0...b.count, using: &rng)
            b.insert(contentsOf: (0..<Int.random(in: 1...4, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }, at: at)
        default:  // delete a range
            let from = Int.random(in: 0..<b.count, using: &rng)
            b.removeSubrange(from..<min(b.count, from + Int.random(in: 1...8, using: &rng)))
        }
        return b
    }

    @Test(.timeLimit(.minutes(5)))
    func mutatedCertificatesNeverCrash() throws {
        let seeds = try Self.seeds()
        #expect(seeds.count == 409)
        var rng = SplitMix64(state: 0x5EED_0003)
        var parsed = 0, rejected = 0
        let iterations = 20_000
        for i in 0..<iterations {
            let input = Self.mutate(seeds[i % seeds.count], &rng)
            do {
                let cert = try Certificate(derEncoded: input)
                parsed += 1
                #expect(cert.derBytes == input)
                _ = cert.textSummary
                _ = cert.subject.description
            } catch {
                rejected += 1
                if let offset = error.offset { #expect(offset >= 0 && offset <= input.count, "offset \(offset) outside \(input.count) bytes") }
                #expect(!error.message.isEmpty)
            }
        }
        #expect(parsed + rejected == iterations)
        #expect(parsed > 1000 && rejected > 1000, "parsed \(parsed), rejected \(rejected)")
        print("certificate fuzz: \(iterations) mutations, \(parsed) parsed, \(rejected) rejected")
    }

    /// Mutated chains go through the whole validator: it must return a reason, not trap.
    @Test(.timeLimit(.minutes(5)))
    func mutatedChainsValidateOrFail() throws {
        let pki = try TestPKI.shared.get()
        let validator = pki.validator()
        var rng = SplitMix64(state: 0xC4A1_17)
        var accepted = 0, refused = 0
        for _ in 0..<300 {
            let leaf = Self.mutate(pki.server.derBytes, &rng)
            let intermediate = Self.mutate(pki.intermediate.derBytes, &rng)
            do {
                _ = try validator.validate(derEncoded: [leaf, intermediate])
                accepted += 1
            } catch {
                refused += 1
                #expect(error.depth >= 0 && error.depth <= 2)
            }
        }
        #expect(accepted + refused == 300)
        #expect(refused > 250)  // almost every mutation breaks a signature or the structure
    }

    @Test(.timeLimit(.minutes(5)))
    func randomBytesNeverCrashTheDERReader() {
        var rng = SplitMix64(state: 42)
        var ok = 0
        for _ in 0..<20_000 {
            var bytes = (0..<Int.random(in: 0..<64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if !bytes.isEmpty && Bool.random(using: &rng) { bytes[0] = 0x30 }
            if (try? DER.parse(bytes)) != nil { ok += 1 }
        }
        #expect(ok < 20_000)
    }
}
