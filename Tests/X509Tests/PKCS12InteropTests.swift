import Foundation
import TestSupport
import Testing
@testable import X509

/// `openssl pkcs12 -export` run live with its encryption and MAC options: every file loads with
/// the right password (asked once) and fails with a typed error with a wrong one.
@Suite struct PKCS12InteropTests {
    let dir: TempDirectory

    init() throws {
        dir = try TempDirectory()
    }

    @discardableResult
    private func openssl(_ args: [String]) throws -> Subprocess.Result { try Subprocess.openssl(args) }

    private func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir.path(name))))
    }

    static let variants: [(String, [String])] = [
        ("default", []),
        ("legacy", ["-legacy"]),
        ("legacy-3des-certs", ["-legacy", "-certpbe", "PBE-SHA1-3DES"]),
        ("legacy-2key-3des", ["-legacy", "-keypbe", "PBE-SHA1-2DES", "-certpbe", "PBE-SHA1-2DES"]),
        ("legacy-rc2-128", ["-legacy", "-certpbe", "PBE-SHA1-RC2-128"]),
        ("aes128-sha1mac", ["-keypbe", "AES-128-CBC", "-certpbe", "AES-128-CBC", "-macalg", "sha1"]),
        ("aes192", ["-keypbe", "AES-192-CBC", "-certpbe", "AES-192-CBC"]),
        ("des3-pbes2", ["-keypbe", "DES-EDE3-CBC", "-certpbe", "DES-EDE3-CBC"]),
        ("mac-only", ["-keypbe", "NONE", "-certpbe", "NONE"]),
        ("no-mac", ["-nomac"]),
        ("iter-1", ["-iter", "1", "-noiter"]),
    ]

    @Test func opensslExportVariantsLoad() throws {
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.path("k.pem"), "-out", dir.path("c.pem"),
                     "-subj", "/CN=p12 interop", "-days", "2"])
        let key = try RSAPrivateKey(pemEncoded: String(contentsOfFile: dir.path("k.pem"), encoding: .utf8))
        let certificate = try Certificate(pemEncoded: String(contentsOfFile: dir.path("c.pem"), encoding: .utf8))
        for (name, options) in Self.variants {
            try openssl(["pkcs12", "-export", "-in", dir.path("c.pem"), "-inkey", dir.path("k.pem"), "-passout", "pass:pfx-secret",
                         "-out", dir.path("\(name).p12")] + options)
            let der = try bytes("\(name).p12")
            var asked = 0
            let p12 = try PKCS12(derEncoded: der, password: { asked += 1; return "pfx-secret" })
            #expect(asked == 1, "\(name)")
            #expect(p12.privateKey.pkcs1DER == key.pkcs1DER, "\(name)")
            #expect(p12.certificateChain == [certificate], "\(name)")
            do {
                _ = try PKCS12(derEncoded: der, password: { "pfx-secreT" })
                Issue.record("\(name): wrong password accepted")
            } catch {
                #expect(error.code == .wrongPassword, "\(name): \(error)")
            }
        }
    }

    /// An empty export password (`-passout pass:`), which OpenSSL encodes in its own way.
    @Test func emptyPasswordLoads() throws {
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir.path("k.pem"), "-out", dir.path("c.pem"),
                     "-subj", "/CN=p12 empty", "-days", "2"])
        for (name, options) in [("empty", [String]()), ("empty-legacy", ["-legacy"])] {
            try openssl(["pkcs12", "-export", "-in", dir.path("c.pem"), "-inkey", dir.path("k.pem"), "-passout", "pass:",
                         "-out", dir.path("\(name).p12")] + options)
            let p12 = try PKCS12(derEncoded: bytes("\(name).p12"), password: { "" })
            #expect(p12.certificateChain.count == 1, "\(name)")
        }
    }
}

/// PBMAC1 (RFC 9579), which OpenSSL 3.4 writes with `-pbmac1_pbkdf2`: OpenSSL 3.0 cannot, so
/// the MacData of an OpenSSL file is replaced by a PBMAC1 one whose key (`openssl kdf PBKDF2`)
/// and HMAC (`openssl mac HMAC`) the openssl CLI computes.
@Suite struct PKCS12PBMAC1Tests {
    let dir: TempDirectory

    init() throws {
        dir = try TempDirectory()
    }

    private func openssl(_ args: [String]) throws -> String {
        try Subprocess.openssl(args).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `openssl kdf`/`mac` print `AB:CD:…` or `abcd…`.
    private static func hexOutput(_ s: String) -> [UInt8] {
        Hex.decode(s.replacingOccurrences(of: ":", with: "").trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test(arguments: [("SHA256", 32), ("SHA1", 20)])
    func pbmac1FileLoads(_ digest: String, _ keyLength: Int) throws {
        let original = [UInt8](try Vectors.data("pkcs12/openssl3-default.p12"))
        let root = try DER.parse(original)
        var fields = try root.children()
        _ = try fields.next()
        let authSafe = try fields.next()
        let content = try PFX(original).authenticatedSafe
        try Data(content).write(to: URL(fileURLWithPath: dir.path("authsafe.bin")))

        let salt: [UInt8] = Array("PBMAC1 test salt".utf8)
        let key = Self.hexOutput(try openssl([
            "kdf", "-keylen", String(keyLength), "-kdfopt", "digest:\(digest)", "-kdfopt", "pass:\(PKCS12Tests.password)",
            "-kdfopt", "hexsalt:\(Hex.encode(salt))", "-kdfopt", "iter:2048", "PBKDF2",
        ]))
        let mac = Self.hexOutput(try openssl([
            "mac", "-digest", digest, "-macopt", "hexkey:\(Hex.encode(key))", "-in", dir.path("authsafe.bin"), "HMAC",
        ]))
        #expect(key.count == keyLength && mac.count == keyLength)
        let hmacOID: ASN1ObjectIdentifier = digest == "SHA256" ? KeyOIDs.hmacWithSHA256 : KeyOIDs.hmacWithSHA1

        func file(mac value: [UInt8]) -> [UInt8] {
            var w = DERWriter()
            w.sequence { pfx in
                pfx.integer(3)
                pfx.raw(authSafe.encodedBytes)
                pfx.sequence { macData in
                    macData.sequence { digestInfo in
                        digestInfo.sequence { alg in
                            alg.objectIdentifier(KeyOIDs.pbmac1)
                            alg.sequence { params in
                                params.sequence { kdf in
                                    kdf.objectIdentifier(KeyOIDs.pbkdf2)
                                    kdf.sequence { p in
                                        p.octetString(salt)
                                        p.integer(2048)
                                        p.integer(keyLength)
                                        p.sequence { prf in
                                            prf.objectIdentifier(hmacOID)
                                            prf.null()
                                        }
                                    }
                                }
                                params.sequence { scheme in
                                    scheme.objectIdentifier(hmacOID)
                                    scheme.null()
                                }
                            }
                        }
                        digestInfo.octetString(value)
                    }
                    macData.octetString(Array("NOT USED".utf8))  // RFC 9579 §4: ignored
                    macData.integer(1)
                }
            }
            return w.bytes
        }

        let expected = try PKCS12Tests.expected()
        let p12 = try PKCS12(derEncoded: file(mac: mac), password: { PKCS12Tests.password })
        #expect(p12.privateKey.pkcs1DER == expected.key.pkcs1DER)
        #expect(p12.certificateChain == expected.chain)
        #expect(throws: X509Error(.wrongPassword, "")) { try PKCS12(derEncoded: file(mac: mac), password: { "wrong" }) }
        var altered = mac
        altered[0] ^= 1
        #expect(throws: X509Error(.integrityCheckFailed, "")) {
            try PKCS12(derEncoded: file(mac: altered), password: { PKCS12Tests.password })
        }
    }
}
