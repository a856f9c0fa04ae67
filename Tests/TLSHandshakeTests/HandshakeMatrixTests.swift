import CryptoPrimitives
import TLSRecord
import Testing
import X509
@testable import TLSHandshake

/// Every suite × {server authentication only, mutual} × {full, resumed} × renegotiation
/// from each side, with data checked both ways after every handshake.
@Suite struct HandshakeMatrixTests {
    struct Case: CustomStringConvertible, Sendable {
        var suite: CipherSuite
        var mutual: Bool
        var description: String { "\(suite.name) \(mutual ? "mutual" : "server-auth")" }
    }

    static let cases: [Case] = CipherSuite.all.flatMap { s in [Case(suite: s, mutual: false), Case(suite: s, mutual: true)] }

    @Test func matrixCoversEverySuiteTwice() {
        #expect(Self.cases.count == 10)
    }

    /// Sends a distinct message each way and checks it arrives intact.
    static func exchange(_ pair: inout EnginePair, _ tag: String) throws {
        let before = (EnginePair.data(pair.serverEvents).count, EnginePair.data(pair.clientEvents).count)
        let up = Array("client→server \(tag) ".utf8) + [UInt8](repeating: 0xA5, count: 3000)
        let down = Array("server→client \(tag) ".utf8) + (0..<20_000).map { UInt8(truncatingIfNeeded: $0) }
        try pair.client.send(up)
        try pair.server.send(down)
        pair.run()
        #expect(Array(EnginePair.data(pair.serverEvents).dropFirst(before.0)) == up)
        #expect(Array(EnginePair.data(pair.clientEvents).dropFirst(before.1)) == down)
    }

    @Test(arguments: cases)
    func fullResumedAndRenegotiated(_ c: Case) throws {
        let pki = try HandshakePKI.shared.get()
        let store = LRUSessionStore()
        let serverConfig = try pki.serverConfig(
            suites: [c.suite], verification: c.mutual ? .requirePeerCertificate : .noneInsecure,
            options: [.allowClientRenegotiation], store: store)
        let clientConfig = try pki.clientConfig(withCertificate: c.mutual, suites: [c.suite])

        // Full handshake.
        var pair = EnginePair(client: try TLSConnection(client: clientConfig, serverName: "localhost"),
                              server: try TLSConnection(server: serverConfig))
        pair.run()
        try #require(pair.clientError == nil && pair.serverError == nil, "\(String(describing: pair.clientError)) \(String(describing: pair.serverError))")
        let info = try #require(EnginePair.infos(pair.clientEvents).first)
        let serverInfo = try #require(EnginePair.infos(pair.serverEvents).first)
        #expect(info.cipherSuite == c.suite && serverInfo.cipherSuite == c.suite)
        #expect(!info.isResumed && info.extendedMasterSecret && info.secureRenegotiation)
        #expect(info.peerCertificates.first == pki.server && info.peerVerified)
        #expect(serverInfo.peerCertificates.first == (c.mutual ? pki.client : nil))
        #expect(serverInfo.peerVerified == c.mutual)
        #expect(info.sessionID == serverInfo.sessionID && info.sessionID.count == 32)
        try Self.exchange(&pair, "full")

        // Renegotiation started by the client, then by the server.
        try pair.client.renegotiate()
        pair.run()
        #expect(pair.clientError == nil && pair.serverError == nil)
        #expect(EnginePair.infos(pair.clientEvents).count == 2 && EnginePair.infos(pair.serverEvents).count == 2)
        #expect(EnginePair.infos(pair.clientEvents).last?.isRenegotiation == true)
        try Self.exchange(&pair, "client-renegotiated")
        try pair.server.renegotiate()
        pair.run()
        #expect(pair.clientError == nil && pair.serverError == nil)
        #expect(EnginePair.infos(pair.clientEvents).count == 3 && EnginePair.infos(pair.serverEvents).count == 3)
        try Self.exchange(&pair, "server-renegotiated")
        let session = try #require(pair.client.session)

        // Resumed handshake on a new connection, then renegotiation on it from both sides.
        var resumed = EnginePair(
            client: try TLSConnection(client: clientConfig, serverName: "localhost", resuming: session),
            server: try TLSConnection(server: serverConfig))
        resumed.run()
        try #require(resumed.clientError == nil && resumed.serverError == nil, "\(String(describing: resumed.clientError)) \(String(describing: resumed.serverError))")
        let rinfo = try #require(EnginePair.infos(resumed.clientEvents).first)
        let rsinfo = try #require(EnginePair.infos(resumed.serverEvents).first)
        #expect(rinfo.isResumed && rsinfo.isResumed)
        #expect(rinfo.sessionID == session.sessionID)
        #expect(rsinfo.peerCertificates.first == (c.mutual ? pki.client : nil))
        try Self.exchange(&resumed, "resumed")
        try resumed.server.renegotiate()
        resumed.run()
        try resumed.client.renegotiate()
        resumed.run()
        #expect(resumed.clientError == nil && resumed.serverError == nil)
        #expect(EnginePair.infos(resumed.clientEvents).count == 3)
        try Self.exchange(&resumed, "resumed-renegotiated")

        // Orderly close both ways.
        resumed.client.close()
        resumed.run()
        #expect(resumed.serverEvents.contains { if case .closed = $0 { true } else { false } })
        #expect(resumed.client.isClosed && resumed.server.isClosed)
    }
}
