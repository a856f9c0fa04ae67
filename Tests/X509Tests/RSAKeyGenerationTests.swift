import CryptoPrimitives
import Testing
@testable import X509

@Suite struct RSAKeyGenerationTests {
    @Test func generate2048() throws {
        let key = try RSAPrivateKey.generate(bits: 2048, random: DeterministicRandom(seed: 2048))
        #expect(key.publicKey.modulusBitCount == 2048)
        #expect(key.publicKey.modulusByteCount == 256)
        #expect(key.publicKey.publicExponent == [0x01, 0x00, 0x01])
        let c = key.components
        #expect(c.p.count == 128 && c.q.count == 128)
        let digest = SHA256.hash(Array("generated".utf8))
        let sig = try key.signPKCS1v15(digestAlgorithm: .sha256, digest: digest)
        #expect(key.publicKey.verifyPKCS1v15(signature: sig, digestAlgorithm: .sha256, digest: digest))
        #expect(!key.publicKey.verifyPKCS1v15(signature: sig, digestAlgorithm: .sha1, digest: SHA1.hash([1])))
        let message = Array("premaster".utf8)
        let ct = try key.publicKey.encryptPKCS1v15(message, random: SystemRandom())
        #expect(try key.decryptPKCS1v15(ct) == message)
        // Same seed, same key; another seed, another key.
        let again = try RSAPrivateKey.generate(bits: 2048, random: DeterministicRandom(seed: 2048))
        #expect(again.publicKey == key.publicKey)
    }

    @Test func refusesSmallOrOddSizes() {
        #expect(throws: X509Error.self) { try RSAPrivateKey.generate(bits: 1024, random: SystemRandom()) }
        #expect(throws: X509Error.self) { try RSAPrivateKey.generate(bits: 2056, random: SystemRandom()) }
    }

    @Test func inconsistentComponentsAreRefused() throws {
        let key = try RSAPrivateKey.generate(bits: 2048, random: DeterministicRandom(seed: 1))
        let c = key.components
        var badD = c.dP
        badD[badD.count - 1] ^= 2
        #expect(throws: X509Error.self) {
            try RSAPrivateKey(modulus: c.n, publicExponent: c.e, privateExponent: c.d, prime1: c.p, prime2: c.q,
                              exponent1: badD, exponent2: c.dQ, coefficient: c.qInv)
        }
        #expect(throws: X509Error.self) {
            try RSAPrivateKey(modulus: c.n, publicExponent: c.e, privateExponent: c.d, prime1: c.q, prime2: c.p,
                              exponent1: c.dP, exponent2: c.dQ, coefficient: c.qInv)
        }
        let ok = try RSAPrivateKey(modulus: c.n, publicExponent: c.e, privateExponent: c.d, prime1: c.p, prime2: c.q,
                                   exponent1: c.dP, exponent2: c.dQ, coefficient: c.qInv)
        #expect(ok.publicKey == key.publicKey)
    }
}

/// Fault-attack protection: a private operation whose CRT half is wrong is never released.
@Suite struct RSAFaultTests {
    @Test func faultyCRTResultIsWithheld() throws {
        let key = try RSAPrivateKey.generate(bits: 2048, random: DeterministicRandom(seed: 77))
        // The same key with dP off by 2, as a fault during one CRT half would make it.
        let faulty = RSAPrivateKey(unvalidatedPublicKey: key.publicKey, d: key.d, p: key.p, q: key.q,
                                   dP: key.dP - 2, dQ: key.dQ, qInv: key.qInv)
        let digest = SHA256.hash([1, 2, 3])
        do {
            _ = try faulty.signPKCS1v15(digestAlgorithm: .sha256, digest: digest)
            Issue.record("a faulty signature was released")
        } catch {
            #expect(error.code == .privateOperationFault)
        }
        // The premaster path swallows the fault and returns the random fallback.
        let premaster: [UInt8] = [3, 1] + [UInt8](repeating: 9, count: 46)
        let ct = try key.publicKey.encryptPKCS1v15(premaster, random: SystemRandom())
        #expect(key.decryptPremasterTLS(ct, expectedVersion: (3, 1), random: SystemRandom()) == premaster)
        #expect(faulty.decryptPremasterTLS(ct, expectedVersion: (3, 1), random: DeterministicRandom(seed: 1))
                == DeterministicRandom(seed: 1).bytes(48))
        #expect(throws: X509Error(.decryptionFailed, "")) { try faulty.decryptPKCS1v15(ct) }
        // Secrets never appear in descriptions.
        #expect(key.description == "RSAPrivateKey(2048 bits, secret parts redacted)")
        #expect(String(reflecting: key) == key.description)
    }
}
