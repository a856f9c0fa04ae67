import Foundation
import Synchronization
import TLSRecord
import Testing
import X509
@testable import TLSHandshake

/// Building configurations from PEM files (SSLCAFile, SetServerCertificateTLS, the password
/// event) and the checks a configuration makes once.
@Suite struct ConfigurationTests {
    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tlshandshake-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func loadsPEMFilesAndAsksForThePasswordOnlyWhenEncrypted() throws {
        let pki = try HandshakePKI.shared.get()
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let chain = dir.appendingPathComponent("chain.pem").path
        let plainKey = dir.appendingPathComponent("key.pem").path
        let encryptedKey = dir.appendingPathComponent("key-enc.pem").path
        let ca = dir.appendingPathComponent("ca.pem").path
        func pem(_ c: Certificate) -> String { PEMDocument(label: "CERTIFICATE", derBytes: c.derBytes).pemEncoded }
        try (pem(pki.server) + pem(pki.root)).write(toFile: chain, atomically: true, encoding: .utf8)
        try pki.serverKey.pkcs8PEM.write(toFile: plainKey, atomically: true, encoding: .utf8)
        try pki.serverKey.encryptedPKCS8PEM(password: "s3cret", iterations: 1000).write(toFile: encryptedKey, atomically: true, encoding: .utf8)
        try pem(pki.root).write(toFile: ca, atomically: true, encoding: .utf8)

        let asked = Mutex(0)
        let certificates = try TLSConfiguration.certificates(pemFile: chain)
        #expect(certificates == [pki.server, pki.root])
        let key1 = try TLSConfiguration.privateKey(pemFile: plainKey, password: { asked.withLock { $0 += 1 }; return "unused" })
        #expect(asked.withLock { $0 } == 0)
        let key2 = try TLSConfiguration.privateKey(pemFile: encryptedKey, password: { asked.withLock { $0 += 1 }; return "s3cret" })
        #expect(asked.withLock { $0 } == 1)
        #expect(key1.publicKey == pki.serverKey.publicKey && key2.publicKey == pki.serverKey.publicKey)
        // A wrong password is a clear configuration error, never a garbage key.
        #expect(throws: TLSError.self) { _ = try TLSConfiguration.privateKey(pemFile: encryptedKey, password: { "wrong" }) }
        let roots = try TLSConfiguration.trustRoots(pemFile: ca)
        #expect(roots.certificates == [pki.root])
        _ = try TLSConfiguration.server(certificateChain: certificates, privateKey: key2, trustRoots: roots, verification: .peer)
        do {
            _ = try TLSConfiguration.certificates(pemFile: dir.appendingPathComponent("missing.pem").path)
            Issue.record("a missing file was accepted")
        } catch {
            #expect(error.code == .configuration && error.message.contains("missing.pem"))
        }
    }

    @Test func loadsDERFilesAndCAFolders() throws {
        let pki = try HandshakePKI.shared.get()
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(pki.server.derBytes).write(to: dir.appendingPathComponent("server.der"))
        try Data(pki.serverKey.pkcs8DER).write(to: dir.appendingPathComponent("server.key"))
        let cas = dir.appendingPathComponent("cas")
        try FileManager.default.createDirectory(at: cas, withIntermediateDirectories: true)
        try PEMDocument(label: "CERTIFICATE", derBytes: pki.root.derBytes).pemEncoded.write(
            to: cas.appendingPathComponent("root.pem"), atomically: true, encoding: .utf8)
        try Data(pki.otherRoot.derBytes).write(to: cas.appendingPathComponent("other.crt"))
        try "not a certificate".write(to: cas.appendingPathComponent("README.txt"), atomically: true, encoding: .utf8)
        #expect(try TLSConfiguration.certificates(pemFile: dir.appendingPathComponent("server.der").path) == [pki.server])
        #expect(try TLSConfiguration.privateKey(pemFile: dir.appendingPathComponent("server.key").path).publicKey == pki.serverKey.publicKey)
        let store = try TLSConfiguration.trustRoots(directory: cas.path)
        #expect(Set(store.certificates.map(\.derBytes)) == [pki.root.derBytes, pki.otherRoot.derBytes])
    }

    @Test func invalidConfigurationsSayWhatIsWrong() throws {
        let pki = try HandshakePKI.shared.get()
        func message(_ body: () throws(TLSError) -> TLSConfiguration) -> String? {
            do { _ = try body(); return nil } catch { return error.message }
        }
        #expect(message { () throws(TLSError) in try .client(cipherSuites: []) }?.contains("no cipher suites") == true)
        #expect(message { () throws(TLSError) in try .client(verification: .peer) }?.contains("trustRoots") == true)
        #expect(message { () throws(TLSError) in try .client(certificateChain: [pki.client], verification: .noneInsecure) }?.contains("together") == true)
        #expect(message { () throws(TLSError) in try .server(certificateChain: [], privateKey: pki.serverKey) }?.contains("certificate chain") == true)
        #expect(message { () throws(TLSError) in try .server(certificateChain: [pki.server], privateKey: pki.serverKey, verification: .requirePeerCertificate) }?
            .contains("trustRoots") == true)
        #expect(message { () throws(TLSError) in try .client(verification: .noneInsecure, cipherSuites: [.rsaWithNullSHA, .rsaWithNullSHA]) }?.contains("twice") == true)
        // Roles are enforced.
        let client = try TLSConfiguration.client(verification: .noneInsecure)
        #expect(throws: TLSError.self) { _ = try TLSConnection(server: client) }
    }

    @Test func defaultsAreSafe() throws {
        let c = try TLSConfiguration.client(trustRoots: TrustStore([]))
        #expect(c.cipherSuites == [.rsaWithAES128CBCSHA, .rsaWithAES256CBCSHA, .rsaWith3DESEDECBCSHA])
        let go = try TestKeys.goClient()
        let s = try TLSConfiguration.server(certificateChain: [go.certificate], privateKey: go.key)
        #expect(s.cipherSuites == c.cipherSuites)  // servers enable the same three
        #expect(c.certificateVerification == .peer)
        #expect(c.options.contains(.recordSplitting) && !c.options.contains(.deflateCompression))
        #expect(!c.options.contains(.allowLegacyRenegotiation))
    }
}
