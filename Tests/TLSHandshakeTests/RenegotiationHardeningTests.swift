import CryptoPrimitives
import Synchronization
import TLSRecord
import Testing
import X509
@testable import TLSHandshake

/// Issue 11 A5, B10, B11 (review F5): renegotiation keeps the extended master secret and the
/// peer's identity, and servers do not renegotiate on a client's demand by default.
@Suite struct RenegotiationHardeningTests {
    typealias F = HandshakeFailureTests

    /// An injectable clock the tests move by hand.
    final class Clock: Sendable {
        private let seconds = Mutex<Int64>(HandshakePKI.now)
        func advance(_ s: Int64) { seconds.withLock { $0 += s } }
        var now: Int64 { seconds.withLock { $0 } }
    }

    static func warned(_ events: [TLSEvent]) -> Int {
        events.filter { if case .warningAlert(.noRenegotiation) = $0 { true } else { false } }.count
    }

    /// A link as a completed handshake leaves it.
    static func link(ems: Bool, peer: PeerIdentity? = nil) -> EstablishedLink {
        var n = Negotiation()
        n.extendedMasterSecret = ems
        n.peer = peer
        return EstablishedLink(
            clientVerifyData: [UInt8](repeating: 0xC1, count: 12), serverVerifyData: [UInt8](repeating: 0x5E, count: 12),
            secureRenegotiation: true, peer: peer, session: n.session(masterSecret: [UInt8](repeating: 1, count: 48), now: HandshakePKI.now, serverName: nil))
    }

    // MARK: B10 — client-initiated renegotiation

    /// By default a server answers a client's renegotiating ClientHello with the warning
    /// `no_renegotiation` and carries on with the current keys; a renegotiation the server asks
    /// for still completes.
    @Test func serversRefuseClientInitiatedRenegotiationByDefault() throws {
        let pki = try HandshakePKI.shared.get()
        var pair = try F.pair(pki.clientConfig(), pki.serverConfig())
        pair.run()
        try pair.client.renegotiate()
        pair.run()
        #expect(pair.clientError == nil && pair.serverError == nil, "\(String(describing: pair.clientError))")
        #expect(Self.warned(pair.clientEvents) == 1)
        #expect(EnginePair.infos(pair.serverEvents).count == 1 && !pair.client.isRenegotiating)
        try pair.client.send(Array("still here".utf8))
        try pair.server.send(Array("so am I".utf8))
        pair.run()
        #expect(EnginePair.data(pair.serverEvents) == Array("still here".utf8))
        #expect(EnginePair.data(pair.clientEvents) == Array("so am I".utf8))
        try pair.server.renegotiate()
        pair.run()
        #expect(pair.clientError == nil && pair.serverError == nil)
        #expect(EnginePair.infos(pair.serverEvents).count == 2 && EnginePair.infos(pair.clientEvents).last?.isRenegotiation == true)
    }

    /// With the option, at most 3 client-initiated renegotiations per minute; the 4th gets the
    /// warning; a minute later one more completes.
    @Test func allowedClientRenegotiationIsRateLimited() throws {
        let pki = try HandshakePKI.shared.get()
        let clock = Clock()
        var server = try pki.serverConfig(options: [.allowClientRenegotiation])
        server.currentTime = { clock.now }
        var pair = try F.pair(pki.clientConfig(), server)
        pair.run()
        for _ in 0..<4 {
            try pair.client.renegotiate()
            pair.run()
            clock.advance(10)
        }
        #expect(pair.clientError == nil && pair.serverError == nil)
        #expect(EnginePair.infos(pair.serverEvents).count == 4)  // first + 3
        #expect(Self.warned(pair.clientEvents) == 1)
        clock.advance(31)  // the first renegotiation is now more than 60 s old
        try pair.client.renegotiate()
        pair.run()
        #expect(EnginePair.infos(pair.serverEvents).count == 5)
        #expect(Self.warned(pair.clientEvents) == 1)
    }

    // MARK: B11 — the client's identity must not change

    /// F5 (b): a client that authenticated with certificate A renegotiates presenting B, issued
    /// by the same CA: the server refuses with `bad_certificate`.
    @Test func clientCertificateMustNotChangeOnRenegotiation() throws {
        let pki = try HandshakePKI.shared.get()
        let other = try CertificateBuilder.tlsClient(
            subject: HandshakePKI.name("Other Modality B"), publicKey: pki.clientKey.publicKey, serialNumber: [8],
            validity: Validity(notBefore: HandshakePKI.time(2020), notAfter: HandshakePKI.time(2040))
        ).signed(by: pki.root, key: pki.rootKey)
        let server = try pki.serverConfig(verification: .requirePeerCertificate, options: [.allowClientRenegotiation])
        var pair = try F.pair(pki.clientConfig(withCertificate: true), server)
        pair.run()
        #expect(EnginePair.infos(pair.serverEvents).first?.peerCertificates.first == pki.client)
        pair.client.replaceConfigurationForTesting(try pki.clientConfig(withCertificate: true, chain: [other]))
        try pair.client.renegotiate()
        pair.run()
        F.expectAlert(pair, sentBy: .server, .badCertificate)
        #expect(pair.serverError?.message.contains("changed during renegotiation") == true)
    }

    /// The same check at the state: B and an empty list are refused, A is accepted.
    @Test func expectClientCertificateComparesTheLeaf() throws {
        let pki = try HandshakePKI.shared.get()
        var env = HandshakeEnvironment(config: try pki.serverConfig(verification: .peer), now: HandshakePKI.now)
        let a = try PeerAuthentication.authenticate(chain: [pki.client.derBytes], config: env.config, now: HandshakePKI.now, peerIsServer: false)
        var n = Negotiation()
        n.previous = Self.link(ems: true, peer: a)
        let state = ExpectClientCertificate(negotiation: n)
        for chain in [[pki.untrustedClient.derBytes], []] {
            let m = HandshakeMessage.certificate(CertificateMessage(certificates: chain))
            #expect(throws: TLSError.self) { _ = try state.handle(.message(m, bytes: m.encoded()), &env) }
        }
        let same = HandshakeMessage.certificate(CertificateMessage(certificates: [pki.client.derBytes]))
        #expect(throws: Never.self) { _ = try state.handle(.message(same, bytes: same.encoded()), &env) }
    }

    // MARK: A5 — the extended master secret survives renegotiation

    /// A renegotiating ClientHello without EMS on an EMS connection: `handshake_failure`.
    @Test func serverRefusesARenegotiationThatDropsEMS() throws {
        let pki = try HandshakePKI.shared.get()
        var env = HandshakeEnvironment(config: try pki.serverConfig(), now: HandshakePKI.now)
        let previous = Self.link(ems: true)
        let info = HelloExtension.renegotiationInfo(previous.clientVerifyData)
        let without = HandshakeMessage.clientHello(F.clientHello(suites: [0x000A], extensions: [info]))
        do {
            _ = try ExpectClientHello(previous: previous).handle(.message(without, bytes: without.encoded()), &env)
            Issue.record("a renegotiation without EMS was accepted")
        } catch {
            #expect(error.alert == .handshakeFailure)
        }
        let with = HandshakeMessage.clientHello(F.clientHello(suites: [0x000A], extensions: [info, .extendedMasterSecret]))
        #expect(throws: Never.self) { _ = try ExpectClientHello(previous: previous).handle(.message(with, bytes: with.encoded()), &env) }
    }

    /// A renegotiation ServerHello without EMS on an EMS connection: `handshake_failure`.
    @Test func clientRefusesARenegotiationServerHelloThatDropsEMS() throws {
        let pki = try HandshakePKI.shared.get()
        var env = HandshakeEnvironment(config: try pki.clientConfig(), now: HandshakePKI.now)
        let previous = Self.link(ems: true)
        var n = Negotiation()
        n.previous = previous
        let offered = F.clientHello(suites: [0x000A], extensions: [.extendedMasterSecret, .renegotiationInfo(previous.clientVerifyData)])
        let state = ExpectServerHello(negotiation: n, offered: offered, offeredSession: nil, serverName: nil)
        func serverHello(_ ext: [HelloExtension]) -> HandshakeMessage {
            .serverHello(ServerHello(serverVersion: 0x0301, random: [UInt8](repeating: 2, count: 32), sessionID: [],
                                     cipherSuite: 0x000A, compressionMethod: 0, extensions: HelloExtensions(items: ext)))
        }
        let info = HelloExtension.renegotiationInfo(previous.clientVerifyData + previous.serverVerifyData)
        let dropped = serverHello([info])
        do {
            _ = try state.handle(.message(dropped, bytes: dropped.encoded()), &env)
            Issue.record("a renegotiation ServerHello without EMS was accepted")
        } catch {
            #expect(error.alert == .handshakeFailure)
        }
        let kept = serverHello([info, .extendedMasterSecret])
        #expect(throws: Never.self) { _ = try state.handle(.message(kept, bytes: kept.encoded()), &env) }
    }

    /// A renegotiation never resumes a session without EMS: it gets a full handshake; an EMS
    /// session of the same (anonymous) client may be resumed.
    @Test(arguments: [false, true])
    func renegotiationResumesOnlyEMSSessions(ems: Bool) throws {
        let pki = try HandshakePKI.shared.get()
        let store = LRUSessionStore()
        let id = [UInt8](repeating: 0x42, count: 32)
        store.store(TLSSession(
            sessionID: id, cipherSuiteID: 0x000A, compressionMethod: 0, masterSecret: [UInt8](repeating: 3, count: 48),
            extendedMasterSecret: ems, peerCertificates: [], peerVerified: false, creationTime: HandshakePKI.now, serverName: nil))
        var env = HandshakeEnvironment(config: try pki.serverConfig(options: [.allowClientRenegotiation], store: store), now: HandshakePKI.now)
        let previous = Self.link(ems: ems)
        let info = HelloExtension.renegotiationInfo(previous.clientVerifyData)
        let hello = HandshakeMessage.clientHello(F.clientHello(suites: [0x000A], extensions: ems ? [info, .extendedMasterSecret] : [info], sessionID: id))
        let next = try ExpectClientHello(previous: previous).handle(.message(hello, bytes: hello.encoded()), &env)
        switch next {
        case .expectClientChangeCipherSpec: #expect(ems, "a non-EMS session was resumed in a renegotiation")
        case .expectClientKeyExchange: #expect(!ems, "an EMS session was not resumed")
        default: Issue.record("unexpected state \(next)")
        }
    }
}
