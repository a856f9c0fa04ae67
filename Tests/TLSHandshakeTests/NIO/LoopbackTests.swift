import Foundation
import CryptoPrimitives
import NIOCore
import NIOPosix
import Synchronization
import TLSNIO
import TLSRecord
import Testing
import X509
@testable import TLSHandshake

/// The NIO adapter on real loopback sockets: the async interface (NIOAsyncChannel) both
/// ways, private-key operations off the event loop, and write backpressure.
@Suite(.timeLimit(.minutes(5))) struct NIOLoopbackTests {
    /// `TLSNIOServer.bind` and `TLSNIOClient.connect`: 1 MiB each way through
    /// `for try await` and `write`, then a resumed connection.
    @Test func asyncClientAndServerMoveAMebibyteAndResume() async throws {
        let pki = try HandshakePKI.shared.get()
        let server = try await TLSNIOServer.bind(host: "127.0.0.1", port: 0, configuration: pki.serverConfig())
        let port = try #require(server.channel.localAddress?.port)
        let serverTask = Task {
            var infos: [SessionInfo] = []
            try await server.executeThenClose { connections in
                for try await connection in connections {
                    infos.append(try await connection.handshake().sessionInfo)
                    try await connection.channel.executeThenClose { inbound, outbound in
                        for try await buffer in inbound { try await outbound.write(buffer) }
                    }
                    if infos.count == 2 { break }
                }
            }
            return infos
        }

        let payload = ChannelHandlerTests.payload(1 << 20, 5)
        let client = try await TLSNIOClient.connect(host: "127.0.0.1", port: port, configuration: pki.clientConfig(), serverName: "localhost")
        let first = try await client.handshake()
        #expect(!first.sessionInfo.isResumed)
        let echoed = try await Self.echo(client, payload)
        #expect(SHA256.hash(echoed) == SHA256.hash(payload))

        let session = try #require(first.session)
        let again = try await TLSNIOClient.connect(
            host: "127.0.0.1", port: port, configuration: pki.clientConfig(seed: 202), serverName: "localhost", resuming: session)
        #expect(try await again.handshake().sessionInfo.isResumed)
        #expect(try await Self.echo(again, Array(payload.prefix(1000))) == Array(payload.prefix(1000)))

        let infos = try await serverTask.value
        #expect(infos.map(\.isResumed) == [false, true])
    }

    /// Writes `payload` while reading the echo, then closes with close_notify.
    static func echo(_ connection: TLSAsyncConnection, _ payload: [UInt8]) async throws -> [UInt8] {
        try await connection.channel.executeThenClose { inbound, outbound in
            async let sent: Void = {
                for start in stride(from: 0, to: payload.count, by: 16384) {
                    try await outbound.write(ByteBuffer(bytes: payload[start..<min(start + 16384, payload.count)]))
                }
            }()
            var received: [UInt8] = []
            for try await buffer in inbound {
                received += buffer.readableBytesView
                if received.count >= payload.count { break }
            }
            try await sent
            return received
        }
    }

    /// With a thread-pool offload, the server's event loop runs other work while the RSA
    /// premaster decryption is held up; the handshake completes once it is released.
    @Test func premasterDecryptionRunsOffTheEventLoop() async throws {
        let pki = try HandshakePKI.shared.get()
        let gate = Gate()
        var config = try pki.serverConfig()
        config.privateKey = GatedKey(key: pki.serverKey, gate: gate)
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let serverConfig = config
        let server = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        try TLSChannelHandler(server: serverConfig, offload: .threadPool(pool)))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)

        let client = Task {
            try await TLSNIOClient.connect(host: "127.0.0.1", port: port, configuration: pki.clientConfig(), serverName: "localhost")
        }
        #expect(await gate.entered(within: .seconds(20)))
        // The key operation is blocked on the pool; the loop still answers.
        let answer = try await group.next().submit { 42 }.get()
        #expect(answer == 42)
        #expect(!gate.isReleased)
        gate.release()
        let connection = try await client.value
        #expect(try await connection.handshake().sessionInfo.cipherSuite == .rsaWithAES128CBCSHA)  // the default list starts with AES-128 (PS3.15 B.3)
        try await connection.channel.executeThenClose { _, _ in }
        try await server.close()
        try await group.shutdownGracefully()
        try await pool.shutdownGracefully()
    }

    /// A client certificate's CertificateVerify signature through an async key.
    @Test func clientSignatureThroughAnAsyncKey() async throws {
        let pki = try HandshakePKI.shared.get()
        // Handshake limits of 3 minutes: the async key runs on the concurrency pool, which the
        // blocking interop tests of a full run can hold for over a minute on 2 cores.
        let server = try await TLSNIOServer.bind(
            host: "127.0.0.1", port: 0, configuration: pki.serverConfig(verification: .requirePeerCertificate),
            handshakeTimeout: .minutes(3))
        let port = try #require(server.channel.localAddress?.port)
        let serverTask = Task { () async throws -> SessionInfo? in
            try await server.executeThenClose { connections in
                for try await connection in connections {
                    let info = try await connection.handshake().sessionInfo
                    try await connection.channel.executeThenClose { _, _ in }
                    return info
                }
                return nil
            }
        }
        let calls = Mutex(0)
        let group = MultiThreadedEventLoopGroup.singleton
        let connection = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                let handler = try TLSChannelHandler(
                    client: pki.clientConfig(withCertificate: true), serverName: "localhost",
                    offload: .async { operation in
                        calls.withLock { $0 += 1 }
                        return try operation.perform()
                    }, handshakeTimeout: .minutes(3))
                try channel.pipeline.syncOperations.addHandler(handler)
                return handler.handshakeFuture
            }
        }
        let result = try await #require(connection).get()
        #expect(calls.withLock { $0 } == 1)
        let seen = try await serverTask.value
        #expect(seen?.peerCertificates.count == 1)
        #expect(result.sessionInfo.peerVerified)
    }

    /// Ciphertext goes into the channel as it is written: when the peer stops reading, the
    /// channel turns unwritable (the handler holds no unbounded plaintext of its own).
    @Test func channelTurnsUnwritableWhenThePeerStopsReading() async throws {
        let pki = try HandshakePKI.shared.get()
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelOption(.autoRead, value: false)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(try TLSChannelHandler(server: pki.serverConfig()))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        let connection = try await TLSNIOClient.connect(
            host: "127.0.0.1", port: port, configuration: pki.clientConfig(), serverName: "localhost")
        let channel = connection.channel.channel
        let chunk = ByteBuffer(bytes: Array(repeating: 0x55, count: 65536))
        var written = 0
        while try await channel.eventLoop.submit({ channel.isWritable }).get(), written < 256 << 20 {
            channel.writeAndFlush(chunk, promise: nil)
            written += chunk.readableBytes
        }
        #expect(written < 256 << 20, "the channel never became unwritable")
        try await connection.channel.executeThenClose { _, _ in }
    }
}

/// Holds a private-key operation until released, to prove where it runs.
final class Gate: Sendable {
    private let state = Mutex((entered: false, released: false))

    var isReleased: Bool { state.withLock { $0.released } }

    func enterAndWait() {
        state.withLock { $0.entered = true }
        let deadline = ContinuousClock.now + .seconds(30)
        while !state.withLock({ $0.released }) && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.001) }
    }

    /// Polls without blocking a thread of the cooperative pool (the client task needs one).
    func entered(within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if state.withLock({ $0.entered }) { return true }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return false
    }

    func release() { state.withLock { $0.released = true } }
}

/// An RSA key whose premaster decryption waits at a ``Gate`` (an HSM taking its time).
struct GatedKey: TLSPrivateKey {
    let key: RSAPrivateKey
    let gate: Gate

    var modulusBitCount: Int { key.modulusBitCount }

    func decryptPremaster(_ ciphertext: [UInt8], clientVersion: UInt16, random: any RandomSource) -> [UInt8] {
        gate.enterAndWait()
        return key.decryptPremaster(ciphertext, clientVersion: clientVersion, random: random)
    }

    func signHandshakeHash(_ md5SHA1: [UInt8]) throws(TLSError) -> [UInt8] { try key.signHandshakeHash(md5SHA1) }
}
