import NIOCore
import NIOEmbedded
import TLSNIO
import TLSRecord
import Testing
@testable import TLSHandshake

/// The NIO channel handler, client against server in memory over `EmbeddedChannel`:
/// deterministic, with whole flights or one byte per read.
@Suite struct ChannelHandlerTests {
    static func payload(_ count: Int, _ seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31) ^ seed }
    }

    @Test(arguments: [false, true])
    func handshakeThenDataBothWays(byteAtATime: Bool) throws {
        let pki = try HandshakePKI.shared.get()
        let pair = try EmbeddedPair(client: pki.clientConfig(withCertificate: true), server: pki.serverConfig(verification: .requirePeerCertificate))
        // Written before the handshake: held by the handler, sent once it completes.
        var earlyWritten = false
        pair.client.writeAndFlush(ByteBuffer(bytes: Array("early".utf8))).assumeIsolated().whenSuccess { _ in earlyWritten = true }
        #expect(!earlyWritten)
        try pair.interact(byteAtATime: byteAtATime)

        #expect(pair.clientSink.handshakes.count == 1)
        #expect(pair.serverSink.handshakes.count == 1)
        #expect(pair.serverSink.handshakes.first?.peerCertificates.count == 1)
        #expect(pair.clientSink.handshakes.first?.cipherSuite == .rsaWithAES128CBCSHA)  // the default list starts with AES-128 (PS3.15 B.3)
        #expect(earlyWritten)
        #expect(pair.serverSink.received == Array("early".utf8))
        let result = try #require(try pair.clientHandler.handshakeFuture).wait()
        #expect(result.sessionInfo.sessionID == pair.serverSink.handshakes.first?.sessionID)

        let up = Self.payload(byteAtATime ? 20_000 : 300_000, 1)
        let down = Self.payload(byteAtATime ? 20_000 : 300_000, 2)
        pair.client.writeAndFlush(ByteBuffer(bytes: up), promise: nil)
        pair.server.writeAndFlush(ByteBuffer(bytes: down), promise: nil)
        try pair.interact(byteAtATime: byteAtATime)
        #expect(pair.serverSink.received == Array("early".utf8) + up)
        #expect(pair.clientSink.received == down)
        #expect(pair.clientSink.errors.isEmpty && pair.serverSink.errors.isEmpty)
    }

    @Test func resumesThroughTheSameSessionStore() throws {
        let pki = try HandshakePKI.shared.get()
        let store = LRUSessionStore()
        let first = try EmbeddedPair(client: pki.clientConfig(), server: pki.serverConfig(store: store))
        try first.interact()
        let session = try #require(try first.clientHandler.session)
        let second = try EmbeddedPair(
            client: pki.clientConfig(seed: 201), server: pki.serverConfig(store: store, seed: 101), resuming: session)
        try second.interact(byteAtATime: true)
        #expect(second.clientSink.handshakes.first?.isResumed == true)
        #expect(second.serverSink.handshakes.first?.isResumed == true)
        #expect(second.serverSink.handshakes.first?.sessionID == session.sessionID)
    }

    @Test func serverStartedRenegotiationIsReported() throws {
        let pki = try HandshakePKI.shared.get()
        let pair = try EmbeddedPair(client: pki.clientConfig(), server: pki.serverConfig())
        try pair.interact()
        try pair.serverHandler.renegotiate()
        pair.server.writeAndFlush(ByteBuffer(bytes: [1, 2, 3]), promise: nil)  // held during the renegotiation
        try pair.interact(byteAtATime: true)
        let renegotiated = pair.clientSink.events.contains { if case .renegotiated(let i) = $0 { i.isRenegotiation } else { false } }
        #expect(renegotiated)
        #expect(pair.serverSink.handshakes.count == 2)
        #expect(pair.clientSink.received == [1, 2, 3])
    }

    @Test func closeSendsCloseNotifyAndWaitsForThePeers() throws {
        let pki = try HandshakePKI.shared.get()
        let pair = try EmbeddedPair(client: pki.clientConfig(), server: pki.serverConfig())
        try pair.interact()
        var closed = false
        pair.client.close().assumeIsolated().whenSuccess { _ in closed = true }
        #expect(!closed)  // waiting for the server's close_notify
        let notify = try pair.outbound(pair.client)
        #expect(!notify.isEmpty)
        try pair.deliver(notify, to: pair.server)
        #expect(!pair.server.isActive)  // the server answered and closed
        let answer = try pair.outbound(pair.server)
        #expect(!answer.isEmpty)
        try pair.deliver(answer, to: pair.client)
        #expect(closed)
        #expect(!pair.client.isActive)
        #expect(pair.clientSink.errors.isEmpty && pair.serverSink.errors.isEmpty)
    }

    @Test func halfCloseKeepsReadingUntilThePeersCloseNotify() throws {
        let pki = try HandshakePKI.shared.get()
        let pair = try EmbeddedPair(client: pki.clientConfig(), server: pki.serverConfig())
        try pair.interact()
        pair.client.close(mode: .output, promise: nil)
        #expect(pair.clientReads.outputHalfClosed)
        let notify = try pair.outbound(pair.client)
        #expect(!notify.isEmpty)
        // The server's data written before it sees our close_notify still arrives.
        pair.server.writeAndFlush(ByteBuffer(bytes: Array("late".utf8)), promise: nil)
        try pair.deliver(try pair.outbound(pair.server), to: pair.client)
        #expect(pair.clientSink.received == Array("late".utf8))
        try pair.deliver(notify, to: pair.server)
        try pair.deliver(try pair.outbound(pair.server), to: pair.client)
        #expect(!pair.client.isActive)
        #expect(pair.clientSink.errors.isEmpty && pair.serverSink.errors.isEmpty)
    }

    @Test(arguments: [false, true])
    func tcpEndWithoutCloseNotifyIsTruncation(duringHandshake: Bool) throws {
        let pki = try HandshakePKI.shared.get()
        let pair = try EmbeddedPair(client: pki.clientConfig(), server: pki.serverConfig())
        if duringHandshake {
            try pair.deliver(try pair.outbound(pair.client), to: pair.server)
        } else {
            try pair.interact()
        }
        let handshake = try #require(try pair.clientHandler.handshakeFuture)
        pair.client.pipeline.fireChannelInactive()
        let truncated = pair.clientSink.channelErrors.contains { if case .truncated = $0 { true } else { false } }
        #expect(truncated)
        #expect(pair.clientSink.inactive)
        if duringHandshake {
            #expect(throws: TLSChannelError.self) { try handshake.wait() }
        }
    }

    @Test func halfClosedInputWithoutCloseNotifyIsTruncation() throws {
        let pki = try HandshakePKI.shared.get()
        let pair = try EmbeddedPair(client: pki.clientConfig(), server: pki.serverConfig())
        try pair.interact()
        pair.server.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        let truncated = pair.serverSink.channelErrors.contains { if case .truncated = $0 { true } else { false } }
        #expect(truncated)
        #expect(!pair.server.isActive)
    }

    @Test func engineErrorSendsItsAlertAndNamesIt() throws {
        let pki = try HandshakePKI.shared.get()
        let pair = try EmbeddedPair(client: pki.clientConfig(), server: pki.serverConfig())
        try pair.interact()
        pair.client.writeAndFlush(ByteBuffer(bytes: Array(repeating: 0x41, count: 100)), promise: nil)
        var records = try pair.outbound(pair.client)
        records[records.count - 1] ^= 0x01  // the last padding byte: bad_record_mac (Lucky 13 uniform)
        try pair.deliver(records, to: pair.server)

        let serverError = try #require(pair.serverSink.channelErrors.first)
        #expect(serverError.alert?.description == .badRecordMAC)
        #expect(serverError.alert?.fromPeer == false)
        #expect(serverError.description.contains("bad_record_mac"))
        #expect(!pair.server.isActive)
        try pair.deliver(try pair.outbound(pair.server), to: pair.client)
        let clientError = try #require(pair.clientSink.channelErrors.first)
        #expect(clientError.alert?.description == .badRecordMAC)
        #expect(clientError.alert?.fromPeer == true)
    }

    @Test func readsOnlyWhatThePipelineAsksForAfterTheHandshake() throws {
        let pki = try HandshakePKI.shared.get()
        let pair = try EmbeddedPair(client: pki.clientConfig(), server: pki.serverConfig())
        try pair.interact()
        // Nobody above asked to read, yet the handshake ran: the handler read for it.
        #expect(pair.serverReads.count > 0)
        let afterHandshake = pair.serverReads.count

        // Data arriving now issues no read of the handler's own.
        pair.client.writeAndFlush(ByteBuffer(bytes: [7]), promise: nil)
        try pair.deliver(try pair.outbound(pair.client), to: pair.server)
        #expect(pair.serverSink.received == [7])
        #expect(pair.serverReads.count == afterHandshake)

        // A read() from the pipeline passes down once; half a record answers nothing, so the
        // handler reads again for it; the whole record answers it, and reading stops.
        pair.server.read()
        #expect(pair.serverReads.count == afterHandshake + 1)
        pair.client.writeAndFlush(ByteBuffer(bytes: Array(repeating: 9, count: 1000)), promise: nil)
        let record = try pair.outbound(pair.client)
        try pair.deliver(Array(record.prefix(10)), to: pair.server)
        #expect(pair.serverReads.count == afterHandshake + 2)
        try pair.deliver(Array(record.dropFirst(10)), to: pair.server)
        #expect(pair.serverSink.received.count == 1001)
        #expect(pair.serverReads.count == afterHandshake + 2)
    }

    @Test func writesAfterCloseFail() throws {
        let pki = try HandshakePKI.shared.get()
        let pair = try EmbeddedPair(client: pki.clientConfig(), server: pki.serverConfig())
        try pair.interact()
        pair.client.close(mode: .output, promise: nil)
        var failed = false
        pair.client.writeAndFlush(ByteBuffer(bytes: [1])).assumeIsolated().whenFailure { _ in failed = true }
        #expect(failed)
    }
}
