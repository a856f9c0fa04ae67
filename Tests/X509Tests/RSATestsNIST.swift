import TestSupport
import Testing
@testable import X509

/// NIST CAVP FIPS 186 PKCS#1 v1.5 vectors (`Vectors/rsa/nist-cavp/`), all five hashes.
@Suite struct RSATestsNIST {
    @Test func sigGen() throws {
        let blocks = try Vectors.rsp("rsa/nist-cavp/SigGen15_186-2.txt")
        var n: [UInt8] = [], e: [UInt8] = [], d: [UInt8] = []
        var key: RSAPrivateKey?
        var perHash: [String: Int] = [:]
        // Group consecutive cases by hash so that the openssl-computed digests come in batches.
        var pending: [(hash: String, msg: [UInt8], s: [UInt8], key: RSAPrivateKey, line: Int)] = []
        for b in blocks {
            if b.fields["n"] != nil { n = b.hex("n"); key = nil }
            if b.fields["e"] != nil { e = b.hex("e"); key = nil }
            if b.fields["d"] != nil { d = b.hex("d"); key = nil }
            guard b.fields["S"] != nil else { continue }
            if key == nil { key = try RSAPrivateKey(modulus: n, publicExponent: e, privateExponent: d) }
            pending.append((b["SHAAlg"], b.hex("Msg"), b.hex("S"), try #require(key), b.line))
        }
        for hash in Set(pending.map(\.hash)) {
            let cases = pending.filter { $0.hash == hash }
            let (algorithm, digests) = try RSATestSupport.digests(hashName: hash, messages: cases.map(\.msg))
            for (c, digest) in zip(cases, digests) {
                let sig = try c.key.signPKCS1v15(digestAlgorithm: algorithm, digest: digest)
                #expect(sig == c.s, "SigGen line \(c.line) \(hash)")
                perHash[hash, default: 0] += 1
            }
        }
        #expect(perHash == ["SHA1": 50, "SHA224": 50, "SHA256": 50, "SHA384": 50, "SHA512": 50])
    }

    @Test func sigVer() throws {
        let blocks = try Vectors.rsp("rsa/nist-cavp/SigVer15_186-3.rsp")
        var n: [UInt8] = []
        var cases: [(hash: String, key: RSAPublicKey?, msg: [UInt8], s: [UInt8], pass: Bool, line: Int)] = []
        for b in blocks {
            if b.fields["n"] != nil { n = b.hex("n") }
            guard b.fields["Result"] != nil else { continue }
            let key = try? RSAPublicKey(modulus: n, publicExponent: b.hex("e"))
            cases.append((b["SHAAlg"], key, b.hex("Msg"), b.hex("S"), b["Result"].hasPrefix("P"), b.line))
        }
        var passed = 0, failed = 0
        for hash in Set(cases.map(\.hash)) {
            let group = cases.filter { $0.hash == hash }
            let (algorithm, digests) = try RSATestSupport.digests(hashName: hash, messages: group.map(\.msg))
            for (c, digest) in zip(group, digests) {
                let ok = c.key?.verifyPKCS1v15(signature: c.s, digestAlgorithm: algorithm, digest: digest) ?? false
                #expect(ok == c.pass, "SigVer line \(c.line) \(hash) expected \(c.pass ? "P" : "F")")
                if c.pass { passed += 1 } else { failed += 1 }
            }
        }
        #expect(passed == 75 && failed == 375)
    }
}
