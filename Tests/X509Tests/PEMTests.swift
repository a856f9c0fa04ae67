import Foundation
import TestSupport
import Testing
@testable import X509

@Suite struct PEMTests {
    @Test func base64KnownAnswers() {
        // RFC 4648 §10 test vectors.
        let cases = [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
                     ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")]
        for (plain, encoded) in cases {
            #expect(Base64.encode(Array(plain.utf8)) == (encoded.isEmpty ? "" : encoded + "\n"))
            #expect(Base64.decode(Array(encoded.utf8)) == Array(plain.utf8))
        }
    }

    @Test func base64IsStrict() {
        for bad in ["Zg=", "Zg", "Z===", "Zh==", "Zm9=", "Zm8=Zm8=", "Zm 9v", "Zm9v!", "=Zm9", "Zm-_"] {
            #expect(Base64.decode(Array(bad.utf8)) == nil, "\(bad)")
        }
    }

    @Test func encodesIn64ColumnLines() throws {
        let der = [UInt8](0...199)
        let text = PEMDocument(label: "TEST", derBytes: der).pemEncoded
        let lines = text.split(separator: "\n")
        #expect(lines.first == "-----BEGIN TEST-----" && lines.last == "-----END TEST-----")
        #expect(lines[1].count == 64 && lines[2].count == 64 && lines[3].count == 64)
        #expect(try PEMDocument(pemEncoded: text).derBytes == der)
    }

    @Test func bundleWithCommentsHeadersAndCRLF() throws {
        let a = PEMDocument(label: "CERTIFICATE", derBytes: [1, 2, 3]).pemEncoded
        let b = PEMDocument(label: "RSA PRIVATE KEY", derBytes: [4, 5, 6, 7],
                            headers: [.init(name: "Proc-Type", value: "4,ENCRYPTED"),
                                      .init(name: "DEK-Info", value: "DES-EDE3-CBC,0011223344556677")]).pemEncoded
        let bundle = "# a CA bundle\nsubject=CN=x\n" + a + "\nsome text\n" + b.replacingOccurrences(of: "\n", with: "\r\n")
        let docs = try PEMDocument.parseAll(bundle)
        #expect(docs.count == 2)
        #expect(docs[0].label == "CERTIFICATE" && docs[0].derBytes == [1, 2, 3] && docs[0].headers.isEmpty)
        #expect(docs[1].header("proc-type") == "4,ENCRYPTED")
        #expect(docs[1].header("DEK-Info") == "DES-EDE3-CBC,0011223344556677")
        #expect(docs[1].derBytes == [4, 5, 6, 7])
        #expect(throws: X509Error.self) { try PEMDocument(pemEncoded: bundle) }   // two blocks, one expected
    }

    @Test func malformedBlocksAreRejected() {
        let good = PEMDocument(label: "CERTIFICATE", derBytes: [1, 2, 3]).pemEncoded
        let bad = [
            "",
            "no pem here",
            good.replacingOccurrences(of: "-----END CERTIFICATE-----", with: "-----END X509 CRL-----"),
            good.replacingOccurrences(of: "-----END CERTIFICATE-----\n", with: ""),
            good.replacingOccurrences(of: "AQID", with: "AQI*"),
            good.replacingOccurrences(of: "AQID", with: "AQIE="),
            "-----END CERTIFICATE-----\n",
            "-----BEGIN A-----\n-----BEGIN B-----\n-----END B-----\n-----END A-----\n",
        ]
        for text in bad {
            #expect(throws: X509Error.self, "\(text)") { try PEMDocument.parseAll(text) }
        }
    }

    /// The Wycheproof public keys in PEM decode to the same DER Wycheproof gives in hex.
    @Test func wycheproofPublicKeyPEMs() throws {
        var checked = 0
        for file in ["rsa_signature_2048_sha256_test.json", "rsa_signature_3072_sha256_test.json",
                     "rsa_signature_4096_sha256_test.json", "v0_rsa_signature_test.json"] {
            for group in try WycheproofRSAFile.load(file).testGroups {
                let pem = try #require(group.publicKeyPem ?? group.keyPem)
                let der = Hex.decode(try #require(group.publicKeyDer ?? group.keyDer))
                let doc = try PEMDocument(pemEncoded: pem)
                #expect(doc.label == "PUBLIC KEY" && doc.derBytes == der)
                checked += 1
            }
        }
        #expect(checked > 10)
    }
}
