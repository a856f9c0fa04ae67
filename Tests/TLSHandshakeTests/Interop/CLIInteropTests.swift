import Foundation
import Testing
import TLSHandshake
import TLSSockets
import TestSupport

/// The built `dicomtls` binary (`swift build` puts it next to the test bundle) against
/// GnuTLS: `tls-server` with an encrypted key, a key log and resumption; `tls-client` with
/// `--reconnect`; `--http`; and a failure that must exit non-zero with the alert in words.
@Suite(.timeLimit(.minutes(5))) struct CLIInteropTests {
    /// The `dicomtls` executable beside the test bundle, or `$DICOMTLS_BINARY`.
    static func binary() throws -> String {
        if let path = ProcessInfo.processInfo.environment["DICOMTLS_BINARY"] { return path }
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for directory in [bundle, bundle.deletingLastPathComponent()] {
            let candidate = directory.appendingPathComponent("dicomtls").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw PeerProcess.Failure(description: "no dicomtls binary next to \(bundle.path): run `swift build` (CI runs `swift build --build-tests`) first")
    }

    /// Starts `dicomtls tls-server --port 0 ...` and reads the port it prints.
    static func startServer(_ arguments: [String]) throws -> (PeerProcess, UInt16) {
        let server = try PeerProcess(try binary(), ["tls-server", "--port", "0"] + arguments, name: "dicomtls tls-server")
        try server.waitForOutput("listening on 127.0.0.1:", timeout: .seconds(20))
        let line = server.text.split(separator: "\n").first { $0.hasPrefix("listening on 127.0.0.1:") } ?? ""
        let port = try #require(UInt16(line.split(separator: ":").last ?? ""))
        return (server, port)
    }

    @Test func tlsServerEchoesToGnutlsCliAndResumes() throws {
        let pki = try TestPKI.get()
        let keylog = NSTemporaryDirectory() + "keylog-\(UUID().uuidString).txt"
        let peerKeylog = keylog + ".gnutls"
        defer {
            try? FileManager.default.removeItem(atPath: keylog)
            try? FileManager.default.removeItem(atPath: peerKeylog)
        }
        let (server, port) = try Self.startServer([
            "--cert", pki.serverCert, "--key", pki.encryptedServerKey, "--key-password-file", pki.passwordFile,
            "--keylog", keylog,
        ])
        defer { server.stop() }
        let client = try Peers.gnutlsClient(
            port: port, caFile: pki.caCert, priority: Peers.gnutlsPriority(), resume: true,
            environment: ["SSLKEYLOGFILE": peerKeylog])  // GnuTLS writes its own key log: ours must match
        defer { client.stop() }
        let payload = Payload.hexLines(count: Payload.mebibyte, seed: 51)
        client.feed(payload)
        let echoed = try client.waitForStdout(count: payload.count, after: "- Simple Client Mode:\n\n", timeout: .seconds(60))
        client.closeStdin()
        #expect(client.waitForExit(timeout: .seconds(10)) != nil)
        #expect(Payload.checksum(echoed) == Payload.checksum(payload))
        #expect(client.text.contains("This is a resumed session"))

        try server.waitForOutput("resumed=yes", timeout: .seconds(10))
        try server.waitForOutput("closed cleanly", timeout: .seconds(10))
        let stderr = String(decoding: server.stderr, as: UTF8.self)
        #expect(stderr.contains("handshake: TLS 1.0 TLS_RSA_WITH_3DES_EDE_CBC_SHA compression=null resumed=no peer=none"))
        let logLines = try String(contentsOfFile: keylog, encoding: .utf8).split(separator: "\n")
        #expect(logLines.count == 2)
        #expect(logLines.allSatisfy { $0.hasPrefix("CLIENT_RANDOM ") && $0.split(separator: " ").count == 3 })
        let peerLines = try String(contentsOfFile: peerKeylog, encoding: .utf8).split(separator: "\n")
            .filter { $0.hasPrefix("CLIENT_RANDOM ") }
        // GnuTLS logs one of the two handshakes of a --resume run; it must be one of ours,
        // and the resumed handshake reuses the first one's master secret.
        #expect(!peerLines.isEmpty)
        #expect(Set(peerLines).isSubset(of: Set(logLines)), "our key log differs from GnuTLS's")
        #expect(Set(logLines.map { $0.split(separator: " ").last ?? "" }).count == 1)
    }

    /// A client that connects and says nothing must not hold up the next one: each
    /// connection has its own thread (PEERS.md: pynetdicom's server gets this wrong).
    @Test func tlsServerServesOthersWhileOneClientStallsInTheHandshake() throws {
        let pki = try TestPKI.get()
        let (server, port) = try Self.startServer(["--cert", pki.serverCert, "--key", pki.serverKey])
        defer { server.stop() }
        let idle = try TCPSocket.connect(host: "127.0.0.1", port: port, timeout: .seconds(5))  // never sends a ClientHello
        defer { idle.close() }
        let client = try Peers.gnutlsClient(port: port, caFile: pki.caCert, priority: Peers.gnutlsPriority())
        defer { client.stop() }
        let payload = Payload.hexLines(count: Payload.mebibyte, seed: 53)
        let start = ContinuousClock.now
        client.feed(payload)
        let echoed = try client.waitForStdout(count: payload.count, after: "- Simple Client Mode:\n\n", timeout: .seconds(20))
        client.closeStdin()
        #expect(ContinuousClock.now - start < .seconds(20))
        #expect(Payload.checksum(echoed) == Payload.checksum(payload))
        #expect(!idle.isClosed)
    }

    @Test func tlsClientRelaysStdinThroughGnutlsServAndReconnects() throws {
        let pki = try TestPKI.get()
        let port = try InteropPaths.freePort()
        let server = try Peers.gnutlsServer(
            port: port, cert: pki.serverCert, key: pki.serverKey, priority: Peers.gnutlsPriority(noETM: true))
        defer { server.stop() }
        let client = try PeerProcess(
            try Self.binary(),
            ["tls-client", "127.0.0.1:\(port)", "--ca-file", pki.caCert, "--server-name", "localhost", "--reconnect", "2"],
            name: "dicomtls tls-client")
        defer { client.stop() }
        let payload = Payload.hexLines(count: Payload.mebibyte, seed: 52)
        client.feed(payload, thenClose: true)
        #expect(client.waitForExit(timeout: .seconds(60)) == 0, "\(client.text.suffix(2000))")
        #expect(Payload.checksum(client.stdout) == Payload.checksum(payload))
        let stderr = String(decoding: client.stderr, as: UTF8.self)
        #expect(stderr.contains("handshake: TLS 1.0 TLS_RSA_WITH_3DES_EDE_CBC_SHA compression=null resumed=no peer=\"CN=localhost"))
        #expect(stderr.contains("reconnect 1: session resumed"))
        #expect(stderr.contains("reconnect 2: session resumed"))
    }

    @Test func tlsServerAnswersHTTPToTlsClient() throws {
        let pki = try TestPKI.get()
        let (server, port) = try Self.startServer(["--cert", pki.serverCert, "--key", pki.serverKey, "--http"])
        defer { server.stop() }
        let client = try PeerProcess(
            try Self.binary(), ["tls-client", "127.0.0.1:\(port)", "--ca-file", pki.caCert, "--server-name", "localhost"],
            name: "dicomtls tls-client")
        defer { client.stop() }
        // TLS 1.0 has no half-close: a close_notify is answered at once and pending writes are
        // dropped (RFC 2246 §7.2.1), so stdin stays open until the page is back (as with s_client).
        client.feed(Array("GET / HTTP/1.0\r\n\r\n".utf8))
        try client.waitForOutput("</html>", timeout: .seconds(20))
        client.closeStdin()
        #expect(client.waitForExit(timeout: .seconds(20)) == 0, "\(client.text)")
        let page = String(decoding: client.stdout, as: UTF8.self)
        #expect(page.hasPrefix("HTTP/1.0 200 OK\r\n"))
        #expect(page.contains("TLS_RSA_WITH_AES_128_CBC_SHA"))  // both sides' defaults
    }

    @Test func tlsClientExitsNonZeroNamingTheAlert() throws {
        let pki = try TestPKI.get()
        let port = try InteropPaths.freePort()
        let server = try Peers.gnutlsServer(
            port: port, cert: pki.untrustedCert, key: pki.untrustedKey, priority: Peers.gnutlsPriority())
        defer { server.stop() }
        let client = try PeerProcess(
            try Self.binary(), ["tls-client", "127.0.0.1:\(port)", "--ca-file", pki.caCert, "--server-name", "localhost"],
            name: "dicomtls tls-client")
        defer { client.stop() }
        let status = client.waitForExit(timeout: .seconds(20))
        #expect(status == 1)
        let stderr = String(decoding: client.stderr, as: UTF8.self)
        #expect(stderr.contains("unknown_ca"), "\(stderr)")
        #expect(!stderr.contains("Fatal error") && !stderr.contains("Stack"))
        #expect(stderr.split(separator: "\n").count == 1)
    }
}
