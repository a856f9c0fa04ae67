import CryptoPrimitives
import Foundation
import Testing
import X509
@testable import TLSHandshake

/// Bad input at the API (issue 8 §5): the configuration loaders and the connection
/// initialisers throw one typed error whose message names the file and the problem.
@Suite struct APIBadInputTests {
    static func file(_ name: String, _ contents: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "dicomtls-api-badinput-\(getpid())-\(name)"
        try Data(contents).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func expectConfigurationError(_ what: String, mentions words: [String], _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("\(what): no error")
        } catch {
            guard let error = error as? TLSError else {
                Issue.record("\(what): not a TLSError: \(error)")
                return
            }
            #expect(error.code == .configuration, "\(what): \(error)")
            #expect(error.alert == nil)
            for w in words { #expect(error.message.localizedCaseInsensitiveContains(w), "\(what): no '\(w)' in \(error.message)") }
        }
    }

    @Test func loaders() throws {
        let pki = try HandshakePKI.shared.get()
        let keyPEM = Array(pki.serverKey.pkcs8PEM.utf8)
        let encrypted = Array(try pki.serverKey.encryptedPKCS8PEM(password: "right", iterations: 16).utf8)
        let keyFile = try Self.file("key.pem", keyPEM)
        let encryptedFile = try Self.file("enc.pem", encrypted)
        let empty = try Self.file("empty.pem", [])
        let garbage = try Self.file("garbage.der", [0x30, 0x82, 0xFF, 0xFF, 1, 2, 3])
        let truncatedPEM = try Self.file("trunc.pem", Array("-----BEGIN CERTIFICATE-----\nMIIB\n".utf8))

        Self.expectConfigurationError("missing certificate file", mentions: ["/nonexistent/c.pem"]) {
            _ = try TLSConfiguration.certificates(pemFile: "/nonexistent/c.pem")
        }
        Self.expectConfigurationError("missing key file", mentions: ["/nonexistent/k.pem"]) {
            _ = try TLSConfiguration.privateKey(pemFile: "/nonexistent/k.pem")
        }
        Self.expectConfigurationError("CA file holding only a key", mentions: [keyFile, "CERTIFICATE"]) {
            _ = try TLSConfiguration.trustRoots(pemFile: keyFile)
        }
        Self.expectConfigurationError("empty CA file", mentions: [empty]) {
            _ = try TLSConfiguration.trustRoots(pemFile: empty)
        }
        Self.expectConfigurationError("DER garbage", mentions: [garbage]) {
            _ = try TLSConfiguration.certificates(pemFile: garbage)
        }
        Self.expectConfigurationError("truncated PEM", mentions: [truncatedPEM]) {
            _ = try TLSConfiguration.certificates(pemFile: truncatedPEM)
        }
        Self.expectConfigurationError("wrong password", mentions: [encryptedFile, "password"]) {
            _ = try TLSConfiguration.privateKey(pemFile: encryptedFile, password: { "wrong" })
        }
        Self.expectConfigurationError("no password for an encrypted key", mentions: [encryptedFile]) {
            _ = try TLSConfiguration.privateKey(pemFile: encryptedFile)
        }
        // The right password loads the same key.
        #expect(try TLSConfiguration.privateKey(pemFile: encryptedFile, password: { "right" }).publicKey == pki.serverKey.publicKey)
    }

    @Test func configurations() throws {
        let pki = try HandshakePKI.shared.get()
        Self.expectConfigurationError("a key that does not match the certificate", mentions: []) {
            try TLSConfiguration.checkKey(pki.clientKey, matches: pki.server)
        }
        Self.expectConfigurationError("no cipher suites", mentions: ["cipher"]) {
            _ = try TLSConfiguration.server(certificateChain: [pki.server], privateKey: pki.serverKey, cipherSuites: [])
        }
        Self.expectConfigurationError("a client configuration for a server", mentions: ["client"]) {
            _ = try TLSConnection(server: try pki.clientConfig())
        }
        Self.expectConfigurationError("negative verify depth", mentions: ["verifyDepth"]) {
            _ = try TLSConfiguration.client(trustRoots: TrustStore([pki.root]), verifyDepth: -1)
        }
    }
}
