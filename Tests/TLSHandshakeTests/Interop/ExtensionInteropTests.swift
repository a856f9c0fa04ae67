import Foundation
import Testing
import TLSHandshake
import TLSRecord
import TLSSockets
import TestSupport
import X509

/// ALPN (RFC 7301) and SNI certificate selection (RFC 6066 §3) against real peers (issue 11
/// A8, A9): gnutls-cli, openssl s_client (NULL-SHA) and tlslite-ng offer `dicom` to our server;
/// gnutls-cli asks `tls-server` (two `--cert`/`--key` pairs) for two different host names.
@Suite(.timeLimit(.minutes(5))) struct ExtensionInteropTests {
    static func dicomServer(suites: [CipherSuite] = CipherSuite.defaults) throws -> OurEchoServer {
        var configuration = try OurSide.server(try TestPKI.get(), suites: suites)
        configuration.applicationProtocols = ["dicom"]
        return try OurEchoServer(configuration: configuration)
    }

    /// One line echoed, then the peer closes; returns what our server recorded.
    static func echoOneLine(_ client: PeerProcess, server: OurEchoServer) throws -> OurEchoServer.Connection {
        let line = Array("alpn says dicom\n".utf8)
        client.feed(line)
        #expect(try client.waitForPayload(line, timeout: .seconds(20)) == line)
        client.closeStdin()
        _ = client.waitForExit(timeout: .seconds(10))
        return try #require(server.connections(count: 1).first)
    }

    @Test func gnutlsCliNegotiatesDicom() throws {
        let pki = try TestPKI.get()
        let server = try Self.dicomServer()
        defer { server.stop() }
        let client = try Peers.gnutlsClient(
            port: server.port, caFile: pki.caCert, priority: Peers.gnutlsPriority(), extraArguments: ["--alpn", "http/1.1", "--alpn", "dicom"])
        defer { client.stop() }
        let connection = try Self.echoOneLine(client, server: server)
        #expect(client.text.contains("- Application protocol: dicom"), "\(client.text)")
        #expect(connection.info?.applicationProtocol == "dicom")
    }

    @Test func opensslSClientNegotiatesDicomOverNullSHA() throws {
        let pki = try TestPKI.get()
        let server = try Self.dicomServer(suites: [.rsaWithNullSHA])
        defer { server.stop() }
        let client = try PeerProcess(
            "/usr/bin/openssl",
            ["s_client", "-connect", "127.0.0.1:\(server.port)", "-tls1", "-cipher", Peers.opensslNullCipher, "-CAfile", pki.caCert,
             "-verify_return_error", "-nocommands", "-alpn", "dicom"],
            name: "openssl s_client")
        defer { client.stop() }
        let connection = try Self.echoOneLine(client, server: server)
        #expect(client.text.contains("ALPN protocol: dicom"), "\(client.text)")
        #expect(connection.info?.applicationProtocol == "dicom" && connection.info?.cipherSuite == .rsaWithNullSHA)
    }

    @Test func tlsliteNegotiatesDicom() throws {
        let server = try Self.dicomServer()
        defer { server.stop() }
        let directory = NSTemporaryDirectory() + "tlslite-alpn-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data("dicom over tlslite\n".utf8).write(to: URL(fileURLWithPath: directory + "/send.bin"))
        let client = try PeerProcess(
            "/usr/bin/env",
            ["python3", InteropPaths.scripts + "/tlslite_client.py", "--port", String(server.port), "--send", directory + "/send.bin",
             "--received", directory + "/received.bin", "--alpn", "dicom"],
            name: "tlslite_client.py")
        defer { client.stop() }
        #expect(client.waitForExit(timeout: .seconds(60)) == 0, "\(client.text)")
        #expect(client.text.contains("alpn=dicom"), "\(client.text)")
        #expect(server.connections(count: 1).first?.info?.applicationProtocol == "dicom")
    }

    /// A client offering only other protocols gets `no_application_protocol` (120).
    @Test func gnutlsCliWithoutDicomGetsNoApplicationProtocol() throws {
        let pki = try TestPKI.get()
        let server = try Self.dicomServer()
        defer { server.stop() }
        let client = try Peers.gnutlsClient(
            port: server.port, caFile: pki.caCert, priority: Peers.gnutlsPriority(), extraArguments: ["--alpn", "h2"])
        defer { client.stop() }
        let status = client.waitForExit(timeout: .seconds(20))
        #expect(status != nil && status != 0)
        let connection = try #require(server.connections(count: 1).first)
        #expect(connection.error?.alert?.description == .noApplicationProtocol && connection.error?.alert?.fromPeer == false)
    }

    /// `tls-server` with two chains: gnutls-cli asking for pacs.example gets (and verifies) the
    /// pacs.example certificate; asking for localhost, the first. `tls-server --http` selects
    /// http/1.1 for a client that offers it.
    @Test func tlsServerChoosesTheChainBySNI() throws {
        let pki = try TestPKI.get()
        let directory = try Self.pacsDirectory(pki)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (server, port) = try CLIInteropTests.startServer(
            ["--cert", pki.serverCert, "--key", pki.serverKey, "--cert", directory + "/pacs.pem", "--key", pki.serverKey, "--http"])
        defer { server.stop() }
        for name in ["pacs.example", "localhost"] {
            let client = try Self.gnutlsCli(port: port, sni: name, pki, extra: ["--alpn", "http/1.1"])
            defer { client.stop() }
            client.feed(Array("GET / HTTP/1.0\r\n\r\n".utf8))
            try client.waitForOutput("</html>", timeout: .seconds(20))
            #expect(client.text.contains("The certificate is trusted"), "\(name): \(client.text)")
            #expect(client.text.contains("subject `CN=\(name)"), "\(name): \(client.text)")
            #expect(client.text.contains("- Application protocol: http/1.1"))
            try server.waitForOutput("sni=\(name) alpn=http/1.1", timeout: .seconds(10))
        }
    }

    /// `storescp --tls` takes `--cert`/`--key` twice too, and presents the chain the SNI names.
    @Test func storescpChoosesTheChainBySNI() throws {
        let pki = try TestPKI.get()
        let directory = try Self.pacsDirectory(pki)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let port = try InteropPaths.freePort()
        let scp = try PeerProcess(
            try CLIInteropTests.binary(),
            ["storescp", "--tls", "--port", String(port), "--host", "127.0.0.1", "--output-dir", directory, "--cert", pki.serverCert,
             "--key", pki.serverKey, "--cert", directory + "/pacs.pem", "--key", pki.serverKey],
            name: "dicomtls storescp")
        defer { scp.stop() }
        try scp.waitForOutput("listening on", timeout: .seconds(20))
        let client = try Self.gnutlsCli(port: port, sni: "pacs.example", pki, extra: ["--alpn", "dicom"])
        defer { client.stop() }
        try client.waitForOutput("- Simple Client Mode:", timeout: .seconds(20))
        #expect(client.text.contains("The certificate is trusted") && client.text.contains("subject `CN=pacs.example"), "\(client.text)")
        #expect(client.text.contains("- Application protocol: dicom"))
    }

    static func gnutlsCli(port: UInt16, sni name: String, _ pki: TestPKI, extra: [String]) throws -> PeerProcess {
        try PeerProcess(
            "/usr/bin/gnutls-cli",
            ["-p", String(port), "--x509cafile", pki.caCert, "--priority", Peers.gnutlsPriority(), "--sni-hostname", name,
             "--verify-hostname", name] + extra + ["127.0.0.1"],
            name: "gnutls-cli")
    }

    /// A new temporary folder holding `pacs.pem`: a server certificate for pacs.example from the
    /// test CA, on the test server's key.
    static func pacsDirectory(_ pki: TestPKI) throws -> String {
        let directory = NSTemporaryDirectory() + "sni-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let serverKey = try OurSide.key(pki.serverKey)
        let pacs = try CertificateBuilder.tlsServer(
            subject: DistinguishedName([.commonName("pacs.example")]), publicKey: serverKey.publicKey, serialNumber: [0x5E],
            validity: Validity(notBefore: ASN1Time(year: 2020, month: 1, day: 1).unsafelyUnwrapped,
                               notAfter: ASN1Time(year: 2090, month: 1, day: 1).unsafelyUnwrapped),
            dnsNames: ["pacs.example"]
        ).signed(by: try #require(try OurSide.certificates(pki.caCert).first), key: try OurSide.key(pki.path("ca.key")))
        try pacs.pemEncoded.write(toFile: directory + "/pacs.pem", atomically: true, encoding: .utf8)
        return directory
    }
}
