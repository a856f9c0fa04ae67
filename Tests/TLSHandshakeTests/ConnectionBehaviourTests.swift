import CryptoPrimitives
import Foundation
import Synchronization
import TLSRecord
import Testing
import X509
@testable import TLSHandshake

/// Connection-level behaviour: framing of handshake messages over records, SSLv2 hellos,
/// compression, zero-length records, callbacks, the key log, Sweet32 rekeying, close.
@Suite struct ConnectionBehaviourTests {
    @Test func handshakeSurvivesOneByteDeliveryAndMessagesSpanningRecords() throws {
        let pki = try HandshakePKI.shared.get()
        var client = try TLSConnection(client: pki.clientConfig())
        var server = try TLSConnection(server: pki.serverConfig())
        // The ClientHello re-framed as three records (a message spanning records).
        let hello = try #require(GoTranscriptReplayTests.records(client.takeOutput()).first?.1)
        let parts = [Array(hello[0..<3]), Array(hello[3..<40]), Array(hello[40...])]
        for p in parts { server.receive(HandshakeFailureTests.record(.handshake, p)) }
        #expect(try server.nextEvent() == nil)
        // The server's flight (several messages in one record) delivered one byte at a time.
        for b in server.takeOutput() {
            client.receive([b])
            #expect(try client.nextEvent() == nil)
        }
        var pair = EnginePair(client: client, server: server)
        pair.run()
        #expect(pair.clientError == nil && pair.serverError == nil)
        #expect(EnginePair.infos(pair.clientEvents).count == 1 && EnginePair.infos(pair.serverEvents).count == 1)
    }

    @Test func serverAcceptsSSLv2CompatibleClientHello() throws {
        let pki = try HandshakePKI.shared.get()
        var server = try TLSConnection(server: pki.serverConfig())
        let challenge = [UInt8](repeating: 0xAB, count: 32)
        let body: [UInt8] = [1, 3, 1, 0, 9, 0, 0, 0, 32] + [0x07, 0x00, 0xC0, 0, 0, 0x0A, 0, 0, 0xFF] + challenge
        server.receive([0x80 | UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body)
        #expect(try server.nextEvent() == nil)
        let records = GoTranscriptReplayTests.records(server.takeOutput())
        let flight = try #require(records.first?.1)
        var reader = ByteReader(Array(flight[4..<(4 + (Int(flight[2]) << 8 | Int(flight[3])))]))
        let hello = try ServerHello.decode(&reader)
        #expect(flight[0] == 2 && hello.serverVersion == 0x0301 && hello.cipherSuite == 0x000A)
        #expect(hello.extensions[.renegotiationInfo] != nil)  // the SCSV was in the V2 cipher specs
    }

    @Test func deflateWhenBothSidesEnableIt() throws {
        let pki = try HandshakePKI.shared.get()
        var pair = EnginePair(
            client: try TLSConnection(client: pki.clientConfig(options: [.recordSplitting, .deflateCompression])),
            server: try TLSConnection(server: pki.serverConfig(options: [.deflateCompression])))
        pair.run()
        #expect(EnginePair.infos(pair.clientEvents).first?.compression == .deflate)
        try HandshakeMatrixTests.exchange(&pair, "deflate")
        // Only one side enabling it gives null.
        var one = EnginePair(
            client: try TLSConnection(client: pki.clientConfig(options: [.deflateCompression])),
            server: try TLSConnection(server: pki.serverConfig()))
        one.run()
        #expect(EnginePair.infos(one.clientEvents).first?.compression == .null)
    }

    @Test func zeroLengthApplicationRecordsAreAccepted() throws {
        let pki = try HandshakePKI.shared.get()
        var pair = EnginePair(client: try TLSConnection(client: pki.clientConfig()), server: try TLSConnection(server: pki.serverConfig()))
        pair.run()
        try pair.client.send([])
        try pair.client.send([42])
        pair.run()
        let data = pair.serverEvents.compactMap { if case .applicationData(let d) = $0 { d } else { nil } }
        #expect(data == [[], [42]])
    }

    @Test func callbacksAndKeyLog() throws {
        let pki = try HandshakePKI.shared.get()
        let lines = Mutex<[String]>([])
        let ready = Mutex<[String]>([])
        var client = try pki.clientConfig()
        client.keyLog = { l in lines.withLock { $0.append(l) } }
        client.onSecureLinkReady = { info in ready.withLock { $0.append(info.cipherSuite.name) } }
        var server = try pki.serverConfig()
        server.onSecureLinkReady = { info in ready.withLock { $0.append("server " + info.cipherSuite.name) } }
        var pair = EnginePair(client: try TLSConnection(client: client), server: try TLSConnection(server: server))
        pair.run()
        // Both default lists: AES-128 comes first.
        #expect(ready.withLock { $0 }.sorted() == ["TLS_RSA_WITH_AES_128_CBC_SHA", "server TLS_RSA_WITH_AES_128_CBC_SHA"])
        let line = try #require(lines.withLock { $0 }.first)
        let fields = line.split(separator: " ")
        #expect(fields.count == 3 && fields[0] == "CLIENT_RANDOM" && fields[1].count == 64 && fields[2].count == 96)
        // The logged master secret is the session's.
        #expect(String(fields[2]) == hex(try #require(pair.client.session).masterSecret))
    }

    @Test func sweet32LimitTriggersRenegotiation() throws {
        let pki = try HandshakePKI.shared.get()
        var client = try pki.clientConfig(suites: [.rsaWith3DESEDECBCSHA])
        client.keyUsageLimit = 64 * 1024
        var server = try pki.serverConfig(suites: [.rsaWith3DESEDECBCSHA])
        server.keyUsageLimit = 64 * 1024
        var pair = EnginePair(client: try TLSConnection(client: client), server: try TLSConnection(server: server))
        pair.run()
        var sent: [UInt8] = []
        for i in 0..<12 {
            let chunk = [UInt8](repeating: UInt8(i), count: 10_000)
            try pair.client.send(chunk)
            sent += chunk
            pair.run()
        }
        #expect(pair.clientError == nil && pair.serverError == nil)
        #expect(EnginePair.data(pair.serverEvents) == sent)
        #expect(EnginePair.infos(pair.clientEvents).count >= 2, "the client renegotiated before 64 KiB under one key")
        // The server side asks with HelloRequest when it is the one sending.
        var down: [UInt8] = []
        let before = EnginePair.infos(pair.serverEvents).count
        for i in 0..<12 {
            let chunk = [UInt8](repeating: UInt8(100 + i), count: 10_000)
            try pair.server.send(chunk)
            down += chunk
            pair.run()
        }
        #expect(pair.clientError == nil && pair.serverError == nil)
        #expect(EnginePair.data(pair.clientEvents) == down)
        #expect(EnginePair.infos(pair.serverEvents).count > before)
    }

    /// A client with the DICOM AES profile's offer (AES-128, then the 3DES fallback, PS3.15
    /// B.3) gets AES-128 from a server with the defaults; one that offers 3DES alone still
    /// gets 3DES (the Basic TLS profile).
    @Test func aesProfileOfferGetsAES() throws {
        let pki = try HandshakePKI.shared.get()
        for (offer, expected) in [([CipherSuite.rsaWithAES128CBCSHA, .rsaWith3DESEDECBCSHA], CipherSuite.rsaWithAES128CBCSHA),
                                  ([.rsaWith3DESEDECBCSHA], .rsaWith3DESEDECBCSHA)] {
            var pair = EnginePair(
                client: try TLSConnection(client: pki.clientConfig(suites: offer)), server: try TLSConnection(server: pki.serverConfig()))
            pair.run()
            #expect(pair.clientError == nil && pair.serverError == nil)
            #expect(EnginePair.infos(pair.serverEvents).first?.cipherSuite == expected)
        }
    }

    /// The Sweet32 bound is for 64-bit blocks only: over AES the same limit never renegotiates.
    @Test(arguments: [CipherSuite.rsaWithAES128CBCSHA, .rsaWithAES256CBCSHA])
    func aesIsNotBoundBySweet32Limit(_ suite: CipherSuite) throws {
        let pki = try HandshakePKI.shared.get()
        var client = try pki.clientConfig(suites: [suite])
        client.keyUsageLimit = 64 * 1024
        var server = try pki.serverConfig(suites: [suite])
        server.keyUsageLimit = 64 * 1024
        var pair = EnginePair(client: try TLSConnection(client: client), server: try TLSConnection(server: server))
        pair.run()
        var sent: [UInt8] = []
        for i in 0..<12 {
            let chunk = [UInt8](repeating: UInt8(i), count: 10_000)
            try pair.client.send(chunk)
            try pair.server.send(chunk)
            sent += chunk
            pair.run()
        }
        #expect(pair.clientError == nil && pair.serverError == nil)
        #expect(EnginePair.data(pair.serverEvents) == sent && EnginePair.data(pair.clientEvents) == sent)
        #expect(EnginePair.infos(pair.clientEvents).count == 1 && EnginePair.infos(pair.serverEvents).count == 1)
        #expect(EnginePair.infos(pair.clientEvents).first?.cipherSuite == suite)
    }

    @Test func closeNotifyIsAnsweredAndSendingAfterCloseFails() throws {
        let pki = try HandshakePKI.shared.get()
        var pair = EnginePair(client: try TLSConnection(client: pki.clientConfig()), server: try TLSConnection(server: pki.serverConfig()))
        pair.run()
        pair.server.close()
        pair.run()
        #expect(pair.clientEvents.contains { if case .closed = $0 { true } else { false } })
        #expect(pair.client.isClosed && pair.server.isClosed)
        #expect(throws: TLSError.self) { try pair.client.send([1]) }
        #expect(pair.client.session != nil, "an orderly close keeps the session resumable")
    }

    @Test func helloRequestIsIgnoredMidHandshakeAndRefusedWhenRenegotiationIsOff() throws {
        let pki = try HandshakePKI.shared.get()
        var client = try TLSConnection(client: pki.clientConfig())
        _ = client.takeOutput()
        client.receive(HandshakeFailureTests.record(.handshake, HandshakeMessage.helloRequest.encoded()))
        #expect(try client.nextEvent() == nil)
        #expect(client.takeOutput().isEmpty, "a HelloRequest during the handshake is ignored (RFC 2246 §7.4.1.1)")
        var pair = EnginePair(client: try TLSConnection(client: pki.clientConfig(options: [.noRenegotiation])),
                              server: try TLSConnection(server: pki.serverConfig()))
        pair.run()
        try pair.server.renegotiate()
        pair.run()
        #expect(pair.serverEvents.contains { if case .warningAlert(.noRenegotiation) = $0 { true } else { false } })
        #expect(pair.clientError == nil && pair.serverError == nil)
        try HandshakeMatrixTests.exchange(&pair, "after refusal")
    }

    /// Data written while a renegotiation is under way is held, and goes out under the new
    /// keys after the handshake completes (GnuTLS refuses application data mid-handshake).
    @Test func dataWrittenDuringRenegotiationWaitsForItsEnd() throws {
        let pki = try HandshakePKI.shared.get()
        var pair = EnginePair(client: try TLSConnection(client: pki.clientConfig()),
                              server: try TLSConnection(server: pki.serverConfig()))
        pair.run()
        try pair.server.renegotiate()
        pair.client.receive(pair.server.takeOutput())
        #expect(try pair.client.nextEvent() == nil)  // answered the HelloRequest with a ClientHello
        #expect(pair.client.isRenegotiating)
        let helloFlight = pair.client.takeOutput()
        try pair.client.send(Array("held".utf8))
        #expect(pair.client.takeOutput().isEmpty, "no application record while the handshake runs")
        pair.server.receive(helloFlight)
        pair.run()
        #expect(pair.clientError == nil && pair.serverError == nil)
        #expect(!pair.client.isRenegotiating)
        // The server saw the second handshake complete before the held data arrived.
        let secondHandshake = try #require(pair.serverEvents.lastIndex { if case .handshakeComplete = $0 { true } else { false } })
        let dataEvent = try #require(pair.serverEvents.firstIndex { if case .applicationData = $0 { true } else { false } })
        #expect(EnginePair.infos(pair.serverEvents).count == 2)
        #expect(dataEvent > secondHandshake)
        #expect(EnginePair.data(pair.serverEvents) == Array("held".utf8))
    }

    @Test func zeroCopyOutputMatchesTakeOutput() throws {
        let pki = try HandshakePKI.shared.get()
        var a = try TLSConnection(client: pki.clientConfig())
        var b = a
        #expect(a.hasPendingOutput)
        let viewed = a.withPendingOutput { Array($0) }
        a.consumeOutput(10)
        let rest = a.takeOutput()
        #expect(viewed == b.takeOutput())
        #expect(rest == Array(viewed.dropFirst(10)) && !a.hasPendingOutput)
    }

    @Test func sendBeforeHandshakeIsMisuse() throws {
        let pki = try HandshakePKI.shared.get()
        var client = try TLSConnection(client: pki.clientConfig())
        do {
            try client.send([1])
            Issue.record("send before the handshake was accepted")
        } catch {
            #expect(error.code == .misuse && error.alert == nil)
        }
    }

    @Test func noResumptionServerSendsEmptySessionID() throws {
        let pki = try HandshakePKI.shared.get()
        let store = LRUSessionStore()
        var pair = EnginePair(client: try TLSConnection(client: pki.clientConfig()),
                              server: try TLSConnection(server: pki.serverConfig(options: [.noResumption], store: store)))
        pair.run()
        #expect(EnginePair.infos(pair.clientEvents).first?.sessionID == [])
        #expect(store.count == 0)
    }

    @Test func serverCipherPreference() throws {
        let pki = try HandshakePKI.shared.get()
        let clientSuites: [CipherSuite] = [.rsaWithDESCBCSHA, .rsaWith3DESEDECBCSHA]
        let serverSuites: [CipherSuite] = [.rsaWith3DESEDECBCSHA, .rsaWithDESCBCSHA]
        var byClient = EnginePair(client: try TLSConnection(client: pki.clientConfig(suites: clientSuites)),
                                  server: try TLSConnection(server: pki.serverConfig(suites: serverSuites)))
        byClient.run()
        #expect(EnginePair.infos(byClient.clientEvents).first?.cipherSuite == .rsaWithDESCBCSHA)
        var byServer = EnginePair(
            client: try TLSConnection(client: pki.clientConfig(suites: clientSuites)),
            server: try TLSConnection(server: pki.serverConfig(suites: serverSuites, options: [.serverCipherPreference])))
        byServer.run()
        #expect(EnginePair.infos(byServer.clientEvents).first?.cipherSuite == .rsaWith3DESEDECBCSHA)
        // NULL and single DES are never chosen unless the server lists them.
        for weak in [CipherSuite.rsaWithNullSHA, .rsaWithDESCBCSHA] {
            var noCommon = EnginePair(client: try TLSConnection(client: pki.clientConfig(suites: [weak])),
                                      server: try TLSConnection(server: pki.serverConfig()))
            noCommon.run()
            HandshakeFailureTests.expectAlert(noCommon, sentBy: .server, .handshakeFailure)
        }
    }

    /// Sessions are Codable: a client may persist one and resume from the decoded copy.
    @Test func serialisedSessionResumes() throws {
        let pki = try HandshakePKI.shared.get()
        let store = LRUSessionStore()
        var first = EnginePair(client: try TLSConnection(client: pki.clientConfig(), serverName: "localhost"),
                               server: try TLSConnection(server: pki.serverConfig(store: store)))
        first.run()
        let data = try JSONEncoder().encode(try #require(first.client.session))
        let decoded = try JSONDecoder().decode(TLSSession.self, from: data)
        #expect(decoded == first.client.session)
        var second = EnginePair(client: try TLSConnection(client: pki.clientConfig(seed: 300), serverName: "localhost", resuming: decoded),
                                server: try TLSConnection(server: pki.serverConfig(store: store, seed: 301)))
        second.run()
        #expect(EnginePair.infos(second.clientEvents).first?.isResumed == true)
        #expect(EnginePair.infos(second.clientEvents).first?.peerCertificates.first == pki.server)
    }

    @Test func sessionStoreIsBoundedAndExpires() {
        let store = LRUSessionStore(capacity: 2, lifetime: 100)
        func session(_ id: UInt8, _ t: Int64) -> TLSSession {
            TLSSession(sessionID: [id], cipherSuiteID: 0x000A, compressionMethod: 0, masterSecret: [], extendedMasterSecret: true,
                       peerCertificates: [], peerVerified: false, creationTime: t, serverName: nil)
        }
        store.store(session(1, 0))
        store.store(session(2, 0))
        #expect(store.session(id: [1], now: 10) != nil)  // 1 is now most recently used
        store.store(session(3, 0))
        #expect(store.session(id: [2], now: 10) == nil)  // 2 was evicted
        #expect(store.session(id: [1], now: 10) != nil && store.count == 2)
        #expect(store.session(id: [1], now: 100) == nil)  // expired
        #expect(store.count == 1)
    }

    /// The O(1) store keeps the LRU order through replacements, removals and reused slots.
    @Test func sessionStoreKeepsRecencyThroughReplaceRemoveAndReuse() {
        let store = LRUSessionStore(capacity: 3, lifetime: 1000)
        func session(_ id: UInt8, _ suite: UInt16 = 0x000A) -> TLSSession {
            TLSSession(sessionID: [id], cipherSuiteID: suite, compressionMethod: 0, masterSecret: [id], extendedMasterSecret: true,
                       peerCertificates: [], peerVerified: false, creationTime: 0, serverName: nil)
        }
        store.store(session(1))
        store.store(session(2))
        store.store(session(3))
        store.store(session(1, 0x002F))  // replaces 1 and makes it the most recent: 2, 3, 1
        #expect(store.count == 3 && store.session(id: [1], now: 1)?.cipherSuiteID == 0x002F)
        store.store(session(4))  // evicts 2: 3, 1, 4
        #expect(store.session(id: [2], now: 1) == nil)
        store.remove(id: [1])  // 3, 4
        #expect(store.count == 2 && store.session(id: [1], now: 1) == nil)
        store.store(session(5))  // reuses a freed slot: 3, 4, 5
        #expect(store.session(id: [3], now: 1) != nil)  // 4, 5, 3
        store.store(session(6))  // evicts 4: 5, 3, 6
        #expect(store.session(id: [4], now: 1) == nil)
        #expect([3, 5, 6].allSatisfy { store.session(id: [UInt8($0)], now: 1)?.masterSecret == [UInt8($0)] })
        #expect(store.count == 3)
        store.remove(id: [9])  // absent: nothing happens
        #expect(store.count == 3)
        // Many more sessions than the capacity: always exactly the newest three remain.
        for id in UInt8(10)..<UInt8(200) { store.store(session(id)) }
        #expect(store.count == 3 && (197..<200).allSatisfy { store.session(id: [UInt8($0)], now: 1) != nil })
    }

    @Test func cipherSuiteTable() {
        // B.3's preference with its 3DES fallback; DES and NULL only when listed.
        #expect(CipherSuite.defaults == [.rsaWithAES128CBCSHA, .rsaWithAES256CBCSHA, .rsaWith3DESEDECBCSHA])
        #expect(CipherSuite(id: 0x002F) == .rsaWithAES128CBCSHA && CipherSuite(id: 0x0035) == .rsaWithAES256CBCSHA)
        #expect(CipherSuite(name: "TLS_RSA_WITH_AES_256_CBC_SHA")?.id == 0x0035)
        #expect(CipherSuite.rsaWithAES128CBCSHA.encryptionAlgorithm == "AES-128-CBC")
        #expect(CipherSuite.rsaWithAES256CBCSHA.encryptionAlgorithm == "AES-256-CBC")
        // RFC 2246 §6.3: 2 × (20 + 16 + 16) and 2 × (20 + 32 + 16).
        #expect(CipherSuite.rsaWithAES128CBCSHA.keyBlockByteCount == 104)
        #expect(CipherSuite.rsaWithAES256CBCSHA.keyBlockByteCount == 136)
        #expect(!CipherSuite.rsaWithAES128CBCSHA.hasSmallBlock && CipherSuite.rsaWith3DESEDECBCSHA.hasSmallBlock)
        #expect(CipherSuite(name: "TLS_RSA_WITH_NULL_SHA")?.id == 0x0002)
        #expect(CipherSuite(id: 0x0003) == nil)  // export suites are not in the table (FREAK)
        #expect(CipherSuite.rsaWith3DESEDECBCSHA.keyBlockByteCount == 104)
        #expect(CipherSuite.rsaWithNullSHA.encryptionAlgorithm == "NULL" && CipherSuite.rsaWithNullSHA.integrityAlgorithm == "HMAC-SHA1")
    }
}
