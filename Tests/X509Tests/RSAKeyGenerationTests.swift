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
