import TestSupport
import Testing
@testable import TLSHandshake

/// TLS 1.0 PRF and key derivation against NIST CAVP/ACVP vectors and the IETF list vector.
@Suite struct PRFTests {
    struct KDFFile: Decodable {
        struct Set: Decodable {
            var name: String
            var keyBlockLengthBits: Int
            var tests: [Test]
        }
        struct Test: Decodable {
            var id: Int
            var preMasterSecret, clientHelloRandom, serverHelloRandom, clientRandom, serverRandom: String
            var masterSecret, keyBlock: String
        }
        var sets: [Set]
    }

    struct KDFCase: CustomStringConvertible, Sendable {
        var set: String
        var keyBlockBytes: Int
        var id: Int
        var pms, chr, shr, cr, sr, ms, kb: [UInt8]
        var description: String { "\(set) #\(id)" }
    }

    static let kdfCases: [KDFCase] = {
        guard let f = try? Vectors.json(KDFFile.self, "tls-prf/tls10_kdf_vectors.json") else { return [] }
        return f.sets.flatMap { s in
            s.tests.map { t in
                KDFCase(set: s.name, keyBlockBytes: s.keyBlockLengthBits / 8, id: t.id,
                        pms: Hex.decode(t.preMasterSecret), chr: Hex.decode(t.clientHelloRandom),
                        shr: Hex.decode(t.serverHelloRandom), cr: Hex.decode(t.clientRandom),
                        sr: Hex.decode(t.serverRandom), ms: Hex.decode(t.masterSecret), kb: Hex.decode(t.keyBlock))
            }
        }
    }()

    @Test func kdfFileHoldsTwentyFourVectors() throws {
        let f = try Vectors.json(KDFFile.self, "tls-prf/tls10_kdf_vectors.json")
        #expect(f.sets.map(\.tests.count) == [3, 20, 1])
    }

    @Test(arguments: kdfCases)
    func masterSecretAndKeyBlock(_ c: KDFCase) {
        let ms = KeyDerivation.masterSecret(preMasterSecret: c.pms, clientRandom: c.chr, serverRandom: c.shr)
        #expect(ms == c.ms)
        let kb = KeyDerivation.keyBlock(masterSecret: c.ms, serverRandom: c.sr, clientRandom: c.cr, count: c.keyBlockBytes)
        #expect(kb == c.kb)
    }

    struct RawFile: Decodable {
        struct Test: Decodable { var secret, label, seed, output: String; var length: Int }
        var tests: [Test]
    }

    @Test func rawPRFVector() throws {
        let f = try Vectors.json(RawFile.self, "tls-prf/tls10_prf_raw.json")
        #expect(f.tests.count == 1)
        for t in f.tests {
            let out = TLS10PRF.compute(secret: Hex.decode(t.secret), label: t.label, seed: Hex.decode(t.seed), count: t.length)
            #expect(out == Hex.decode(t.output))
        }
    }

    /// An odd-length secret's halves share the middle byte (RFC 2246 §5): computing with the
    /// shared byte must differ from a naive split, and match the explicit construction.
    @Test func oddLengthSecretSharesMiddleByte() {
        let secret: [UInt8] = [1, 2, 3, 4, 5]
        let seed = Array("seed".utf8)
        let out = TLS10PRF.compute(secret: secret, label: "x", seed: seed, count: 30)
        let md5 = TLS10PRF.pHash(HMAC_MD5([1, 2, 3]), seed: Array("x".utf8) + seed, count: 30)
        let sha = TLS10PRF.pHash(HMAC_SHA1([3, 4, 5]), seed: Array("x".utf8) + seed, count: 30)
        #expect(out == zip(md5, sha).map { $0 ^ $1 })
    }
}

import CryptoPrimitives
private func HMAC_MD5(_ k: [UInt8]) -> HMAC<MD5> { HMAC(key: k) }
private func HMAC_SHA1(_ k: [UInt8]) -> HMAC<SHA1> { HMAC(key: k) }
