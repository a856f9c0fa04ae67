import Foundation
import Synchronization
import TLSHandshake
import TLSSockets
import TLSRecord
import X509
import TestSupport

/// Our side of an interop test: configurations from the test PKI, an in-process echo server
/// on a free loopback port, and the chunked echo exchange the clients use.
enum OurSide {
    static func certificates(_ path: String) throws -> [Certificate] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try PEMDocument.parseAll(text).filter { $0.label == "CERTIFICATE" }.map { try Certificate(derEncoded: $0.derBytes) }
    }

    static func key(_ path: String, password: String? = nil) throws -> RSAPrivateKey {
        try RSAPrivateKey(pemEncoded: try String(contentsOfFile: path, encoding: .utf8)) { password }
    }

    /// A client that trusts `trust` (the test CA by default) and verifies the server.
    static func client(
        _ pki: TestPKI, cert: String? = nil, key: String? = nil, trust: String? = nil,
        verification: CertificateVerification = .peer, suites: [CipherSuite] = CipherSuite.defaults,
        options: TLSOptions = [.recordSplitting]
    ) throws -> TLSConfiguration {
        try TLSConfiguration.client(
            certificateChain: try cert.map(certificates) ?? [], privateKey: try key.map { try Self.key($0) },
            trustRoots: TrustStore(try certificates(trust ?? pki.caCert)), verification: verification,
            cipherSuites: suites, options: options)
    }

    /// A server with `cert`/`key` (the test server's by default); client verification off
    /// unless asked, then against the test CA.
    static func server(
        _ pki: TestPKI, cert: String? = nil, key: String? = nil,
        verification: CertificateVerification = .noneInsecure, suites: [CipherSuite] = CipherSuite.defaults,
        options: TLSOptions = []
    ) throws -> TLSConfiguration {
        try TLSConfiguration.server(
            certificateChain: try certificates(cert ?? pki.serverCert), privateKey: try Self.key(key ?? pki.serverKey),
            trustRoots: TrustStore(try certificates(pki.caCert)), verification: verification, cipherSuites: suites,
            options: options)
    }

    /// Sends `payload` in 16 KiB chunks, reading each chunk's echo back before the next
    /// (so neither side's socket buffers can fill up and deadlock).
    static func echoExchange(_ stream: any OurClientStream, _ payload: [UInt8]) throws -> [UInt8] {
        var received: [UInt8] = []
        received.reserveCapacity(payload.count)
        var offset = 0
        while offset < payload.count {
            let end = min(offset + 16384, payload.count)
            try stream.write(Array(payload[offset..<end]))
            while received.count < end {
                let data = try stream.read(maxCount: 1 << 16)
                if data.isEmpty { throw PeerProcess.Failure(description: "the peer closed after \(received.count) of \(payload.count) echoed bytes") }
                received += data
            }
            offset = end
        }
        return received
    }
}

/// An in-process echo server for peer clients: accepts `connections` connections one after
/// another on a free loopback port, handshakes, echoes until `close_notify`, and records
/// what happened.
final class OurEchoServer: Sendable {
    struct Connection: Sendable {
        var info: SessionInfo?
        var received: [UInt8] = []
        var error: TLSStreamError?
        var closedCleanly = false
    }

    let listener: TCPListener
    var port: UInt16 { listener.port }
    private let box = Box()

    private final class Box: Sendable {
        let state = Mutex<(connections: [Connection], finished: Bool)>(([], false))
    }

    init(configuration: TLSConfiguration, connections: Int = 1, handshakeTimeout: Duration = .seconds(20)) throws {
        listener = try TCPListener(host: "127.0.0.1", port: 0)
        let listener = self.listener, box = self.box
        Thread {
            for _ in 0..<connections {
                guard let socket = try? listener.accept(timeout: .seconds(60)) else { break }
                var record = Connection()
                do {
                    let stream = try BlockingTLSStream(
                        server: socket, configuration: configuration, handshakeTimeout: handshakeTimeout)
                    stream.ioTimeout = .seconds(30)
                    record.info = stream.sessionInfo
                    while true {
                        let data = try stream.read(maxCount: 1 << 16)
                        if data.isEmpty { break }
                        record.received += data
                        try stream.write(data)
                    }
                    try stream.close()
                    record.closedCleanly = true
                } catch let error as TLSStreamError {
                    record.error = error
                } catch {
                    record.error = .timedOut("unexpected: \(error)")
                }
                box.state.withLock { $0.connections.append(record) }
            }
            box.state.withLock { $0.finished = true }
        }.start()
    }

    deinit { listener.close() }

    /// Waits until `count` connections have finished (or `timeout` passes) and returns them.
    func connections(count: Int, timeout: Duration = .seconds(60)) -> [Connection] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let (done, finished) = box.state.withLock { ($0.connections, $0.finished) }
            if done.count >= count || finished { return done }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return box.state.withLock { $0.connections }
    }

    func stop() { listener.close() }
}
