import CryptoPrimitives
import Foundation
import TestSupport
import Testing
@testable import X509

/// Fuzz-style robustness: thousands of random mutations of real keys (plain and
/// encrypted, PEM and DER) must only ever produce a key or an ``X509Error`` — never a
/// crash, a trap or a hang. Mutations are reproducible (fixed seeds).
@Suite struct KeyFuzzTests {
    /// SplitMix64: a small reproducible generator for choosing mutations.
    struct Mutator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }

        /// One to four random edits: flip, set to an interesting value, insert, delete,
        /// truncate, or duplicate a range.
        mutating func mutate(_ input: [UInt8]) -> [UInt8] {
            var b = input
            for _ in 0...below(4) {
                guard !b.isEmpty else { return b }
                let i = below(b.count)
                switch below(7) {
                case 0: b[i] ^= UInt8(1 << below(8))
                case 1: b[i] = [0x00, 0xFF, 0x80, 0x7F, 0x81, 0x84, 0x30, 0x02][below(8)]
                case 2: b.insert(UInt8(truncatingIfNeeded: next()), at: i)
                case 3: b.remove(at: i)
                case 4: b.removeSubrange(i...)
                case 5:
                    let end = min(b.count, i + 1 + below(16))
                    b.insert(contentsOf: Array(b[i..<end]), at: end)
                default: b[i] = UInt8(truncatingIfNeeded: next())
                }
            }
            return b
        }
    }

    /// The seed inputs: real keys in every supported form.
    static func seeds() throws -> [(name: String, bytes: [UInt8], isPEM: Bool)] {
        let file = try WycheproofRSAFile.load("rsa_pkcs1_2048_test.json")
        let group = try #require(file.testGroups.first)
        let key = try #require(try group.privateKey?.key())
        let random = DeterministicRandom(seed: 11)
        let encrypted = try key.encryptedPKCS8DER(password: "x", iterations: 16, random: random)
        // A traditional DES-EDE3-CBC PEM, built the way OpenSSL builds it.
        let iv = random.bytes(8)
        let tradKey = TraditionalPEMEncryption.bytesToKey(password: Array("x".utf8), salt: iv, count: 24)
        let tradBody = try KeyEncryptionCipher.desEDE3CBC.encrypt(key.pkcs1DER, key: tradKey, iv: iv)
        let traditional = PEMDocument(label: "RSA PRIVATE KEY", derBytes: tradBody, headers: [
            .init(name: "Proc-Type", value: "4,ENCRYPTED"),
            .init(name: "DEK-Info", value: "DES-EDE3-CBC," + iv.map { String(format: "%02X", $0) }.joined()),
        ]).pemEncoded
        return [
            ("pkcs8 PEM (Wycheproof)", Array(try #require(group.privateKeyPem).utf8), true),
            ("pkcs8 DER (Wycheproof)", Hex.decode(try #require(group.privateKeyPkcs8)), false),
            ("pkcs1 DER", key.pkcs1DER, false),
            ("encrypted pkcs8 DER", encrypted, false),
            ("encrypted pkcs8 PEM", Array(PEMDocument(label: "ENCRYPTED PRIVATE KEY", derBytes: encrypted).pemEncoded.utf8), true),
            ("traditional encrypted PEM", Array(traditional.utf8), true),
            ("SPKI DER", key.publicKey.subjectPublicKeyInfoDER, false),
        ]
    }

    @Test func mutatedKeysNeverCrash() throws {
        let seeds = try Self.seeds()
        let start = Date()
        var mutator = Mutator(state: 0x5EED)
        var outcomes: [String: Int] = [:]
        let perSeed = 1500
        for seed in seeds {
            // The unmutated seed must load, so the mutations start from a valid key.
            if seed.name.hasPrefix("SPKI") {
                _ = try RSAPublicKey(subjectPublicKeyInfoDER: seed.bytes)
            } else if seed.isPEM {
                _ = try RSAPrivateKey(pemEncoded: String(decoding: seed.bytes, as: UTF8.self), password: { "x" })
            } else {
                _ = try RSAPrivateKey(derEncoded: seed.bytes, password: { "x" })
            }
            for _ in 0..<perSeed {
                let input = mutator.mutate(seed.bytes)
                let outcome: String
                do {
                    if seed.name.hasPrefix("SPKI") {
                        _ = try RSAPublicKey(subjectPublicKeyInfoDER: input)
                    } else if seed.isPEM {
                        _ = try RSAPrivateKey(pemEncoded: String(decoding: input, as: UTF8.self), password: { "x" })
                        _ = try? PEMDocument.parseAll(String(decoding: input, as: UTF8.self))
                    } else {
                        _ = try RSAPrivateKey(derEncoded: input, password: { "x" })
                        _ = try? RSAPublicKey(pkcs1DER: input)
                    }
                    outcome = "loaded"
                } catch {
                    outcome = error.code.name
                }
                outcomes[outcome, default: 0] += 1
            }
        }
        let total = outcomes.values.reduce(0, +)
        #expect(total == seeds.count * perSeed)
        #expect(outcomes.count > 3)  // the mutations reach several different checks
        #expect(Date().timeIntervalSince(start) < 300, "fuzzing took too long: a parser may be slow on some input")
        print("key fuzz: \(total) mutated inputs, outcomes \(outcomes.sorted { $0.key < $1.key })")
    }
}
