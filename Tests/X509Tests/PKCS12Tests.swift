import CryptoPrimitives
import Foundation
import TestSupport
import Testing
@testable import X509

/// PKCS#12 import: the KDF against OpenSSL's published vectors, files written by OpenSSL 3 and
/// Java 17 (`Vectors/pkcs12/`, both encryption kinds), wrong passwords, altered files and
/// hostile structures.
@Suite struct PKCS12Tests {
    static let password = "dicom-p12"
    static let files = [
        "openssl3-default.p12", "openssl3-legacy.p12", "openssl3-legacy-3des.p12", "java17-default.p12", "java17-legacy.p12",
    ]

    static func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Vectors.data("pkcs12/\(name)")) }

    struct Expected {
        let key: RSAPrivateKey
        let chain: [Certificate]
    }

    static func expected() throws -> Expected {
        let key = try RSAPrivateKey(pemEncoded: Vectors.text("pkcs12/leaf.key"))
        let chain = try ["leaf.pem", "intermediate.pem", "ca.pem"].map { try Certificate(pemEncoded: Vectors.text("pkcs12/\($0)")) }
        return Expected(key: key, chain: chain)
    }

    // MARK: The PKCS#12 KDF (RFC 7292 Appendix B)

    /// OpenSSL's `test/recipes/30-test_evp_data/evpkdf_pkcs12.txt` (also in Bouncy Castle's
    /// PKCS12 tests); passwords are BMPStrings with the trailing zero pair.
    @Test(arguments: [
        ("smeg", "0a58cf64530d823f", 1, PKCS12KDF.Purpose.key, "8aaae6297b6cb04642ab5b077851284eb7128f1a2a7fbca3"),
        ("smeg", "0a58cf64530d823f", 1, .iv, "79993dfe048d3b76"),
        ("queeg", "1682c0fc5b3f7ec5", 1000, .key, "483dd6e919d7de2e8e648ba8f862f3fbfbdc2bcb2c02957f"),
        ("smeg", "3d83c0e4546ac140", 1, .mac, "8d967d88f6caa9d714800ab3d48051d63f73a312"),
    ])
    func kdfVectors(_ password: String, _ salt: String, _ iterations: Int, _ purpose: PKCS12KDF.Purpose, _ output: String) {
        let bmp = PKCS12KDF.bmpPassword(Array(password.utf8))
        #expect(bmp.count == 2 * password.count + 2 && bmp.suffix(2) == [0, 0])
        let derived = PKCS12KDF.derive(SHA1.self, purpose: purpose, password: bmp, salt: Hex.decode(salt),
                                       iterations: iterations, count: output.count / 2)
        #expect(Hex.encode(derived).lowercased() == output)
    }

    // MARK: Files made by OpenSSL 3 and Java 17

    @Test(arguments: files)
    func fileLoadsWithItsChain(_ name: String) throws {
        let expected = try Self.expected()
        var asked = 0
        let p12 = try PKCS12(derEncoded: Self.bytes(name), password: { asked += 1; return Self.password })
        #expect(asked == 1, "\(name)")
        #expect(p12.privateKey.pkcs1DER == expected.key.pkcs1DER, "\(name)")
        #expect(p12.certificateChain == expected.chain, "\(name): leaf, intermediate, root in order")
        #expect(p12.otherCertificates.isEmpty, "\(name)")
    }

    @Test(arguments: files)
    func wrongOrMissingPasswordIsATypedError(_ name: String) throws {
        let der = try Self.bytes(name)
        #expect(throws: X509Error(.wrongPassword, "")) { try PKCS12(derEncoded: der, password: { "dicom-p13" }) }
        #expect(throws: X509Error(.wrongPassword, "")) { try PKCS12(derEncoded: der, password: { "" }) }
        #expect(throws: X509Error(.passwordRequired, "")) { try PKCS12(derEncoded: der) }
        #expect(throws: X509Error(.passwordRequired, "")) { try PKCS12(derEncoded: der, password: { nil }) }
        struct Refused: Error {}
        #expect(throws: X509Error(.passwordCallbackFailed, "")) { try PKCS12(derEncoded: der, password: { throw Refused() }) }
    }

    /// A changed MAC value, or a changed byte under the MAC, with the right password: the file
    /// was altered, and the error says so rather than blaming the password.
    @Test(arguments: ["openssl3-default.p12", "openssl3-legacy.p12"])
    func alteredFileFailsTheMAC(_ name: String) throws {
        let der = try Self.bytes(name)
        let pfx = try PFX(der)
        let macValue = try #require(pfx.mac?.expected)
        let macAt = try #require(Self.range(of: macValue, in: der))
        var badMAC = der
        badMAC[macAt.lowerBound] ^= 0x01
        do {
            _ = try PKCS12(derEncoded: badMAC, password: { Self.password })
            Issue.record("\(name): altered MAC accepted")
        } catch {
            #expect(error.code == .integrityCheckFailed, "\(name): \(error)")
            #expect(error.message.contains("MAC"))
        }
        // The last byte of the AuthenticatedSafe (the key bag's localKeyId attribute).
        var badContent = der
        badContent[pfx.authenticatedSafe.endIndex - 1] ^= 0x80
        #expect(throws: X509Error(.integrityCheckFailed, "")) { try PKCS12(derEncoded: badContent, password: { Self.password }) }
        #expect(throws: X509Error(.wrongPassword, "")) { try PKCS12(derEncoded: badContent, password: { "nope" }) }
    }

    // MARK: Hostile files

    /// Every prefix of a real file fails with a typed error, never a trap.
    @Test func truncatedFilesFailCleanly() throws {
        let der = try Self.bytes("openssl3-legacy.p12")
        for length in stride(from: 0, to: der.count, by: 97) {
            #expect(throws: X509Error.self) { try PKCS12(derEncoded: Array(der.prefix(length)), password: { Self.password }) }
        }
    }

    /// Lying lengths: each length byte of the outer structure bumped by one.
    @Test func lyingLengthsFailCleanly() throws {
        let der = try Self.bytes("openssl3-default.p12")
        for offset in [1, 2, 3, 9, 10, 24, 25, 28, 29] {
            var bad = der
            bad[offset] &+= 1
            #expect(throws: X509Error.self) { try PKCS12(derEncoded: bad, password: { Self.password }) }
        }
    }

    /// An iteration count above the PBKDF2 cap is refused before any work is done.
    @Test func hugeIterationCountsAreRefused() throws {
        let authSafe = Self.authenticatedSafe(bags: [Self.keyBag()])
        for count in [PBES2.maximumIterations + 1, Int(Int32.max), 0, -1] {
            let der = Self.pfx(authSafe, macIterations: count)
            let start = ContinuousClock.now
            #expect(throws: X509Error(.invalidKey, "")) { try PKCS12(derEncoded: der, password: { "x" }) }
            #expect(ContinuousClock.now - start < .seconds(1))
        }
        // The legacy PBE of a shrouded key bag, and PBES2 of encrypted content, too.
        let legacy = Self.pfx(Self.authenticatedSafe(bags: [Self.shroudedKeyBag(iterations: 1 << 40)]), macIterations: nil)
        #expect(throws: X509Error(.invalidKey, "")) { try PKCS12(derEncoded: legacy, password: { "x" }) }
    }

    /// The count limits of ``PKCS12/Limits``.
    @Test func countLimitsHold() throws {
        let manyBags = Array(repeating: Self.keyBag(), count: PKCS12.Limits.maximumBags + 1)
        let tooMany = Self.pfx(Self.authenticatedSafe(bags: manyBags), macIterations: nil)
        #expect(throws: X509Error(.invalidPKCS12, "")) { try PKCS12(derEncoded: tooMany) }
        var w = DERWriter()
        w.sequence { s in
            for _ in 0...PKCS12.Limits.maximumContentInfos { s.raw(Self.dataContentInfo(Self.safeContents([]))) }
        }
        #expect(throws: X509Error(.invalidPKCS12, "")) { try PKCS12(derEncoded: Self.pfx(w.bytes, macIterations: nil)) }
    }

    /// A file with no MAC and no encryption never asks for the password; one without a key or
    /// with a key but no certificate for it is refused clearly.
    @Test func plainFilesAndMissingParts() throws {
        let expected = try Self.expected()
        let plain = Self.pfx(Self.authenticatedSafe(bags: [Self.keyBag(expected.key.pkcs8DER), Self.certBag(expected.chain[0])]), macIterations: nil)
        let p12 = try PKCS12(derEncoded: plain, password: { Issue.record("asked for a password"); return "x" })
        #expect(p12.privateKey.pkcs1DER == expected.key.pkcs1DER && p12.certificateChain == [expected.chain[0]])
        let noKey = Self.pfx(Self.authenticatedSafe(bags: [Self.certBag(expected.chain[0])]), macIterations: nil)
        #expect(throws: X509Error(.invalidPKCS12, "")) { try PKCS12(derEncoded: noKey) }
        let wrongCert = Self.pfx(Self.authenticatedSafe(bags: [Self.keyBag(expected.key.pkcs8DER), Self.certBag(expected.chain[2])]), macIterations: nil)
        #expect(throws: X509Error(.invalidPKCS12, "")) { try PKCS12(derEncoded: wrongCert) }
    }

    // MARK: Hand-built structures (RFC 7292 §4)

    static func range(of needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard needle.count <= haystack.count else { return nil }
        for i in 0...(haystack.count - needle.count) where Array(haystack[i..<(i + needle.count)]) == needle {
            return i..<(i + needle.count)
        }
        return nil
    }

    static func dataContentInfo(_ content: [UInt8]) -> [UInt8] {
        var w = DERWriter()
        w.sequence { s in
            s.objectIdentifier(PKCS12OIDs.data)
            s.explicit(0) { $0.octetString(content) }
        }
        return w.bytes
    }

    static func safeContents(_ bags: [[UInt8]]) -> [UInt8] {
        var w = DERWriter()
        w.sequence { s in for b in bags { s.raw(b) } }
        return w.bytes
    }

    static func authenticatedSafe(bags: [[UInt8]]) -> [UInt8] {
        var w = DERWriter()
        w.sequence { $0.raw(dataContentInfo(safeContents(bags))) }
        return w.bytes
    }

    static func bag(_ id: ASN1ObjectIdentifier, _ value: [UInt8]) -> [UInt8] {
        var w = DERWriter()
        w.sequence { s in
            s.objectIdentifier(id)
            s.explicit(0) { $0.raw(value) }
        }
        return w.bytes
    }

    /// A keyBag; by default holding a tiny well-formed SEQUENCE (never reached by the limit tests).
    static func keyBag(_ pkcs8: [UInt8] = [0x30, 0x00]) -> [UInt8] { bag(PKCS12OIDs.keyBag, pkcs8) }

    static func certBag(_ certificate: Certificate) -> [UInt8] {
        var w = DERWriter()
        w.sequence { s in
            s.objectIdentifier(PKCS12OIDs.x509Certificate)
            s.explicit(0) { $0.octetString(certificate.derBytes) }
        }
        return bag(PKCS12OIDs.certBag, w.bytes)
    }

    /// A pkcs8ShroudedKeyBag under pbeWithSHAAnd3-KeyTripleDES-CBC with `iterations`.
    static func shroudedKeyBag(iterations: Int) -> [UInt8] {
        var w = DERWriter()
        w.sequence { s in
            s.sequence { alg in
                alg.objectIdentifier([1, 2, 840, 113_549, 1, 12, 1, 3])
                alg.sequence { p in
                    p.octetString([UInt8](repeating: 1, count: 8))
                    p.integer(iterations)
                }
            }
            s.octetString([UInt8](repeating: 0, count: 16))
        }
        return bag(PKCS12OIDs.pkcs8ShroudedKeyBag, w.bytes)
    }

    /// A PFX around `authSafe`, with a SHA-1 MacData of `macIterations` (a zero MAC value) or none.
    static func pfx(_ authSafe: [UInt8], macIterations: Int?) -> [UInt8] {
        var w = DERWriter()
        w.sequence { s in
            s.integer(3)
            s.raw(dataContentInfo(authSafe))
            if let macIterations {
                s.sequence { mac in
                    mac.sequence { di in
                        di.sequence { alg in
                            alg.objectIdentifier(KeyOIDs.sha1)
                            alg.null()
                        }
                        di.octetString([UInt8](repeating: 0, count: 20))
                    }
                    mac.octetString([UInt8](repeating: 2, count: 8))
                    mac.integer(macIterations)
                }
            }
        }
        return w.bytes
    }
}

extension PKCS12Tests {
    /// One byte flipped at a time across a legacy file: each load succeeds or throws an
    /// `X509Error`, never traps (the MAC catches most; the rest must be typed errors).
    @Test func flippedBytesGiveTypedErrors() throws {
        let der = try Self.bytes("openssl3-legacy.p12")
        var loaded = 0
        for offset in stride(from: 0, to: der.count, by: 67) {
            var bad = der
            bad[offset] ^= 0x5A
            do {
                _ = try PKCS12(derEncoded: bad, password: { Self.password })
                loaded += 1
            } catch {
                #expect(!error.message.isEmpty, "offset \(offset)")
            }
        }
        #expect(loaded == 0, "a changed byte went unnoticed \(loaded) times")
    }
}
