import Foundation
import Testing
import TLSHandshake
import TestSupport

/// `dicomtls tls-server --pkcs12`: the server identity from a PKCS#12 file that
/// `openssl pkcs12 -export -legacy` wrote (3DES key, RC2-40 certificates, as Windows and Java),
/// reached by `gnutls-cli`; and the clear failures of a wrong password or conflicting flags.
@Suite(.timeLimit(.minutes(2))) struct CLIPKCS12Tests {
    /// Writes `server.p12` (server certificate + CA, password `TestPKI.password`) and returns its path.
    static func exportServerPKCS12(_ pki: TestPKI, options: [String]) throws -> String {
        let path = NSTemporaryDirectory() + "dicomtls-p12-\(getpid())-\(UUID().uuidString).p12"
        let p = try PeerProcess("/usr/bin/openssl", [
            "pkcs12", "-export", "-in", pki.serverCert, "-inkey", pki.serverKey, "-certfile", pki.caCert,
            "-passout", "pass:\(TestPKI.password)", "-out", path,
        ] + options, name: "openssl pkcs12")
        defer { p.stop() }
        guard p.waitForExit(timeout: .seconds(30)) == 0 else { throw PeerProcess.Failure(description: "openssl pkcs12 failed: \(p.text)") }
        return path
    }

    @Test(arguments: [["-legacy"], []])
    func tlsServerWithPKCS12ServesGnutlsCli(_ options: [String]) throws {
        let pki = try TestPKI.get()
        let p12 = try Self.exportServerPKCS12(pki, options: options)
        defer { try? FileManager.default.removeItem(atPath: p12) }
        let (server, port) = try CLIInteropTests.startServer(["--pkcs12", p12, "--key-password-file", pki.passwordFile])
        defer { server.stop() }
        let client = try Peers.gnutlsClient(port: port, caFile: pki.caCert, priority: Peers.gnutlsPriority())
        defer { client.stop() }
        let payload = Payload.hexLines(count: Payload.mebibyte, seed: 61)
        client.feed(payload)
        let echoed = try client.waitForStdout(count: payload.count, after: "- Simple Client Mode:\n\n", timeout: .seconds(60))
        client.closeStdin()
        #expect(client.waitForExit(timeout: .seconds(10)) != nil)
        #expect(Payload.checksum(echoed) == Payload.checksum(payload))
    }

    @Test func wrongPasswordAndConflictingFlagsFailClearly() throws {
        let pki = try TestPKI.get()
        let p12 = try Self.exportServerPKCS12(pki, options: ["-legacy"])
        defer { try? FileManager.default.removeItem(atPath: p12) }
        let wrong = try CLIBadInputTests.scratch("p12-wrong-password.txt", "not-the-password\n")
        let w = try CLIBadInputTests.run(["tls-server", "--port", "0", "--pkcs12", p12, "--key-password-file", wrong])
        CLIBadInputTests.expectClearFailure(w, mentions: [p12, "password"], "--pkcs12 with a wrong password")
        let none = try CLIBadInputTests.run(["tls-server", "--port", "0", "--pkcs12", p12])
        CLIBadInputTests.expectClearFailure(none, mentions: ["--key-password-file"], "--pkcs12 without a password")
        let both = try CLIBadInputTests.run(["tls-server", "--port", "0", "--pkcs12", p12, "--cert", pki.serverCert, "--key", pki.serverKey])
        CLIBadInputTests.expectClearFailure(both, mentions: ["--pkcs12"], "--pkcs12 with --cert/--key")
        let asKey = try CLIBadInputTests.run(["tls-server", "--port", "0", "--cert", pki.serverCert, "--key", p12])
        CLIBadInputTests.expectClearFailure(asKey, mentions: [p12, "--pkcs12"], "a PKCS#12 file given as --key")
        let garbage = try CLIBadInputTests.scratch("garbage.p12", "not a pkcs12 file\n")
        let g = try CLIBadInputTests.run(["tls-server", "--port", "0", "--pkcs12", garbage, "--key-password-file", wrong])
        CLIBadInputTests.expectClearFailure(g, mentions: [garbage, "PKCS#12"], "--pkcs12 with a non-PKCS#12 file")
    }
}
