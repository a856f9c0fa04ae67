import Foundation
import Testing
import TLSHandshake
@testable import DicomUL

/// DICOM over TLS 1.0 with client certificates required, in every direction between us and
/// DCMTK 3.6.7 / pynetdicom 3, over the two TLS 1.0 suites they share with us on this machine
/// (PEERS.md): `TLS_RSA_WITH_NULL_SHA` (`--profile-null`) and `TLS_RSA_WITH_AES_128_CBC_SHA`
/// (the DICOM AES TLS profile, PS3.15 B.3: `--profile-aes`). For AES our side keeps its
/// default list (AES-128, AES-256, 3DES). Stored data sets are compared byte for byte.
@Suite(.serialized, .timeLimit(.minutes(5))) struct DicomTLSInteropTests {
    static let nullSHA: [CipherSuite] = [.rsaWithNullSHA]
    static let binary = CLIInteropTests.binary
    static let dcmtk = FileManager.default.isExecutableFile(atPath: "/usr/bin/storescp")
    static let cli = FileManager.default.isExecutableFile(atPath: binary)

    /// One TLS 1.0 suite as each peer names it.
    struct Profile: Sendable, CustomStringConvertible {
        /// Our suites: NULL only when listed; for AES the defaults.
        var suites: [CipherSuite]
        /// The suite that must be negotiated.
        var suite: CipherSuite
        /// DCMTK's profile flag.
        var dcmtk: String
        /// Python `ssl` (OpenSSL) cipher string and name.
        var openSSL: String
        var openSSLName: String
        var description: String { suite.name }
    }

    static let null = Profile(
        suites: nullSHA, suite: .rsaWithNullSHA, dcmtk: "--profile-null", openSSL: "NULL-SHA:@SECLEVEL=0", openSSLName: "NULL-SHA")
    static let aes = Profile(
        suites: CipherSuite.defaults, suite: .rsaWithAES128CBCSHA, dcmtk: "--profile-aes", openSSL: "AES128-SHA:@SECLEVEL=0",
        openSSLName: "AES128-SHA")
    static let profiles = [null, aes]

    /// The TLS flags of our CLI for a peer with our test PKI.
    static func cliTLS(_ pki: DicomTestPKI, server: Bool, profile: Profile = null) -> [String] {
        ["--tls", "--cert", server ? pki.serverCert : pki.clientCert, "--key", server ? pki.serverKey : pki.clientKey,
         "--ca-file", pki.caCert] + (profile.suites == CipherSuite.defaults ? [] : ["--ciphers", profile.suites.map(\.name).joined(separator: ",")])
            + (server ? ["--verify", "require"] : [])
    }

    /// How our CLI reports the suite.
    static func reported(_ suite: CipherSuite) -> String {
        "\(suite.name) (encryption \(suite.encryptionAlgorithm), integrity \(suite.integrityAlgorithm))"
    }

    /// Our `echoscu`/`storescu --tls` → DCMTK `storescp +tls --profile-null|--profile-aes -rc`.
    @Test(.enabled(if: dcmtk && cli), arguments: profiles)
    func ourCLIToDCMTKStoreSCP(_ profile: Profile) throws {
        let pki = try DicomTestPKI.get()
        let port = try PeerProcess.freePort()
        let out = try PeerProcess.temporaryFolder("tls-dcmtk-scp")
        let scp = try PeerProcess("/usr/bin/storescp", [
            "+tls", pki.serverKey, pki.serverCert, "+cf", pki.caCert, profile.dcmtk, "-pw", "-rc",
            "-aet", "DCMTKSCP", "-od", out, String(port),
        ])
        defer { scp.kill() }
        #expect(PeerProcess.waitForPort(port))
        let tls = Self.cliTLS(pki, server: false, profile: profile)
        let echo = try PeerProcess(Self.binary, ["echoscu", "127.0.0.1", String(port), "--call", "DCMTKSCP"] + tls)
        #expect(echo.wait(timeout: 20) == 0, "\(echo.text) \(scp.text)")
        #expect(echo.text.contains(Self.reported(profile.suite)), "\(echo.text)")
        #expect(echo.text.contains("0x0000 (Success)"))
        let src = try PeerProcess.temporaryFolder("tls-dcmtk-src")
        let files = try PeerProcess.writeObjects(3, rows: 256, columns: 256, in: src)
        let store = try PeerProcess(Self.binary, ["storescu", "127.0.0.1", String(port), src, "--call", "DCMTKSCP"] + tls)
        #expect(store.wait(timeout: 30) == 0, "\(store.text) \(scp.text)")
        #expect(store.text.contains("3 file(s), 3 stored, 0 failed"), "\(store.text)")
        let stored = try DCMTKInteropTests.storedFiles(in: out)
        #expect(stored.count == 3)
        for f in files { #expect(try stored[f.object.sopInstanceUID].map(PeerProcess.dataSet(of:)) == f.object.dataSet) }
        // An untrusted client certificate: DCMTK refuses it; our message names the alert.
        let bad = try PeerProcess(Self.binary, [
            "echoscu", "127.0.0.1", String(port), "--call", "DCMTKSCP", "--tls", "--cert", pki.untrustedCert, "--key", pki.untrustedKey,
            "--ca-file", pki.caCert, "--ciphers", profile.suite.name,
        ])
        #expect(bad.wait(timeout: 20) == 1, "\(bad.text)")
        #expect(bad.text.contains("TLS handshake with 127.0.0.1:\(port) failed") && bad.text.contains("alert"), "\(bad.text)")
    }

    /// Our requestor (library) → a pynetdicom SCP over Python `ssl` (TLS 1.0, NULL-SHA or
    /// AES128-SHA, CERT_REQUIRED).
    @Test(arguments: profiles)
    func ourSCUToPynetdicomSCP(_ profile: Profile) throws {
        let pki = try DicomTestPKI.get()
        let port = try PeerProcess.freePort()
        let out = try PeerProcess.temporaryFolder("tls-py-scp")
        let script = try InteropScripts.write(SecureInteropScripts.scp, name: "tls-scp")
        let scp = try PeerProcess(
            "/usr/bin/env", ["python3", script, String(port), out, "PYSCP", pki.serverCert, pki.serverKey, pki.caCert],
            environment: ["DICOMTLS_CIPHERS": profile.openSSL])
        defer { scp.kill() }
        #expect(PeerProcess.waitForPort(port), "\(scp.text)")
        let links = EventLog()
        let client = DicomClient(try DicomClientConfiguration(
            host: "127.0.0.1", port: port, calledAETitle: "PYSCP", timeouts: DicomTimeouts(connect: 5, reply: 20),
            security: .tls(pki.client(suites: profile.suites), SecureTransportOptions(onSecureLinkReady: { links.append($0.summary) }))))
        #expect(try client.echo() == .success)
        let src = try PeerProcess.temporaryFolder("tls-py-src")
        let files = try PeerProcess.writeObjects(2, rows: 512, columns: 512, in: src)
        let summary = try client.store(files: files.map(\.path))
        #expect(summary.failures.isEmpty, "\(summary.failures.map(\.error.description)) \(scp.text)")
        for f in files {
            #expect(try PeerProcess.dataSet(of: out + "/" + f.object.sopInstanceUID + ".dcm") == f.object.dataSet)
        }
        #expect(links.all.count == 2)
        #expect(links.all.allSatisfy { $0.contains(profile.suite.name) && $0.contains("CN=localhost") }, "\(links.all)")
        // A client without a certificate is refused by pynetdicom's CERT_REQUIRED.
        let bare = DicomClient(try DicomClientConfiguration(
            host: "127.0.0.1", port: port, calledAETitle: "PYSCP", timeouts: DicomTimeouts(connect: 5, reply: 10),
            security: .tls(pki.client(suites: profile.suites, withCertificate: false))))
        let error = try #require(throws: DicomError.self) { try bare.echo() }
        #expect(error.code == .tls, "\(error)")
    }

    /// DCMTK `echoscu`/`storescu +tls --profile-null|--profile-aes` (pinned to TLS 1.0) → our
    /// `storescp --tls --verify require`. With `--profile-aes` our SCP keeps its defaults
    /// (AES-128, AES-256, 3DES) and DCMTK gets AES-128 (see ``dcmtkAESProfileOffer()`` for
    /// what DCMTK offers).
    @Test(.enabled(if: dcmtk && cli), arguments: profiles)
    func dcmtkToOurCLIStoreSCP(_ profile: Profile) throws {
        let pki = try DicomTestPKI.get()
        let port = try PeerProcess.freePort()
        let out = try PeerProcess.temporaryFolder("tls-our-scp")
        let scp = try PeerProcess(Self.binary, [
            "storescp", "--port", String(port), "--output-dir", out, "--aet", "OURSCP", "--host", "127.0.0.1", "-v",
        ] + Self.cliTLS(pki, server: true, profile: profile))
        defer { scp.kill() }
        #expect(PeerProcess.waitForPort(port))
        let conf = NSTemporaryDirectory() + "dicomul-openssl-tls1-\(UUID().uuidString).cnf"
        try SecureInteropScripts.openSSLTLS10.write(toFile: conf, atomically: true, encoding: .utf8)
        let env = ["OPENSSL_CONF": conf, "TCP_NODELAY": "1"]
        let dcmtkTLS = ["+tls", pki.clientKey, pki.clientCert, "+cf", pki.caCert, profile.dcmtk, "-pw", "-aec", "OURSCP"]
        let echo = try PeerProcess("/usr/bin/echoscu", dcmtkTLS + ["127.0.0.1", String(port)], environment: env)
        #expect(echo.wait(timeout: 20) == 0, "\(echo.text) \(scp.text)")
        let src = try PeerProcess.temporaryFolder("tls-dcmtk-scu-src")
        let files = try PeerProcess.writeObjects(3, rows: 200, columns: 200, in: src)
        let store = try PeerProcess("/usr/bin/storescu", dcmtkTLS + ["127.0.0.1", String(port)] + files.map(\.path), environment: env)
        #expect(store.wait(timeout: 30) == 0, "\(store.text) \(scp.text)")
        for f in files { #expect(try PeerProcess.dataSet(of: out + "/" + f.object.sopInstanceUID + ".dcm") == f.object.dataSet) }
        #expect(scp.text.contains("TLS 1.0 " + Self.reported(profile.suite)), "\(scp.text)")
        #expect(scp.text.contains("CN=Interop Test Client"), "\(scp.text)")
        // DCMTK without a client certificate: refused, and our SCP says why.
        let anonymous = try PeerProcess("/usr/bin/echoscu", ["+tla", "+cf", pki.caCert, profile.dcmtk, "-aec", "OURSCP", "127.0.0.1", String(port)], environment: env)
        #expect(anonymous.wait(timeout: 20).map { $0 != 0 } ?? false, "\(anonymous.text)")
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, !scp.text.contains("a client certificate is required") { usleep(20_000) }
        #expect(scp.text.contains("the client presented no certificate"), "\(scp.text)")
    }

    /// What DCMTK's `--profile-aes` client (pinned to TLS 1.0) offers, read from its
    /// ClientHello: TLS 1.0 and `TLS_RSA_WITH_AES_128_CBC_SHA` first. B.3 also lists 3DES as
    /// the fallback, but Debian's OpenSSL 3 has no 3DES, so this DCMTK offers 0x002F alone
    /// (and the SCSV); if a build offers 0x000A as well, it must come after AES. Our SCP
    /// with its defaults answers such an offer with AES-128 (``dcmtkToOurCLIStoreSCP(_:)``, and
    /// the engine test `ConnectionBehaviourTests.aesProfileOfferGetsAES`).
    @Test(.enabled(if: dcmtk)) func dcmtkAESProfileOffer() throws {
        let port = try PeerProcess.freePort()
        let script = try InteropScripts.write(SecureInteropScripts.clientHelloSuites, name: "hello")
        let listener = try PeerProcess("/usr/bin/env", ["python3", script, String(port)])
        defer { listener.kill() }
        #expect(PeerProcess.waitForPort(port), "\(listener.text)")
        let conf = NSTemporaryDirectory() + "dicomul-openssl-tls1-\(UUID().uuidString).cnf"
        try SecureInteropScripts.openSSLTLS10.write(toFile: conf, atomically: true, encoding: .utf8)
        let echo = try PeerProcess(
            "/usr/bin/echoscu", ["+tla", "-ic", "--profile-aes", "127.0.0.1", String(port)], environment: ["OPENSSL_CONF": conf])
        _ = echo.wait(timeout: 20)
        #expect(listener.wait(timeout: 20) == 0, "\(listener.text)")
        let line = try #require(listener.text.split(separator: "\n").first { $0.hasPrefix("HELLO ") }, "\(listener.text)")
        #expect(line.contains("record=0301 client=0301"), "\(line)")
        let suites = line.split(separator: "=").last.map { $0.split(separator: ",").map(String.init) } ?? []
        #expect(suites.first == "002f", "\(line)")
        if let des3 = suites.firstIndex(of: "000a") { #expect(des3 > 0) }
        #expect(!suites.contains("0002"), "--profile-aes must not offer NULL: \(line)")
    }

    /// A pynetdicom SCU over Python `ssl` → our acceptor (library), client certificate required.
    @Test(arguments: profiles)
    func pynetdicomSCUToOurSCP(_ profile: Profile) throws {
        let pki = try DicomTestPKI.get()
        let out = try PeerProcess.temporaryFolder("tls-our-scp-py")
        let links = EventLog()
        let server = try DicomServer(try DicomServerConfiguration(
            port: 0, outputDirectory: out, aeTitle: "OURSCP", host: "127.0.0.1",
            security: .tls(pki.server(suites: profile.suites), SecureTransportOptions(onSecureLinkReady: { links.append($0.summary) }))))
        server.start()
        defer { server.stop() }
        let src = try PeerProcess.temporaryFolder("tls-py-scu-src")
        let files = try PeerProcess.writeObjects(2, rows: 300, columns: 300, in: src)
        let script = try InteropScripts.write(SecureInteropScripts.scu, name: "tls-scu")
        let scu = try PeerProcess(
            "/usr/bin/env", ["python3", script, String(server.port), "OURSCP", pki.clientCert, pki.clientKey, pki.caCert] + files.map(\.path),
            environment: ["DICOMTLS_CIPHERS": profile.openSSL])
        #expect(scu.wait(timeout: 60) == 0, "\(scu.text)")
        #expect(scu.text.contains("OK"))
        #expect(scu.text.contains("CIPHER \(profile.openSSLName) TLSv1"), "\(scu.text)")
        for f in files {
            #expect(try PeerProcess.dataSet(of: out + "/" + f.object.sopInstanceUID + ".dcm") == f.object.dataSet)
        }
        #expect(links.all.count == 1)
        #expect(links.all.first?.contains("CN=Interop Test Client") ?? false, "\(links.all)")
        #expect(links.all.first?.contains(profile.suite.name) ?? false, "\(links.all)")
    }

    /// Without a port, `--tls` uses DICOM's TLS port 2762; without `--tls` a port is required.
    @Test(.enabled(if: cli)) func cliDefaultsToPort2762WithTLS() throws {
        let pki = try DicomTestPKI.get()
        let tls = ["--tls", "--ca-file", pki.caCert, "--timeout", "3"]
        let echo = try PeerProcess(Self.binary, ["echoscu", "127.0.0.1"] + tls)
        #expect(echo.wait(timeout: 20) == 1, "\(echo.text)")
        #expect(echo.text.contains("127.0.0.1:2762"), "\(echo.text)")
        let src = try PeerProcess.temporaryFolder("tls-port-src")
        let files = try PeerProcess.writeObjects(1, in: src)
        let store = try PeerProcess(Self.binary, ["storescu", "127.0.0.1", files[0].path] + tls)
        #expect(store.wait(timeout: 20) == 1, "\(store.text)")
        #expect(store.text.contains("127.0.0.1:2762"), "\(store.text)")
        let plain = try PeerProcess(Self.binary, ["echoscu", "127.0.0.1"])
        #expect(plain.wait(timeout: 20).map { $0 != 0 } ?? false)
        #expect(plain.text.contains("give a port"), "\(plain.text)")
    }

    /// Wrong port both ways against DCMTK: our TLS requestor on DCMTK's plain port (DCMTK
    /// resets the connection) and DCMTK's plain requestor on our TLS port; our side says what
    /// happened, quickly.
    @Test(.enabled(if: dcmtk)) func wrongPortAgainstDCMTK() throws {
        let pki = try DicomTestPKI.get()
        let port = try PeerProcess.freePort()
        let out = try PeerProcess.temporaryFolder("tls-dcmtk-plain")
        let scp = try PeerProcess("/usr/bin/storescp", ["-aet", "DCMTKSCP", "-od", out, String(port)])
        defer { scp.kill() }
        #expect(PeerProcess.waitForPort(port))
        let client = DicomClient(try DicomClientConfiguration(
            host: "127.0.0.1", port: port, calledAETitle: "DCMTKSCP", timeouts: DicomTimeouts(connect: 5, reply: 5),
            security: .tls(pki.client(suites: Self.nullSHA))))
        let t0 = Date()
        let error = try #require(throws: DicomError.self) { try client.echo() }
        #expect(error.message.contains("plain, non-TLS"), "\(error)")
        #expect(Date().timeIntervalSince(t0) < 5)

        let events = EventLog()
        let server = try DicomServer(try DicomServerConfiguration(
            port: 0, outputDirectory: out, aeTitle: "OURSCP", host: "127.0.0.1", timeouts: DicomTimeouts(artim: 5),
            security: .tls(pki.server(suites: Self.nullSHA)), log: { events.append($0) }))
        server.start()
        defer { server.stop() }
        let echo = try PeerProcess("/usr/bin/echoscu", ["-aec", "OURSCP", "127.0.0.1", String(server.port)])
        #expect(echo.wait(timeout: 20).map { $0 != 0 } ?? false, "\(echo.text)")
        #expect(events.wait(for: "sent a plain DICOM PDU (A-ASSOCIATE-RQ) on a TLS port"), "\(events.all)")
    }
}
