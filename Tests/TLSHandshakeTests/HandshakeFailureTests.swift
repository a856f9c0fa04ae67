import CryptoPrimitives
import TLSRecord
import Testing
import X509
@testable import TLSHandshake

/// Every failure the issue lists produces the RFC 2246 §7.2.2 alert, sent by the side that
/// detects it and seen as a peer alert by the other.
@Suite struct HandshakeFailureTests {
    // MARK: Helpers

    /// One plaintext record.
    static func record(_ type: ContentType, _ body: [UInt8], version: UInt16 = 0x0301) -> [UInt8] {
        [type.rawValue, UInt8(version >> 8), UInt8(version & 0xFF), UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
    }

    /// A ClientHello as OpenSSL or an attacker might send it.
    static func clientHello(
        version: UInt16 = 0x0301, suites: [UInt16] = [0x000A, 0x00FF], extensions: [HelloExtension] = [.extendedMasterSecret],
        sessionID: [UInt8] = []
    ) -> ClientHello {
        ClientHello(
            clientVersion: version, random: [UInt8](repeating: 7, count: 32), sessionID: sessionID, cipherSuites: suites,
            compressionMethods: [0], extensions: HelloExtensions(items: extensions))
    }

    /// Feeds `bytes` to a fresh server and returns its error (nil if none) and its output.
    static func serverAfter(_ bytes: [UInt8], config: TLSConfiguration) throws -> (TLSError?, [UInt8]) {
        var server = try TLSConnection(server: config)
        server.receive(bytes)
        do {
            while try server.nextEvent() != nil {}
            return (nil, server.takeOutput())
        } catch {
            return (error, server.takeOutput())
        }
    }

    /// The alert records in a byte stream (level, description), plaintext only.
    static func alerts(_ bytes: [UInt8]) -> [(UInt8, UInt8)] {
        GoTranscriptReplayTests.records(bytes).filter { $0.0 == 21 && $0.1.count == 2 }.map { ($0.1[0], $0.1[1]) }
    }

    static func pair(_ client: TLSConfiguration, _ server: TLSConfiguration, resuming: TLSSession? = nil) throws -> EnginePair {
        EnginePair(client: try TLSConnection(client: client, serverName: "localhost", resuming: resuming),
                   server: try TLSConnection(server: server))
    }

    /// Asserts that `sender` sent `alert` (a local error carrying it) and the other side saw it.
    static func expectAlert(_ pair: EnginePair, sentBy sender: ConnectionEnd, _ alert: AlertDescription,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        let (local, remote) = sender == .client ? (pair.clientError, pair.serverError) : (pair.serverError, pair.clientError)
        #expect(local?.alert == alert && local?.isPeerAlert == false, "local error: \(String(describing: local))", sourceLocation: sourceLocation)
        #expect(remote?.alert == alert && remote?.isPeerAlert == true, "remote error: \(String(describing: remote))", sourceLocation: sourceLocation)
    }

    // MARK: Versions, extensions, SCSVs

    @Test func serverAnswersHigherVersionsWithTLS10() throws {
        let pki = try HandshakePKI.shared.get()
        for v: UInt16 in [0x0302, 0x0303, 0x0304] {
            let hello = HandshakeMessage.clientHello(Self.clientHello(version: v)).encoded()
            let (error, out) = try Self.serverAfter(Self.record(.handshake, hello), config: pki.serverConfig())
            #expect(error == nil)
            let records = GoTranscriptReplayTests.records(out)
            let first = try #require(records.first)
            #expect(first.0 == 22 && first.1.count > 6 && first.1[0] == 2 && first.1[4] == 3 && first.1[5] == 1)
        }
    }

    @Test func serverRefusesSSL30() throws {
        let pki = try HandshakePKI.shared.get()
        let hello = HandshakeMessage.clientHello(Self.clientHello(version: 0x0300)).encoded()
        let (error, out) = try Self.serverAfter(Self.record(.handshake, hello), config: pki.serverConfig())
        #expect(error?.alert == .protocolVersion)
        #expect(Self.alerts(out).map(\.1) == [AlertDescription.protocolVersion.rawValue])
    }

    @Test func clientRejectsAnyVersionButTLS10() throws {
        let pki = try HandshakePKI.shared.get()
        for v: UInt16 in [0x0300, 0x0302, 0x0303] {
            var client = try TLSConnection(client: pki.clientConfig())
            _ = client.takeOutput()
            let hello = ServerHello(serverVersion: v, random: [UInt8](repeating: 1, count: 32), sessionID: [],
                                    cipherSuite: 0x000A, compressionMethod: 0, extensions: HelloExtensions())
            client.receive(Self.record(.handshake, HandshakeMessage.serverHello(hello).encoded()))
            #expect(throws: TLSError.self) { _ = try client.nextEvent() }
            #expect(Self.alerts(client.takeOutput()).map(\.1) == [AlertDescription.protocolVersion.rawValue])
        }
    }

    // RFC 7507: see ConformanceHardeningTests.fallbackSCSVNeverRefusedByATLS10OnlyServer.

    @Test func duplicateExtensionIsDecodeError() throws {
        let pki = try HandshakePKI.shared.get()
        let hello = HandshakeMessage.clientHello(Self.clientHello(extensions: [.extendedMasterSecret, .extendedMasterSecret])).encoded()
        let (error, out) = try Self.serverAfter(Self.record(.handshake, hello), config: pki.serverConfig())
        #expect(error?.alert == .decodeError)
        #expect(Self.alerts(out).map(\.1) == [AlertDescription.decodeError.rawValue])
    }

    @Test func unknownExtensionsAreIgnoredAndNeverEchoed() throws {
        let pki = try HandshakePKI.shared.get()
        let odd: [HelloExtension] = [
            .extendedMasterSecret, HelloExtension(type: .encryptThenMAC, data: []), HelloExtension(type: .sessionTicket, data: []),
            HelloExtension(type: .signatureAlgorithms, data: [0, 2, 2, 1]), HelloExtension(type: ExtensionType(rawValue: 0x7777), data: [1, 2, 3]),
        ]
        let hello = HandshakeMessage.clientHello(Self.clientHello(extensions: odd)).encoded()
        let (error, out) = try Self.serverAfter(Self.record(.handshake, hello), config: pki.serverConfig())
        #expect(error == nil)
        let body = try #require(GoTranscriptReplayTests.records(out).first?.1)
        let length = Int(body[1]) << 16 | Int(body[2]) << 8 | Int(body[3])
        var reader = ByteReader(Array(body[4..<(4 + length)]))
        let serverHello = try ServerHello.decode(&reader)
        #expect(Set(serverHello.extensions.items.map(\.type)) == [.extendedMasterSecret, .renegotiationInfo])
    }

    @Test func clientRefusesExtensionsItDidNotOffer() throws {
        let pki = try HandshakePKI.shared.get()
        let cases: [(TLSOptions, HelloExtension)] = [
            ([.recordSplitting], HelloExtension(type: .sessionTicket, data: [])),
            ([.disableExtendedMasterSecret], .extendedMasterSecret),
            ([], HelloExtension(type: .encryptThenMAC, data: [])),
        ]
        for (options, ext) in cases {
            var client = try TLSConnection(client: pki.clientConfig(options: options))
            _ = client.takeOutput()
            let hello = ServerHello(serverVersion: 0x0301, random: [UInt8](repeating: 1, count: 32), sessionID: [],
                                    cipherSuite: 0x000A, compressionMethod: 0, extensions: HelloExtensions(items: [ext]))
            client.receive(Self.record(.handshake, HandshakeMessage.serverHello(hello).encoded()))
            #expect(throws: TLSError.self) { _ = try client.nextEvent() }
            #expect(Self.alerts(client.takeOutput()).map(\.1) == [AlertDescription.unsupportedExtension.rawValue])
        }
    }

    @Test func truncatedClientHelloIsDecodeError() throws {
        let pki = try HandshakePKI.shared.get()
        var body = HandshakeMessage.clientHello(Self.clientHello()).encoded()
        body.removeLast(2)  // drop bytes inside, then fix the outer length so only the inner vectors disagree
        let inner = body.count - 4
        body[1] = UInt8(inner >> 16); body[2] = UInt8((inner >> 8) & 0xFF); body[3] = UInt8(inner & 0xFF)
        let (error, _) = try Self.serverAfter(Self.record(.handshake, body), config: pki.serverConfig())
        #expect(error?.alert == .decodeError)
    }

    // MARK: Message order

    @Test func unexpectedMessagesAreUnexpectedMessage() throws {
        let pki = try HandshakePKI.shared.get()
        // A server that gets Finished, HelloRequest or application data first.
        let finished = HandshakeMessage.finished(Finished(verifyData: [UInt8](repeating: 0, count: 12))).encoded()
        for bytes in [Self.record(.handshake, finished), Self.record(.handshake, HandshakeMessage.helloRequest.encoded()),
                      Self.record(.applicationData, [1, 2, 3]), Self.record(.changeCipherSpec, [1])] {
            let (error, out) = try Self.serverAfter(bytes, config: pki.serverConfig())
            #expect(error?.alert == .unexpectedMessage)
            #expect(Self.alerts(out).map(\.1) == [AlertDescription.unexpectedMessage.rawValue])
        }
        // A client that gets ServerHelloDone instead of ServerHello.
        var client = try TLSConnection(client: pki.clientConfig())
        _ = client.takeOutput()
        client.receive(Self.record(.handshake, HandshakeMessage.serverHelloDone.encoded()))
        #expect(throws: TLSError.self) { _ = try client.nextEvent() }
        #expect(Self.alerts(client.takeOutput()).map(\.1) == [AlertDescription.unexpectedMessage.rawValue])
    }

    @Test func changeCipherSpecBeforeServerHelloDoneIsUnexpected() throws {
        let pki = try HandshakePKI.shared.get()
        var server = try TLSConnection(server: pki.serverConfig())
        var client = try TLSConnection(client: pki.clientConfig())
        server.receive(client.takeOutput())
        _ = try server.nextEvent()
        let flight = server.takeOutput()
        // Cut the server's flight before ServerHelloDone: keep ServerHello + Certificate only.
        let body = try #require(GoTranscriptReplayTests.records(flight).first?.1)
        var messages: [[UInt8]] = []
        var i = 0
        while i + 4 <= body.count {
            let n = Int(body[i + 1]) << 16 | Int(body[i + 2]) << 8 | Int(body[i + 3])
            messages.append(Array(body[i..<(i + 4 + n)]))
            i += 4 + n
        }
        #expect(messages.count == 3)
        client.receive(Self.record(.handshake, messages[0] + messages[1]) + Self.record(.changeCipherSpec, [1]))
        #expect(throws: TLSError.self) { while try client.nextEvent() != nil {} }
        #expect(Self.alerts(client.takeOutput()).map(\.1) == [AlertDescription.unexpectedMessage.rawValue])
    }

    // MARK: Secrets

    /// Every kind of bad RSA premaster fails the same way at the same point: no error on
    /// ClientKeyExchange, then one `bad_record_mac` on the client's Finished record.
    @Test func badPremasterVariantsFailIdentically() throws {
        let pki = try HandshakePKI.shared.get()
        let key = pki.serverKey.publicKey
        let random = DeterministicRandom(seed: 99)
        var variants: [(String, [UInt8])] = [
            ("wrong version", try key.encryptPKCS1v15([3, 0] + random.bytes(46), random: random)),
            ("47 bytes", try key.encryptPKCS1v15([3, 1] + random.bytes(45), random: random)),
            ("49 bytes", try key.encryptPKCS1v15([3, 1] + random.bytes(47), random: random)),
            ("random ciphertext", [0] + random.bytes(255)),
            ("short ciphertext", random.bytes(100)),
        ]
        variants.append(("all zero", [UInt8](repeating: 0, count: 256)))
        for (name, ciphertext) in variants {
            var server = try TLSConnection(server: pki.serverConfig())
            var client = try TLSConnection(client: pki.clientConfig())
            server.receive(client.takeOutput())
            _ = try server.nextEvent()
            client.receive(server.takeOutput())
            _ = try client.nextEvent()
            // Replace the encrypted premaster in the client's ClientKeyExchange.
            var records = GoTranscriptReplayTests.records(client.takeOutput())
            #expect(records.count == 3, "\(name)")
            let cke = HandshakeMessage.clientKeyExchange(ClientKeyExchange(encryptedPreMasterSecret: ciphertext)).encoded()
            records[0].1 = cke
            server.receive(Self.record(.handshake, records[0].1))
            #expect(try server.nextEvent() == nil, "\(name): no error at ClientKeyExchange")
            server.receive(Self.record(.changeCipherSpec, [1]) + Self.record(.handshake, records[2].1))
            do {
                _ = try server.nextEvent()
                Issue.record("\(name): the server accepted a bad premaster")
            } catch {
                #expect(error.alert == .badRecordMAC, "\(name): \(error)")
            }
            #expect(Self.alerts(server.takeOutput()).count == 1, "\(name)")
        }
    }

    @Test func wrongFinishedIsDecryptError() throws {
        var n = Negotiation()
        n.clientRandom = [UInt8](repeating: 1, count: 32)
        n.serverRandom = [UInt8](repeating: 2, count: 32)
        let secrets = n.secrets(masterSecret: [UInt8](repeating: 3, count: 48))
        let right = n.transcript.verifyData(masterSecret: secrets.masterSecret, label: .client)
        var wrong = right
        wrong[11] ^= 1
        let state = ExpectClientFinished(negotiation: n, secrets: secrets, resumed: false, serverVerifyData: [])
        let pki = try HandshakePKI.shared.get()
        var env = HandshakeEnvironment(config: try pki.serverConfig(), now: HandshakePKI.now)
        let bad = HandshakeMessage.finished(Finished(verifyData: wrong))
        #expect(throws: TLSError.self) { _ = try state.handle(.message(bad, bytes: bad.encoded()), &env) }
        do {
            _ = try state.handle(.message(bad, bytes: bad.encoded()), &env)
        } catch {
            #expect(error.alert == .decryptError)
        }
        let good = HandshakeMessage.finished(Finished(verifyData: right))
        #expect(throws: Never.self) { _ = try state.handle(.message(good, bytes: good.encoded()), &env) }
    }

    // MARK: Certificates

    @Test func untrustedServerCertificateIsUnknownCA() throws {
        let pki = try HandshakePKI.shared.get()
        var pair = try Self.pair(pki.clientConfig(), pki.serverConfig(chain: [pki.untrustedServer]))
        pair.run()
        Self.expectAlert(pair, sentBy: .client, .unknownCA)
    }

    @Test func expiredServerCertificateIsCertificateExpired() throws {
        let pki = try HandshakePKI.shared.get()
        var pair = try Self.pair(pki.clientConfig(), pki.serverConfig(chain: [pki.expiredServer]))
        pair.run()
        Self.expectAlert(pair, sentBy: .client, .certificateExpired)
    }

    @Test func verificationHookCanRejectAndAccept() throws {
        let pki = try HandshakePKI.shared.get()
        var rejecting = try pki.clientConfig()
        rejecting.verificationHook = { _, _ in false }
        var pair = try Self.pair(rejecting, pki.serverConfig())
        pair.run()
        Self.expectAlert(pair, sentBy: .client, .certificateUnknown)
        var accepting = try pki.clientConfig()
        accepting.verificationHook = { chain, result in chain.first?.serialNumber == [5] }
        var pair2 = try Self.pair(accepting, pki.serverConfig(chain: [pki.untrustedServer]))
        pair2.run()
        #expect(pair2.clientError == nil && pair2.serverError == nil)
    }

    @Test func verifyDepthLimitsChains() throws {
        let pki = try HandshakePKI.shared.get()
        // The server's chain needs depth 0 (leaf directly under the root): depth 0 passes.
        var config = try pki.clientConfig()
        config.verifyDepth = 0
        var pair = try Self.pair(config, pki.serverConfig())
        pair.run()
        #expect(pair.clientError == nil)
    }

    @Test func missingClientCertificateWhenRequiredIsHandshakeFailure() throws {
        let pki = try HandshakePKI.shared.get()
        var pair = try Self.pair(pki.clientConfig(), pki.serverConfig(verification: .requirePeerCertificate))
        pair.run()
        Self.expectAlert(pair, sentBy: .server, .handshakeFailure)
        // With .peer a client without a certificate is accepted.
        var optional = try Self.pair(pki.clientConfig(), pki.serverConfig(verification: .peer))
        optional.run()
        #expect(optional.clientError == nil && optional.serverError == nil)
        #expect(EnginePair.infos(optional.serverEvents).first?.peerCertificates.isEmpty == true)
    }

    @Test func untrustedClientCertificateIsUnknownCA() throws {
        let pki = try HandshakePKI.shared.get()
        var pair = try Self.pair(
            pki.clientConfig(withCertificate: true, chain: [pki.untrustedClient]), pki.serverConfig(verification: .peer))
        pair.run()
        Self.expectAlert(pair, sentBy: .server, .unknownCA)
    }

    @Test func badCertificateVerifyIsDecryptError() throws {
        let pki = try HandshakePKI.shared.get()
        var client = try pki.clientConfig(withCertificate: true)
        client.privateKey = WrongKey(key: pki.serverKey)  // signs with a key that does not match the certificate
        var pair = try Self.pair(client, pki.serverConfig(verification: .requirePeerCertificate))
        pair.run()
        Self.expectAlert(pair, sentBy: .server, .decryptError)
    }

    @Test func serverCertificateMustNotChangeOnRenegotiation() throws {
        let pki = try HandshakePKI.shared.get()
        var env = HandshakeEnvironment(config: try pki.clientConfig(verification: .noneInsecure), now: HandshakePKI.now)
        // Authenticate the first certificate as the previous link's peer.
        let first = try PeerAuthentication.authenticate(chain: [pki.server.derBytes], config: env.config, now: HandshakePKI.now, peerIsServer: true)
        var n = Negotiation()
        n.previous = EstablishedLink(clientVerifyData: [], serverVerifyData: [], secureRenegotiation: true, peer: first,
                                     session: n.session(masterSecret: [], now: 0, serverName: nil))
        let state = ExpectServerCertificate(negotiation: n, serverName: nil)
        let changed = HandshakeMessage.certificate(CertificateMessage(certificates: [pki.untrustedServer.derBytes]))
        do {
            _ = try state.handle(.message(changed, bytes: changed.encoded()), &env)
            Issue.record("a changed server certificate was accepted")
        } catch {
            #expect(error.alert == .badCertificate)
        }
        let same = HandshakeMessage.certificate(CertificateMessage(certificates: [pki.server.derBytes]))
        #expect(throws: Never.self) { _ = try state.handle(.message(same, bytes: same.encoded()), &env) }
    }

    /// An externally held key (as an HSM would provide) that signs with the wrong key.
    struct WrongKey: TLSPrivateKey {
        let key: RSAPrivateKey
        var modulusBitCount: Int { key.modulusBitCount }
        func decryptPremaster(_ c: [UInt8], clientVersion: UInt16, random: any RandomSource) -> [UInt8] {
            key.decryptPremaster(c, clientVersion: clientVersion, random: random)
        }
        func signHandshakeHash(_ h: [UInt8]) throws(TLSError) -> [UInt8] { try key.signHandshakeHash(h) }
    }

    @Test func configurationRefusesKeyNotMatchingCertificate() throws {
        let pki = try HandshakePKI.shared.get()
        #expect(throws: TLSError.self) {
            _ = try TLSConfiguration.server(certificateChain: [pki.server], privateKey: pki.clientKey)
        }
    }

    // MARK: Renegotiation security

    @Test func insecureRenegotiationIsRefused() throws {
        let pki = try HandshakePKI.shared.get()
        var legacy = try pki.clientConfig(options: [.recordSplitting, .allowLegacyRenegotiation])
        legacy.actsAsLegacyClient = true
        var pair = try Self.pair(legacy, pki.serverConfig(options: [.allowClientRenegotiation]))
        pair.run()
        let info = try #require(EnginePair.infos(pair.clientEvents).first)
        #expect(!info.secureRenegotiation)
        // Server-initiated: our own (secure-only) server never asks a legacy client? It may
        // ask; a client that does not allow legacy renegotiation answers no_renegotiation.
        var strictClient = try pki.clientConfig()
        strictClient.actsAsLegacyClient = true
        var pair2 = try Self.pair(strictClient, pki.serverConfig(options: [.allowLegacyRenegotiation]))
        pair2.run()
        try pair2.server.renegotiate()
        pair2.run()
        #expect(pair2.serverEvents.contains { if case .warningAlert(.noRenegotiation) = $0 { true } else { false } })
        #expect(pair2.clientError == nil && pair2.serverError == nil)
        #expect(throws: TLSError.self) { try pair2.client.renegotiate() }
        // A server that does not allow legacy renegotiation refuses to ask for one.
        #expect(throws: TLSError.self) { try pair.server.renegotiate() }
        #expect(!pair.server.isClosed && pair.server.isHandshakeComplete)
        // Client-initiated by a client that allows it: the server refuses with handshake_failure.
        try pair.client.renegotiate()
        pair.run()
        Self.expectAlert(pair, sentBy: .server, .handshakeFailure)
    }

    // MARK: Sessions

    @Test func fatalAlertInvalidatesSession() throws {
        let pki = try HandshakePKI.shared.get()
        let store = LRUSessionStore()
        var pair = try Self.pair(pki.clientConfig(), pki.serverConfig(store: store))
        pair.run()
        let id = try #require(pair.client.session?.sessionID)
        #expect(store.session(id: id, now: HandshakePKI.now) != nil)
        pair.client.receive(Self.record(.alert, [2, AlertDescription.internalError.rawValue]))
        #expect(throws: TLSError.self) { _ = try pair.client.nextEvent() }
        #expect(pair.client.session == nil)
        pair.server.receive(Self.record(.handshake, [0xFF]))  // garbage under the new keys
        #expect(throws: TLSError.self) { _ = try pair.server.nextEvent() }
        #expect(store.session(id: id, now: HandshakePKI.now) == nil)
    }

    @Test func resumptionRefusedWhenExtendedMasterSecretStateDiffers() throws {
        let pki = try HandshakePKI.shared.get()
        let store = LRUSessionStore()
        var first = try Self.pair(pki.clientConfig(), pki.serverConfig(store: store))
        first.run()
        let session = try #require(first.client.session)
        #expect(session.extendedMasterSecret)
        // The client resumes an EMS session without offering EMS: the server aborts (RFC 7627 §5.3).
        var noEMS = try Self.pair(pki.clientConfig(options: [.disableExtendedMasterSecret]), pki.serverConfig(store: store), resuming: session)
        noEMS.run()
        Self.expectAlert(noEMS, sentBy: .server, .handshakeFailure)
        // A non-EMS session offered with EMS gets a full handshake, not a resumption.
        let plainStore = LRUSessionStore()
        var plain = try Self.pair(pki.clientConfig(options: [.disableExtendedMasterSecret]), pki.serverConfig(store: plainStore))
        plain.run()
        let plainSession = try #require(plain.client.session)
        #expect(!plainSession.extendedMasterSecret)
        var upgraded = try Self.pair(pki.clientConfig(seed: 201), pki.serverConfig(store: plainStore, seed: 101), resuming: plainSession)
        upgraded.run()
        #expect(upgraded.clientError == nil && upgraded.serverError == nil, "\(String(describing: upgraded.clientError)) \(String(describing: upgraded.serverError))")
        #expect(EnginePair.infos(upgraded.clientEvents).first?.isResumed == false)
    }
}
