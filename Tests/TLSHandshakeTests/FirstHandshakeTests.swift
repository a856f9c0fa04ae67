import CryptoPrimitives
import TLSRecord
import TestSupport
import Testing
import X509
@testable import TLSHandshake

@Suite struct FirstHandshakeTests {
    @Test func tripleDESFullHandshakeWithData() throws {
        let go = try TestKeys.goClient()
        let serverConfig = try TLSConfiguration.server(
            certificateChain: [go.certificate], privateKey: go.key, random: DeterministicRandom(seed: 1))
        let clientConfig = try TLSConfiguration.client(
            verification: .noneInsecure, cipherSuites: [.rsaWith3DESEDECBCSHA], random: DeterministicRandom(seed: 2))
        var pair = EnginePair(
            client: try TLSConnection(client: clientConfig), server: try TLSConnection(server: serverConfig))
        pair.run()
        #expect(pair.clientError == nil)
        #expect(pair.serverError == nil)
        let ci = try #require(EnginePair.infos(pair.clientEvents).first)
        #expect(ci.cipherSuite == .rsaWith3DESEDECBCSHA)
        #expect(ci.extendedMasterSecret)
        #expect(ci.secureRenegotiation)
        #expect(pair.client.isHandshakeComplete && pair.server.isHandshakeComplete)
        let message = Array("hello, server".utf8)
        try pair.client.send(message)
        try pair.server.send(Array("hello, client".utf8))
        pair.run()
        #expect(EnginePair.data(pair.serverEvents) == message)
        #expect(EnginePair.data(pair.clientEvents) == Array("hello, client".utf8))
    }
}
