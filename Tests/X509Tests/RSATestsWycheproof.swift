import CryptoPrimitives
import TestSupport
import Testing
@testable import X509

/// Every Wycheproof RSA PKCS#1 v1.5 vector in `Vectors/rsa/wycheproof/` gives its published result.
@Suite struct RSATestsWycheproof {
    @Test(arguments: [("rsa_pkcs1_2048_test.json", 67, 42), ("rsa_pkcs1_3072_test.json", 67, 41),
                      ("rsa_pkcs1_4096_test.json", 67, 41)])
    func decryption(file: String, total: Int, validCount: Int) throws {
        let vectors = try WycheproofRSAFile.load(file)
        var valid = 0, invalid = 0
        var invalidErrors: Set<String> = []
        for group in vectors.testGroups {
            let key = try #require(try group.privateKey?.key(), "\(file): group without private key")
            for t in group.tests {
                let ct = Hex.decode(t.ct ?? "")
                switch t.result {
                case "valid":
                    valid += 1
                    let message = try key.decryptPKCS1v15(ct)
                    #expect(message == Hex.decode(t.msg), "\(file) tcId \(t.tcId)")
                case "invalid":
                    invalid += 1
                    do {
                        let m = try key.decryptPKCS1v15(ct)
                        Issue.record("\(file) tcId \(t.tcId) (\(t.comment)) decrypted to \(m.count) bytes")
                    } catch {
                        #expect(error.code == .decryptionFailed)
                        invalidErrors.insert(error.description)
                    }
                    // The premaster entry point never fails: 48 bytes, whatever the input.
                    let premaster = key.decryptPremasterTLS(ct, expectedVersion: (3, 1), random: SystemRandom())
                    #expect(premaster.count == 48)
                default:
                    Issue.record("\(file) tcId \(t.tcId): unexpected result \(t.result)")
                }
            }
        }
        #expect(valid + invalid == total)
        #expect(valid == validCount)
        // All invalid ciphertexts fail the same way (no padding oracle in the error).
        #expect(invalidErrors.count == 1)
    }

    @Test(arguments: [("rsa_signature_2048_sha256_test.json", 259), ("rsa_signature_3072_sha256_test.json", 259),
                      ("rsa_signature_4096_sha256_test.json", 258), ("v0_rsa_signature_test.json", 377)])
    func verification(file: String, total: Int) throws {
        let vectors = try WycheproofRSAFile.load(file)
        var counts: [String: Int] = [:]
        for group in vectors.testGroups {
            let modulus = Hex.decode(group.publicKey?.modulus ?? group.n ?? "")
            let exponent = Hex.decode(group.publicKey?.publicExponent ?? group.e ?? "")
            let key = try RSAPublicKey(modulus: modulus, publicExponent: exponent)
            let (algorithm, digests) = try RSATestSupport.digests(
                hashName: group.sha ?? "", messages: group.tests.map { Hex.decode($0.msg) })
            for (t, digest) in zip(group.tests, digests) {
                counts[t.result, default: 0] += 1
                let ok = key.verifyPKCS1v15(signature: Hex.decode(t.sig ?? ""), digestAlgorithm: algorithm, digest: digest)
                switch t.result {
                case "valid": #expect(ok, "\(file) tcId \(t.tcId) valid signature rejected")
                case "invalid": #expect(!ok, "\(file) tcId \(t.tcId) (\(t.comment)) invalid signature accepted")
                case "acceptable": break
                default: Issue.record("\(file) tcId \(t.tcId): unexpected result \(t.result)")
                }
            }
        }
        #expect(counts.values.reduce(0, +) == total)
        #expect(counts["valid", default: 0] > 0 && counts["invalid", default: 0] > 0)
    }

    @Test(arguments: [("rsa_pkcs1_1024_sig_gen_test.json", 33), ("rsa_pkcs1_2048_sig_gen_test.json", 43)])
    func generation(file: String, total: Int) throws {
        let vectors = try WycheproofRSAFile.load(file)
        var checked = 0
        for group in vectors.testGroups {
            let key = try #require(try group.privateKey?.key())
            let (algorithm, digests) = try RSATestSupport.digests(
                hashName: group.sha ?? "", messages: group.tests.map { Hex.decode($0.msg) })
            for (t, digest) in zip(group.tests, digests) {
                checked += 1
                let expected = Hex.decode(t.sig ?? "")
                switch t.result {
                case "valid", "acceptable":
                    let sig = try key.signPKCS1v15(digestAlgorithm: algorithm, digest: digest)
                    #expect(sig == expected, "\(file) tcId \(t.tcId)")
                    #expect(key.publicKey.verifyPKCS1v15(signature: expected, digestAlgorithm: algorithm, digest: digest))
                default:
                    let sig = try? key.signPKCS1v15(digestAlgorithm: algorithm, digest: digest)
                    #expect(sig != expected, "\(file) tcId \(t.tcId) invalid case reproduced")
                }
            }
        }
        #expect(checked == total)
    }
}
