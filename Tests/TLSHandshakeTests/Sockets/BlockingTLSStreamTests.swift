import Foundation
import Synchronization
import Testing
import TLSHandshake
import TLSSockets
import TLSRecord

/// The blocking stream with our client and our server over loopback: clean close both ways,
/// truncation, deadlines, non-TLS peers, and the secure-link-ready callback.
@Suite(.timeLimit(.minutes(5))) struct BlockingTLSStreamTests {
    final class Counter: Sendable {
        let value = Mutex<[SessionInfo]>([])
    }

    @Test func echoesAMebibyteAndClosesWithCloseNotifyBothWays() throws {
        let pki = try TestPKI.get()
        let links = Counter()
        var serverConfiguration = try OurSide.server(pki)
        serverConfiguration.onSecureLinkReady = { info in links.value.withLock { $0.append(info) } }
        let server = try OurEchoServer(configuration: serverConfiguration)
        defer { server.stop() }
        var clientConfiguration = try OurSide.client(pki)
        clientConfiguration.onSecureLinkReady = { info in links.value.withLock { $0.append(info) } }

        let stream = try BlockingTLSStream.connect(
            host: "127.0.0.1", port: server.port, configuration: clientConfiguration, serverName: "localhost",
            timeout: .seconds(10))
        stream.ioTimeout = .seconds(20)
        let payload = Payload.hexLines(count: Payload.mebibyte, seed: 41)
        #expect(Payload.checksum(try OurSide.echoExchange(stream, payload)) == Payload.checksum(payload))
        try stream.close()
        #expect(stream.isPeerClosed)
        #expect(stream.socket.isClosed)

        let connection = try #require(server.connections(count: 1).first)
        #expect(connection.closedCleanly)
        #expect(connection.error == nil)
        let seen = links.value.withLock { $0 }
        #expect(seen.count == 2)  // once per side
        #expect(seen.allSatisfy { $0.cipherSuite == .rsaWithAES128CBCSHA })  // the defaults' first
    }

    /// Every suite, with and without DEFLATE and record splitting, ours against ours over
    /// loopback (single DES has no other live peer here: PEERS.md).
    @Test(arguments: CipherSuite.all, [false, true])
    func everySuiteOverLoopback(suite: CipherSuite, deflateAndSplit: Bool) throws {
        let pki = try TestPKI.get()
        let options: TLSOptions = deflateAndSplit ? [.deflateCompression, .recordSplitting] : []
        let server = try OurEchoServer(configuration: try OurSide.server(pki, suites: [suite], options: options))
        defer { server.stop() }
        let stream = try BlockingTLSStream.connect(
            host: "127.0.0.1", port: server.port, configuration: try OurSide.client(pki, suites: [suite], options: options),
            serverName: "localhost", timeout: .seconds(10))
        stream.ioTimeout = .seconds(20)
        #expect(stream.sessionInfo.cipherSuite == suite)
        #expect(stream.sessionInfo.compression == (deflateAndSplit ? .deflate : .null))
        let payload = Payload.hexLines(count: Payload.mebibyte, seed: UInt64(suite.id))
        #expect(Payload.checksum(try OurSide.echoExchange(stream, payload)) == Payload.checksum(payload))
        try stream.close()
        #expect(server.connections(count: 1).first?.closedCleanly == true)
    }

    @Test func acceptFromAListenerRunsTheServerHandshake() throws {
        let pki = try TestPKI.get()
        let configuration = try OurSide.server(pki)
        let listener = try TCPListener()
        defer { listener.close() }
        let serverSaw = Counter()
        Thread {
            guard let stream = try? BlockingTLSStream.accept(from: listener, configuration: configuration, timeout: .seconds(10))
            else { return }
            serverSaw.value.withLock { $0.append(stream.sessionInfo) }
            while let data = try? stream.read(), !data.isEmpty { try? stream.write(data) }
            try? stream.close()
        }.start()
        let stream = try BlockingTLSStream.connect(
            host: "127.0.0.1", port: listener.port, configuration: try OurSide.client(pki), serverName: "localhost",
            timeout: .seconds(10))
        stream.ioTimeout = .seconds(10)
        #expect(try OurSide.echoExchange(stream, Array("ping\n".utf8)) == Array("ping\n".utf8))
        try stream.close()
        #expect(serverSaw.value.withLock { $0.count } == 1)
    }

    /// Renegotiation started by either side over loopback, and a client that refuses it.
    @Test(arguments: [(true, false), (false, false), (false, true)])
    func renegotiationOverLoopback(clientStarts: Bool, clientRefuses: Bool) throws {
        let pki = try TestPKI.get()
        let configuration = try OurSide.server(pki, options: [.allowClientRenegotiation])
        let listener = try TCPListener()
        defer { listener.close() }
        let outcome = Box()
        Thread {
            guard let socket = try? listener.accept(timeout: .seconds(10)),
                let stream = try? BlockingTLSStream(server: socket, configuration: configuration, handshakeTimeout: .seconds(10))
            else { return }
            stream.ioTimeout = .seconds(10)
            do {
                if !clientStarts {
                    _ = try stream.read()  // "go"
                    switch Result(catching: { () throws(TLSStreamError) in try stream.renegotiate(timeout: .seconds(10)) }) {
                    case .success: outcome.set("renegotiated")
                    case .failure(.renegotiationRefused): outcome.set("refused")
                    case .failure(let error): throw error
                    }
                }
                while true {
                    let data = try stream.read()
                    if data.isEmpty { break }
                    try stream.write(data)
                }
                try stream.close()
            } catch {
                outcome.set("error: \(error)")
            }
        }.start()
        let clientOptions: TLSOptions = clientRefuses ? [.recordSplitting, .noRenegotiation] : [.recordSplitting]
        let stream = try BlockingTLSStream.connect(
            host: "127.0.0.1", port: listener.port, configuration: try OurSide.client(pki, options: clientOptions),
            serverName: "localhost", timeout: .seconds(10))
        stream.ioTimeout = .seconds(10)
        if clientStarts {
            try stream.renegotiate()
            #expect(stream.sessionInfo.isRenegotiation)
        } else {
            try stream.write(Array("go".utf8))
        }
        let payload = Payload.hexLines(count: 1 << 18, seed: 71)
        #expect(try OurSide.echoExchange(stream, payload) == payload)  // reads run a server-started renegotiation
        try stream.close()
        #expect(stream.sessionInfo.isRenegotiation == !clientRefuses)
        let deadline = ContinuousClock.now + .seconds(10)
        while outcome.get().isEmpty && !clientStarts && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if !clientStarts { #expect(outcome.get() == (clientRefuses ? "refused" : "renegotiated")) }
    }

    /// A `Sendable` handle on a string the server thread reports through.
    final class Box: Sendable {
        private let text = Mutex<String>("")
        func set(_ value: String) { text.withLock { $0 = value } }
        func get() -> String { text.withLock { $0 } }
    }

    @Test func aPeerThatDropsTCPWithoutCloseNotifyIsReportedAsTruncation() throws {
        let pki = try TestPKI.get()
        let configuration = try OurSide.server(pki)
        let listener = try TCPListener()
        defer { listener.close() }
        Thread {
            guard let socket = try? listener.accept(timeout: .seconds(10)),
                let stream = try? BlockingTLSStream(server: socket, configuration: configuration, handshakeTimeout: .seconds(10))
            else { return }
            try? stream.write(Array("partial".utf8))
            stream.abort()  // TCP FIN, no close_notify
        }.start()
        let stream = try BlockingTLSStream.connect(
            host: "127.0.0.1", port: listener.port, configuration: try OurSide.client(pki), serverName: "localhost",
            timeout: .seconds(10))
        stream.ioTimeout = .seconds(10)
        #expect(try stream.read() == Array("partial".utf8))
        let error = #expect(throws: TLSStreamError.self) { try stream.read() }
        guard case .truncated(let text) = error else {
            Issue.record("expected truncation, got \(String(describing: error))")
            return
        }
        #expect(text.contains("without sending close_notify"))
    }

    @Test func aSilentServerHitsTheHandshakeDeadline() throws {
        let pki = try TestPKI.get()
        let listener = try TCPListener()
        defer { listener.close() }
        let start = ContinuousClock.now
        let error = #expect(throws: TLSStreamError.self) {
            try BlockingTLSStream.connect(
                host: "127.0.0.1", port: listener.port, configuration: try OurSide.client(pki), serverName: "localhost",
                timeout: .milliseconds(500))
        }
        #expect(ContinuousClock.now - start < .seconds(5))
        guard case .timedOut(let text) = error else {
            Issue.record("expected a timeout, got \(String(describing: error))")
            return
        }
        #expect(text.contains("did not finish within"))
    }

    @Test func aServerThatHangsUpDuringTheHandshakeIsReported() throws {
        let pki = try TestPKI.get()
        let listener = try TCPListener()
        defer { listener.close() }
        Thread { (try? listener.accept(timeout: .seconds(10)))?.close() }.start()
        let error = #expect(throws: TLSStreamError.self) {
            try BlockingTLSStream.connect(
                host: "127.0.0.1", port: listener.port, configuration: try OurSide.client(pki), serverName: "localhost",
                timeout: .seconds(10))
        }
        #expect("\(String(describing: error))".contains("during the handshake"))
    }

    @Test func aPlainTCPServerIsATLSErrorNotAHang() throws {
        let pki = try TestPKI.get()
        let listener = try TCPListener()
        defer { listener.close() }
        Thread {
            guard let socket = try? listener.accept(timeout: .seconds(10)) else { return }
            var buffer = [UInt8](repeating: 0, count: 4096)
            _ = try? socket.read(into: &buffer, deadline: .now + .seconds(5))
            try? socket.write(Array("HTTP/1.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8))
            Thread.sleep(forTimeInterval: 1)
            socket.close()
        }.start()
        let error = #expect(throws: TLSStreamError.self) {
            try BlockingTLSStream.connect(
                host: "127.0.0.1", port: listener.port, configuration: try OurSide.client(pki), serverName: "localhost",
                timeout: .seconds(10))
        }
        guard case .tls(let tlsError) = error else {
            Issue.record("expected a TLS error, got \(String(describing: error))")
            return
        }
        #expect(tlsError.alert != nil)
        #expect(!tlsError.isPeerAlert)
    }

    @Test func connectingToNothingIsASocketError() throws {
        let pki = try TestPKI.get()
        let port = try InteropPaths.freePort()
        let error = #expect(throws: TLSStreamError.self) {
            try BlockingTLSStream.connect(
                host: "127.0.0.1", port: port, configuration: try OurSide.client(pki), timeout: .seconds(5))
        }
        guard case .socket(let socketError) = error else {
            Issue.record("expected a socket error, got \(String(describing: error))")
            return
        }
        #expect(socketError.code == .connectionRefused)
    }
}
