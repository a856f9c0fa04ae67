import Foundation
import Testing
import TLSRecord
import TLSSockets
import TestSupport
import X509
@testable import TLSHandshake

/// The security review's scripts for F5, F7 and F8 (reviews/security-review-2026-12.md,
/// appendix), and the `tls-server --http` double alert of issue 11 A2, turned into tests: each
/// sends exactly the hostile bytes to the built `dicomtls tls-server` and asserts its answer on
/// the wire, then that the server still serves a legitimate client.
@Suite(.timeLimit(.minutes(5))) struct ReviewReproductionTests {
    static func server(_ extra: [String] = []) throws -> (PeerProcess, UInt16) {
        let pki = try TestPKI.get()
        return try CLIInteropTests.startServer(
            ["--cert", pki.serverCert, "--key", pki.serverKey, "--ciphers", "TLS_RSA_WITH_3DES_EDE_CBC_SHA,TLS_RSA_WITH_NULL_SHA"] + extra)
    }

    /// A legitimate client still gets its echo.
    static func expectStillServes(_ port: UInt16, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let stream = try BlockingTLSStream.connect(
            host: "127.0.0.1", port: port, configuration: try OurSide.client(try TestPKI.get()), serverName: "localhost",
            timeout: .seconds(10))
        stream.ioTimeout = .seconds(10)
        #expect(try OurSide.echoExchange(stream, Array("still serving\n".utf8)) == Array("still serving\n".utf8), sourceLocation: sourceLocation)
        try stream.close()
    }

    /// F8 (`scsv.py`): ClientHello with TLS_FALLBACK_SCSV at client_version 1.0, 1.1 and 1.2:
    /// every one is answered with a TLS 1.0 ServerHello, never `inappropriate_fallback`.
    @Test func fallbackSCSVIsAnsweredWithTLS10() throws {
        let (server, port) = try Self.server()
        defer { server.stop() }
        for version: UInt16 in [0x0301, 0x0302, 0x0303] {
            let socket = try TCPSocket.connect(host: "127.0.0.1", port: port, timeout: .seconds(5))
            defer { socket.close() }
            try socket.write(RawTLS.record(22, RawTLS.clientHello(version: version, suites: [0x000A, 0x5600])))
            var answer: [UInt8] = [], buffer = [UInt8](repeating: 0, count: 1 << 16)
            let deadline = ContinuousClock.now + .seconds(10)
            while !answer.contains(21), !(RawTLS.records(answer).last?.body.last == 0 && RawTLS.records(answer).last?.body.suffix(4) == [14, 0, 0, 0]) {
                let n = try socket.read(into: &buffer, deadline: deadline)
                if n == 0 { break }
                answer += buffer[..<n]
            }
            let records = RawTLS.records(answer)
            #expect(!records.contains { $0.type == 21 }, "0x\(String(version, radix: 16)) + SCSV got an alert: \(records.map(\.body))")
            let hello = try #require(records.first { $0.type == 22 }?.body)
            #expect(hello[0] == 2 && hello[4] == 3 && hello[5] == 1, "0x\(String(version, radix: 16)): not a TLS 1.0 ServerHello")
        }
    }

    /// F7 (`alert_stream.py`): warning alerts before any ClientHello. The 5th is answered with a
    /// fatal `unexpected_message` and the connection ends; a stream of thousands ends as fast.
    @Test func warningAlertStreamEndsAtTheFifth() throws {
        let (server, port) = try Self.server()
        defer { server.stop() }
        let warning = RawTLS.record(21, [1, 0x5A])  // user_canceled
        let socket = try TCPSocket.connect(host: "127.0.0.1", port: port, timeout: .seconds(5))
        defer { socket.close() }
        try socket.write(Array([[UInt8]](repeating: warning, count: 5).joined()))
        let (answer, closed) = WireClient.readToEnd(socket)
        #expect(answer == RawTLS.record(21, [2, 10]), "answer: \(answer)")
        #expect(closed)

        let flood = try TCPSocket.connect(host: "127.0.0.1", port: port, timeout: .seconds(5))
        defer { flood.close() }
        let start = ContinuousClock.now
        var ended = false
        for _ in 0..<200 where !ended {
            do { try flood.write(Array([[UInt8]](repeating: warning, count: 4096).joined()), deadline: .now + .seconds(5)) } catch { ended = true }
        }
        if !ended { ended = WireClient.readToEnd(flood, timeout: .seconds(5)).closed }
        #expect(ended && ContinuousClock.now - start < .seconds(10), "the alert stream was still accepted")
        try Self.expectStillServes(port)
    }

    /// F5 (a) (`reneg.py`): a client-initiated renegotiation gets the warning `no_renegotiation`
    /// and the connection carries on under the current keys; with `--allow-client-renegotiation`
    /// three complete in a minute and the fourth is refused.
    @Test func clientRenegotiationIsRefusedThenRateLimited() throws {
        let pki = try TestPKI.get()
        for allow in [false, true] {
            let (server, port) = try Self.server(allow ? ["--allow-client-renegotiation"] : [])
            defer { server.stop() }
            var client = try WireClient.connect(port: port, configuration: try OurSide.client(pki))
            try client.handshake()
            for round in 1...4 {
                try client.tls.renegotiate()
                let refused = !allow || round == 4
                try client.run { events in
                    let done = events.filter { if case .handshakeComplete = $0 { true } else { false } }.count
                    let warned = events.contains { if case .warningAlert(.noRenegotiation) = $0 { true } else { false } }
                    return refused ? warned : done == round + 1
                }
                if refused { break }
            }
            try client.tls.send(Array("ping\n".utf8))
            try client.run { WireClient.data($0).count >= 5 }
            #expect(client.data == Array("ping\n".utf8))
            let completed = client.events.filter { if case .handshakeComplete = $0 { true } else { false } }.count
            #expect(completed == (allow ? 4 : 1))
            if allow { try server.waitForOutput("renegotiation: TLS 1.0", timeout: .seconds(10)) }
        }
    }

    /// F5 (b) (`identity_switch.py`): after a handshake with client certificate A, a
    /// renegotiation presenting B (same CA) is refused with `bad_certificate`.
    @Test func clientIdentitySwitchIsRefused() throws {
        let pki = try TestPKI.get()
        let (server, port) = try Self.server(["--ca-file", pki.caCert, "--verify", "require", "--allow-client-renegotiation"])
        defer { server.stop() }
        let caKey = try OurSide.key(pki.path("ca.key"))
        let ca = try #require(try OurSide.certificates(pki.caCert).first)
        let clientKey = try OurSide.key(pki.clientKey)
        let b = try CertificateBuilder.tlsClient(
            subject: DistinguishedName([.commonName("Other Modality B")]), publicKey: clientKey.publicKey, serialNumber: [0x0B],
            validity: Validity(notBefore: ASN1Time(year: 2020, month: 1, day: 1).unsafelyUnwrapped,
                               notAfter: ASN1Time(year: 2090, month: 1, day: 1).unsafelyUnwrapped)
        ).signed(by: ca, key: caKey)

        var client = try WireClient.connect(port: port, configuration: try OurSide.client(pki, cert: pki.clientCert, key: pki.clientKey))
        try client.handshake()
        try client.tls.send(Array("as A\n".utf8))
        try client.run { WireClient.data($0).count >= 5 }
        var asB = try OurSide.client(pki, cert: pki.clientCert, key: pki.clientKey)
        asB.certificateChain = [b]
        client.tls.replaceConfigurationForTesting(asB)
        try client.tls.renegotiate()
        do {
            try client.handshake(count: 2)
            Issue.record("the server accepted certificate B on renegotiation")
        } catch let error as TLSError {
            #expect(error.alert == .badCertificate && error.isPeerAlert, "\(error)")
        }
        try server.waitForOutput("changed during renegotiation", timeout: .seconds(10))
    }

    /// Issue 11 A2: `tls-server --http` answers, sends close_notify, and then puts nothing more on
    /// the wire when the client's next alert is malformed (level 0): no second alert.
    @Test func nothingFollowsCloseNotifyOnTheWire() throws {
        let (server, port) = try Self.server(["--http"])
        defer { server.stop() }
        var client = try WireClient.connect(port: port, configuration: try OurSide.client(try TestPKI.get()))
        try client.handshake()
        try client.tls.send(Array("GET / HTTP/1.0\r\n\r\n".utf8))
        try client.flush()
        // The page, then an alert record (held back until our malformed alert is on its way).
        let closeNotify = try client.feedRecords(until: .alert)
        #expect(String(decoding: client.data, as: UTF8.self).hasPrefix("HTTP/1.0 200 OK"))
        try client.tls.sendRecordForTesting(.alert, [0, 10])
        try client.flush()
        client.tls.receive(closeNotify)
        while let e = try client.tls.nextEvent() { client.events.append(e) }
        #expect(client.events.contains { if case .closed = $0 { true } else { false } }, "the held alert was not close_notify")
        let (after, closed) = client.readToEnd()
        #expect(after.isEmpty, "the server sent \(after.count) bytes after its close_notify")
        #expect(closed)
    }

    /// `gnutls-cli --rehandshake` against a default `tls-server`: it receives `no_renegotiation`
    /// and our server sends no fatal alert and goes on serving. (gnutls-cli 3.7.9 itself does not
    /// carry on: its handshake loop retries on any non-fatal error, GnuTLS restarts the
    /// renegotiation after the warning, and gives up with an internal error after 16 tries.)
    /// With `--allow-client-renegotiation` the renegotiation completes and data flows.
    @Test(arguments: [false, true])
    func gnutlsCliRehandshake(allowed: Bool) throws {
        let pki = try TestPKI.get()
        let (server, port) = try Self.server(allowed ? ["--allow-client-renegotiation"] : [])
        defer { server.stop() }
        let client = try Peers.gnutlsClient(
            port: port, caFile: pki.caCert, priority: Peers.gnutlsPriority(), extraArguments: ["--rehandshake"])
        defer { client.stop() }
        if allowed {
            try client.waitForOutput("ReHandshake was completed", timeout: .seconds(20))
            let line = Array("after the renegotiation\n".utf8)
            client.feed(line)
            #expect(try client.waitForPayload(line, timeout: .seconds(20)) == line)
            client.closeStdin()
            try server.waitForOutput("renegotiation: TLS 1.0", timeout: .seconds(10))
        } else {
            try client.waitForOutput("Received alert [100]: No renegotiation is allowed", timeout: .seconds(20))
            _ = client.waitForExit(timeout: .seconds(20))
            #expect(!client.text.contains("ReHandshake was completed"))
            let log = String(decoding: server.stderr, as: UTF8.self)
            #expect(!log.contains("renegotiation:") && !log.contains("sent]"), "\(log)")
        }
        try Self.expectStillServes(port)
    }
}
