import Foundation
import Testing
import TLSHandshake
import TestSupport
import X509

/// `dicomtls cert` as a site CA: `ca init`, `issue server/client`, `sign` an `openssl req`
/// request, `revoke`, `crl`; the results are accepted by `openssl verify -crl_check`, by
/// GnuTLS's `certtool --verify` with the CRL, and by `gnutls-serv`/`gnutls-cli` as server
/// and client certificates.
@Suite(.timeLimit(.minutes(5))) struct CLICertificateAuthorityTests {
    let dir: String

    init() throws {
        dir = NSTemporaryDirectory() + "site-ca-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "fleet-secret\n".write(toFile: dir + "/pw.txt", atomically: true, encoding: .utf8)
    }

    func path(_ name: String) -> String { dir + "/" + name }

    @discardableResult
    func dicomtls(_ args: [String], expect status: Int32 = 0) async throws -> String {
        let run = try PeerProcess(try CLIInteropTests.binary(), args, name: "dicomtls", directory: dir)
        defer { run.stop() }
        let code = await run.exitStatus(within: 60)
        #expect(code == status, "dicomtls \(args.joined(separator: " ")): \(run.text)")
        return run.text
    }

    func tool(_ executable: String, _ args: [String]) async throws -> (Int32?, String) {
        let run = try PeerProcess(executable, args, name: URL(fileURLWithPath: executable).lastPathComponent, directory: dir)
        defer { run.stop() }
        return (await run.exitStatus(within: 30), run.text)
    }

    @Test func fleetLifecycle() async throws {
        let ca = ["--ca-dir", "site", "--ca-password-file", "pw.txt"]
        try await dicomtls(["cert", "ca", "init", "--organization", "General Hospital", "--bits", "2048"] + ca)
        try await dicomtls(["cert", "ca", "init"] + ca, expect: 1)  // never overwrites a CA
        #expect(try String(contentsOfFile: path("site/ca.key"), encoding: .utf8).hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        try await dicomtls(["cert", "issue", "server", "--host", "localhost", "--ip", "127.0.0.1", "--out", "pacs"] + ca)
        try await dicomtls(["cert", "issue", "client", "--aet", "CT_ROOM_2", "--out", "ct2"] + ca)
        try await dicomtls(["cert", "issue", "client", "--aet", "MR_1", "--out", "mr1"] + ca)
        try await dicomtls(["cert", "issue", "client", "--aet", "BAD\\AE", "--out", "bad"] + ca, expect: 64)

        // A device's request made by openssl req, asking for CA:TRUE (which policy drops).
        let (reqStatus, reqText) = try await tool("/usr/bin/openssl", [
            "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "dev.key", "-out", "dev.csr", "-subj", "/CN=us-probe-7",
            "-addext", "subjectAltName=DNS:us7.local", "-addext", "basicConstraints=critical,CA:TRUE",
        ])
        #expect(reqStatus == 0, "\(reqText)")
        let signed = try await dicomtls(["cert", "sign", "dev.csr", "--profile", "server", "--accept-requested-names", "--out", "dev.pem"] + ca)
        #expect(signed.contains("not copied: 2.5.29.19"))
        let (_, devText) = try await tool("/usr/bin/openssl", ["x509", "-in", "dev.pem", "-noout", "-text"])
        #expect(devText.contains("DNS:us7.local") && devText.contains("CA:FALSE"), "\(devText)")
        // A request whose signature was tampered with is refused.
        var csr = try Data(contentsOf: URL(fileURLWithPath: path("dev.csr")))
        let der = try #require(Data(base64Encoded: String(decoding: csr, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()))
        var bytes = Array(der)
        bytes[bytes.count - 5] ^= 0x01
        csr = Data(bytes)
        try csr.write(to: URL(fileURLWithPath: path("tampered.der")))
        try await dicomtls(["cert", "sign", "tampered.der", "--profile", "server", "--host", "x.local", "--out", "t.pem"] + ca, expect: 1)

        try await dicomtls(["cert", "revoke", "ct2.pem", "--reason", "keyCompromise"] + ca)
        try await dicomtls(["cert", "crl", "--out", "crl.pem"] + ca)
        let list = try await dicomtls(["cert", "ca", "list", "--ca-dir", "site"])
        #expect(list.split(separator: "\n").count == 4)
        #expect(list.contains("revoked") && list.contains("CN=CT_ROOM_2"))

        // OpenSSL: revoked is revoked, the rest verify with the CRL.
        let (okStatus, okText) = try await tool("/usr/bin/openssl", ["verify", "-crl_check", "-CAfile", "site/ca.pem", "-CRLfile", "crl.pem", "pacs.pem", "mr1.pem", "dev.pem"])
        #expect(okStatus == 0, "\(okText)")
        let (revStatus, revText) = try await tool("/usr/bin/openssl", ["verify", "-crl_check", "-CAfile", "site/ca.pem", "-CRLfile", "crl.pem", "ct2.pem"])
        #expect(revStatus != 0 && revText.contains("certificate revoked"), "\(revText)")
        let (_, sanText) = try await tool("/usr/bin/openssl", ["x509", "-in", "ct2.pem", "-noout", "-ext", "subjectAltName"])
        #expect(sanText.contains("URI:urn:dicom:aetitle:CT_ROOM_2"))

        // GnuTLS: certtool with the CRL, then a real handshake with both certificates.
        let (_, gnutlsRevoked) = try await tool("/usr/bin/certtool", ["--verify", "--load-ca-certificate", "site/ca.pem", "--load-crl", "crl.pem", "--infile", "ct2-chain.pem"])
        #expect(gnutlsRevoked.contains("revoked"), "\(gnutlsRevoked)")
        let (_, gnutlsGood) = try await tool("/usr/bin/certtool", ["--verify", "--load-ca-certificate", "site/ca.pem", "--load-crl", "crl.pem", "--infile", "pacs-chain.pem"])
        #expect(gnutlsGood.contains("Verified. The certificate is trusted"), "\(gnutlsGood)")
        let port = try InteropPaths.freePort()
        let server = try Peers.gnutlsServer(
            port: port, cert: path("pacs-chain.pem"), key: path("pacs.key"), priority: "NORMAL", clientCA: path("site/ca.pem"))
        defer { server.stop() }
        let client = try Peers.gnutlsClient(port: port, caFile: path("site/ca.pem"), priority: "NORMAL", cert: path("mr1.pem"), key: path("mr1.key"))
        defer { client.stop() }
        try client.waitForOutput("Handshake was completed", timeout: .seconds(10))
        #expect(client.text.contains("The certificate is trusted"))
        try server.waitForOutput("The certificate is trusted", timeout: .seconds(10))
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// `--pkcs12` on `issue` and `sign`: OpenSSL 3 opens both kinds without `-legacy` and finds
    /// the certificate, the CA and the key that the PEM files hold; our own `tls-server` serves
    /// GnuTLS from the 3DES file.
    @Test func pkcs12Output() async throws {
        let ca = ["--ca-dir", "site", "--ca-password-file", "pw.txt"]
        try "p12 secret\n".write(toFile: path("p12pw.txt"), atomically: true, encoding: .utf8)
        let p12 = ["--pkcs12-password-file", "p12pw.txt"]
        try await dicomtls(["cert", "ca", "init", "--bits", "2048"] + ca)
        try await dicomtls(["cert", "issue", "client", "--aet", "US_3", "--out", "us3", "--pkcs12", "us3.p12", "--pkcs12-encryption", "3des"] + p12 + ca)
        try await dicomtls(["cert", "issue", "server", "--host", "localhost", "--out", "pacs", "--pkcs12", "pacs.p12"] + p12 + ca)
        try await dicomtls(["cert", "issue", "client", "--aet", "US_4", "--out", "us4", "--pkcs12", "us4.p12"] + ca, expect: 64)
        try await dicomtls(["cert", "issue", "client", "--aet", "US_4", "--out", "us4", "--pkcs12", "us4.p12", "--pkcs12-iterations", "1000"] + p12 + ca, expect: 64)
        let (reqStatus, reqText) = try await tool("/usr/bin/openssl", [
            "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "dev.key", "-out", "dev.csr", "-subj", "/CN=us-probe-8"])
        #expect(reqStatus == 0, "\(reqText)")
        try await dicomtls(["cert", "sign", "dev.csr", "--profile", "client", "--aet", "US_8", "--out", "dev.pem", "--key", "us3.key",
                            "--pkcs12", "dev.p12"] + p12 + ca, expect: 1)  // not the request's key
        try await dicomtls(["cert", "sign", "dev.csr", "--profile", "client", "--aet", "US_8", "--out", "dev.pem", "--key", "dev.key",
                            "--pkcs12", "dev.p12", "--pkcs12-encryption", "3des", "--pkcs12-iterations", "10000"] + p12 + ca)

        for (file, pem, key) in [("us3.p12", "us3.pem", "us3.key"), ("pacs.p12", "pacs.pem", "pacs.key"), ("dev.p12", "dev.pem", "dev.key")] {
            let (status, text) = try await tool("/usr/bin/openssl", ["pkcs12", "-in", file, "-passin", "pass:p12 secret", "-nodes"])
            #expect(status == 0, "\(file): \(text)")
            let written = try String(contentsOfFile: path(pem), encoding: .utf8) + String(contentsOfFile: path("site/ca.pem"), encoding: .utf8)
            let certificates = try Certificate.parseAll(pemEncoded: text)
            #expect(certificates == (try Certificate.parseAll(pemEncoded: written)), "\(file)")
            let ours = try RSAPrivateKey(pemEncoded: String(contentsOfFile: path(key), encoding: .utf8))
            #expect(try RSAPrivateKey(pemEncoded: text).pkcs1DER == ours.pkcs1DER, "\(file)")
            let (wrong, _) = try await tool("/usr/bin/openssl", ["pkcs12", "-in", file, "-passin", "pass:p12 secreT", "-nodes"])
            #expect(wrong != 0, "\(file)")
        }
        let (_, info) = try await tool("/usr/bin/openssl", ["pkcs12", "-in", "dev.p12", "-passin", "pass:p12 secret", "-info", "-noout"])
        #expect(info.contains("pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 10000") && info.contains("MAC: sha1, Iteration 10000"), "\(info)")

        let (server, port) = try CLIInteropTests.startServer(["--pkcs12", path("pacs.p12"), "--key-password-file", path("p12pw.txt")])
        defer { server.stop() }
        let client = try Peers.gnutlsClient(port: port, caFile: path("site/ca.pem"), priority: Peers.gnutlsPriority())
        defer { client.stop() }
        try client.waitForOutput("Handshake was completed", timeout: .seconds(10))
        try? FileManager.default.removeItem(atPath: dir)
    }
}
