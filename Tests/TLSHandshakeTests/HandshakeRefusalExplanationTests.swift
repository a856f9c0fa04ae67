import CryptoPrimitives
import TLSRecord
import Testing
import X509
@testable import TLSHandshake

/// The README's "Handshake failure messages" rows beyond the first ones: each refusal site
/// of the engine, driven in memory with a crafted peer, explains what the peer sent and which
/// rule refused it (``TLSError/explanation``, printed by `description`).
@Suite struct HandshakeRefusalExplanationTests {
    typealias F = HandshakeFailureTests

    /// The server's error after `hello`.
    private func serverError(_ hello: ClientHello, config: TLSConfiguration? = nil) throws -> TLSError? {
        let pki = try HandshakePKI.shared.get()
        let bytes = F.record(.handshake, HandshakeMessage.clientHello(hello).encoded())
        return try F.serverAfter(bytes, config: config ?? pki.serverConfig()).0
    }

    private func expect(_ error: TLSError?, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(error?.explanation?.contains(text) == true, "\(String(describing: error)) // \(String(describing: error?.explanation))", sourceLocation: sourceLocation)
        #expect(error.map { $0.description.contains(text) } == true, sourceLocation: sourceLocation)
    }

    @Test func compressionWithoutNull() throws {
        var hello = F.clientHello()
        hello.compressionMethods = [1]
        expect(try serverError(hello), "the client offers the compression methods DEFLATE (1) but not null (0); RFC 2246 §7.4.1.2")
    }

    @Test func noCommonApplicationProtocol() throws {
        let pki = try HandshakePKI.shared.get()
        var config = try pki.serverConfig()
        config.applicationProtocols = ["dicom"]
        let hello = F.clientHello(extensions: [.extendedMasterSecret, .applicationProtocols(["h2", "http/1.1"])])
        expect(try serverError(hello, config: config),
               "the client offers the application protocols (ALPN) h2, http/1.1; we speak only dicom and RFC 7301 §3.2")
    }

    @Test func insecureInitialRenegotiationInfo() throws {
        let hello = F.clientHello(extensions: [HelloExtension(type: .renegotiationInfo, data: [1, 0xAA])])
        let error = try serverError(hello)
        #expect(error?.message.contains("initial renegotiation_info is not empty") == true)
        expect(error, "RFC 5746 protects renegotiation: both sides signal it in the first handshake")
    }

    /// The connection answers a client's renegotiation with the warning no_renegotiation
    /// before it reaches this state (RenegotiationGate); the state refuses on its own too.
    @Test func renegotiationDisabled() throws {
        let pki = try HandshakePKI.shared.get()
        var env = HandshakeEnvironment(config: try pki.serverConfig(options: [.noRenegotiation]), now: HandshakePKI.now)
        var n = Negotiation()
        let previous = EstablishedLink(clientVerifyData: [], serverVerifyData: [], secureRenegotiation: true, peer: nil,
                                       session: n.session(masterSecret: [], now: 0, serverName: nil))
        n.previous = previous
        let hello = HandshakeMessage.clientHello(F.clientHello())
        do {
            _ = try ExpectClientHello(previous: previous).handle(.message(hello, bytes: hello.encoded()), &env)
            Issue.record("a renegotiation was accepted")
        } catch {
            expect(error, "the client asked to renegotiate (a new ClientHello on the established connection); renegotiation is turned off here")
        }
    }

    @Test func extendedMasterSecretDropped() throws {
        let pki = try HandshakePKI.shared.get()
        let store = LRUSessionStore()
        var first = try F.pair(pki.clientConfig(), pki.serverConfig(store: store))
        first.run()
        let session = try #require(first.client.session)
        var noEMS = try F.pair(pki.clientConfig(options: [.disableExtendedMasterSecret]), pki.serverConfig(store: store), resuming: session)
        noEMS.run()
        expect(noEMS.serverError, "the client drops the extended master secret (RFC 7627) that the session or connection was made with")
    }

    /// A bad RSA premaster and a wrong key give the same one sentence (Bleichenbacher): the
    /// explanation never depends on why the keys differ.
    @Test func finishedMismatchIsOneSentenceWhateverThePremaster() throws {
        let pki = try HandshakePKI.shared.get()
        var explanations: Set<String> = []
        let random = DeterministicRandom(seed: 5)
        for ciphertext in [try pki.serverKey.publicKey.encryptPKCS1v15([3, 0] + random.bytes(46), random: random), [0] + random.bytes(255)] {
            var server = try TLSConnection(server: pki.serverConfig())
            var client = try TLSConnection(client: pki.clientConfig())
            server.receive(client.takeOutput())
            _ = try server.nextEvent()
            client.receive(server.takeOutput())
            _ = try client.nextEvent()
            let records = GoTranscriptReplayTests.records(client.takeOutput())
            let cke = HandshakeMessage.clientKeyExchange(ClientKeyExchange(encryptedPreMasterSecret: ciphertext)).encoded()
            server.receive(F.record(.handshake, cke) + F.record(.changeCipherSpec, [1]) + F.record(.handshake, records[2].1))
            do {
                _ = try server.nextEvent()
                Issue.record("a bad premaster was accepted")
            } catch {
                explanations.insert(error.explanation ?? "")
            }
        }
        #expect(explanations.count == 1)
        #expect(explanations.first?.contains("handshake failed: the Finished check did not match") == true, "\(explanations)")
        // A wrong verify_data under the right keys: the same sentence.
        var n = Negotiation()
        n.clientRandom = [UInt8](repeating: 1, count: 32)
        n.serverRandom = [UInt8](repeating: 2, count: 32)
        let secrets = n.secrets(masterSecret: [UInt8](repeating: 3, count: 48))
        var wrong = n.transcript.verifyData(masterSecret: secrets.masterSecret, label: .client)
        wrong[0] ^= 1
        let state = ExpectClientFinished(negotiation: n, secrets: secrets, resumed: false, serverVerifyData: [])
        var env = HandshakeEnvironment(config: try pki.serverConfig(), now: HandshakePKI.now)
        let bad = HandshakeMessage.finished(Finished(verifyData: wrong))
        do {
            _ = try state.handle(.message(bad, bytes: bad.encoded()), &env)
            Issue.record("a wrong Finished was accepted")
        } catch {
            #expect(error.explanation == HandshakeExplanation.finishedMismatch)
        }
    }

    @Test func badCertificateVerify() throws {
        let pki = try HandshakePKI.shared.get()
        var client = try pki.clientConfig(withCertificate: true)
        client.privateKey = F.WrongKey(key: pki.serverKey)
        var pair = try F.pair(client, pki.serverConfig(verification: .requirePeerCertificate))
        pair.run()
        expect(pair.serverError, "the client's CertificateVerify signature does not verify with the key of \(pki.client.subject): it does not hold that certificate's private key")
    }

    @Test func pathValidationFailuresNameTheChainAndTheRule() throws {
        let pki = try HandshakePKI.shared.get()
        var untrusted = try F.pair(pki.clientConfig(), pki.serverConfig(chain: [pki.untrustedServer]))
        untrusted.run()
        expect(untrusted.clientError, "the server sent 1 certificate (\(pki.untrustedServer.subject) issued by \(pki.untrustedServer.issuer)); the rule that refused it: the chain must end at one of our trusted CAs (--ca-file: \(pki.root.subject))")
        var expired = try F.pair(pki.clientConfig(), pki.serverConfig(chain: [pki.expiredServer]))
        expired.run()
        expect(expired.clientError, "the rule that refused it: the current time must lie within each certificate's notBefore–notAfter")
        var client = try F.pair(pki.clientConfig(withCertificate: true, chain: [pki.untrustedClient]), pki.serverConfig(verification: .peer))
        client.run()
        expect(client.serverError, "the client sent 1 certificate (\(pki.untrustedClient.subject) issued by")
        var hook = try pki.clientConfig()
        hook.verificationHook = { _, _ in false }
        var hooked = try F.pair(hook, pki.serverConfig())
        hooked.run()
        expect(hooked.clientError, "the rule that refused it: the application's verification hook refused it")
    }

    @Test func certificateLimits() throws {
        let pki = try HandshakePKI.shared.get()
        var config = try pki.clientConfig()
        config.limits.certificateCount = 1
        var pair = try F.pair(config, pki.serverConfig(chain: [pki.server, pki.root]))
        pair.run()
        expect(pair.clientError, "the peer's Certificate message holds more than 1 certificates; we bound certificate lists")
    }

    @Test func emptyServerCertificate() throws {
        let pki = try HandshakePKI.shared.get()
        var client = try TLSConnection(client: pki.clientConfig())
        _ = client.takeOutput()
        let hello = ServerHello(serverVersion: 0x0301, random: [UInt8](repeating: 1, count: 32), sessionID: [],
                                cipherSuite: 0x000A, compressionMethod: 0, extensions: HelloExtensions(items: [.extendedMasterSecret]))
        client.receive(F.record(.handshake, HandshakeMessage.serverHello(hello).encoded()
                                + HandshakeMessage.certificate(CertificateMessage(certificates: [])).encoded()))
        do {
            while try client.nextEvent() != nil {}
            Issue.record("an empty server Certificate was accepted")
        } catch {
            expect(error, "the server sent an empty Certificate message; our suites (TLS_RSA_*) encrypt the premaster")
        }
    }

    @Test func identityChangeOnRenegotiation() throws {
        let pki = try HandshakePKI.shared.get()
        var env = HandshakeEnvironment(config: try pki.clientConfig(verification: .noneInsecure), now: HandshakePKI.now)
        let first = try PeerAuthentication.authenticate(chain: [pki.server.derBytes], config: env.config, now: HandshakePKI.now, peerIsServer: true)
        var n = Negotiation()
        n.previous = EstablishedLink(clientVerifyData: [], serverVerifyData: [], secureRenegotiation: true, peer: first,
                                     session: n.session(masterSecret: [], now: 0, serverName: nil))
        let changed = HandshakeMessage.certificate(CertificateMessage(certificates: [pki.untrustedServer.derBytes]))
        do {
            _ = try ExpectServerCertificate(negotiation: n, serverName: nil).handle(.message(changed, bytes: changed.encoded()), &env)
            Issue.record("a changed server certificate was accepted")
        } catch {
            expect(error, "the server presents \(pki.untrustedServer.subject) in the renegotiation but \(pki.server.subject) in the first handshake")
        }
    }

    @Test func unexpectedMalformedAndUnsolicited() throws {
        let pki = try HandshakePKI.shared.get()
        let finished = HandshakeMessage.finished(Finished(verifyData: [UInt8](repeating: 0, count: 12))).encoded()
        expect(try F.serverAfter(F.record(.handshake, finished), config: pki.serverConfig()).0,
               "the client sent a message the handshake does not allow at this point (before any handshake message); RFC 2246 §7.3")
        var body = HandshakeMessage.clientHello(F.clientHello()).encoded()
        body.removeLast(3)
        let inner = body.count - 4
        body[1] = UInt8(inner >> 16); body[2] = UInt8((inner >> 8) & 0xFF); body[3] = UInt8(inner & 0xFF)
        expect(try F.serverAfter(F.record(.handshake, body), config: pki.serverConfig()).0,
               "the client's message is malformed (before any handshake message); RFC 2246 §7.4 fixes every length and field")
        var client = try TLSConnection(client: pki.clientConfig(options: [.disableExtendedMasterSecret]))
        _ = client.takeOutput()
        let hello = ServerHello(serverVersion: 0x0301, random: [UInt8](repeating: 1, count: 32), sessionID: [],
                                cipherSuite: 0x000A, compressionMethod: 0, extensions: HelloExtensions(items: [.extendedMasterSecret]))
        client.receive(F.record(.handshake, HandshakeMessage.serverHello(hello).encoded()))
        do {
            _ = try client.nextEvent()
            Issue.record("an unsolicited extension was accepted")
        } catch {
            expect(error, "the server's ServerHello answers with extended_master_secret (0x0017), which our ClientHello did not carry")
        }
    }

    @Test func recordLimitsAndIdleRecords() throws {
        let pki = try HandshakePKI.shared.get()
        let warnings = (0..<6).flatMap { _ in F.record(.alert, [1, AlertDescription.noRenegotiation.rawValue]) }
        expect(try F.serverAfter(warnings, config: pki.serverConfig()).0,
               "the client sends records that make no progress; we allow \(TLSLimits.consecutiveWarningAlerts) warning alerts")
        let oversized = [ContentType.handshake.rawValue, 3, 1, 0x48, 0x01] + [UInt8](repeating: 0, count: 0x4801)
        let (error, _) = try F.serverAfter(oversized, config: pki.serverConfig())
        #expect(error?.alert == .recordOverflow)
        expect(error, "the client sent a record longer than RFC 2246 §6.2 allows")
    }

    @Test func versionAndCertificateTypeRefusals() throws {
        let pki = try HandshakePKI.shared.get()
        // An SSL 2.0-format ClientHello offering at most SSL 3.0.
        let body: [UInt8] = [1, 0x03, 0x00, 0, 3, 0, 0, 0, 16, 0x00, 0x00, 0x0A] + [UInt8](repeating: 9, count: 16)
        expect(try F.serverAfter([0x80, UInt8(body.count)] + body, config: pki.serverConfig()).0,
               "the client offers at most SSL 3.0 (client_version 0x0300); we speak TLS 1.0")
        // A CertificateRequest that accepts only ECDSA certificates.
        var client = try TLSConnection(client: pki.clientConfig(verification: .noneInsecure))
        _ = client.takeOutput()
        let hello = ServerHello(serverVersion: 0x0301, random: [UInt8](repeating: 1, count: 32), sessionID: [],
                                cipherSuite: 0x000A, compressionMethod: 0, extensions: HelloExtensions(items: [.extendedMasterSecret]))
        let request = CertificateRequest(certificateTypes: [64], certificateAuthorities: [])
        client.receive(F.record(.handshake, HandshakeMessage.serverHello(hello).encoded()
                                + HandshakeMessage.certificate(CertificateMessage(certificates: [pki.server.derBytes])).encoded()
                                + HandshakeMessage.certificateRequest(request).encoded()))
        do {
            while try client.nextEvent() != nil {}
            Issue.record("an ECDSA-only CertificateRequest was accepted")
        } catch {
            expect(error, "the server's CertificateRequest accepts the certificate types ecdsa_sign (64); our client certificates are RSA")
        }
    }

    @Test func limitsTrustRootsAndIllegalValues() throws {
        let pki = try HandshakePKI.shared.get()
        var small = try pki.clientConfig()
        small.limits.certificateMessageBytes = 100
        var pair = try F.pair(small, pki.serverConfig())
        pair.run()
        expect(pair.clientError, "the peer's Certificate message is \(pki.server.derBytes.count + 6) bytes long, more than 100; we bound certificate lists")

        var noRoots = try pki.clientConfig()
        noRoots.trustRoots = nil
        // TLSConnection refuses such a configuration up front; the check behind it explains too.
        do {
            _ = try PeerAuthentication.authenticate(chain: [pki.server.derBytes], config: noRoots, now: HandshakePKI.now, peerIsServer: true)
            Issue.record("a chain was accepted without trust roots")
        } catch {
            expect(error, "we verify the server's certificate but have no trusted CA certificates to check it against")
        }

        // A CertificateRequest past the limit, then a ServerHello choosing compression we did not offer.
        var limited = try pki.clientConfig(verification: .noneInsecure)
        limited.limits.certificateMessageBytes = 4000
        var client = try TLSConnection(client: limited)
        _ = client.takeOutput()
        let hello = ServerHello(serverVersion: 0x0301, random: [UInt8](repeating: 1, count: 32), sessionID: [],
                                cipherSuite: 0x000A, compressionMethod: 0, extensions: HelloExtensions(items: [.extendedMasterSecret]))
        let request = CertificateRequest(certificateTypes: [1], certificateAuthorities: [[UInt8](repeating: 0x30, count: 5000)])
        client.receive(F.record(.handshake, HandshakeMessage.serverHello(hello).encoded()
                                + HandshakeMessage.certificate(CertificateMessage(certificates: [pki.server.derBytes])).encoded())
                       + F.record(.handshake, HandshakeMessage.certificateRequest(request).encoded()))
        do {
            while try client.nextEvent() != nil {}
            Issue.record("an oversized CertificateRequest was accepted")
        } catch {
            expect(error, "the server's CertificateRequest is 5006 bytes long, more than 4000 (TLSConfiguration.limits.certificateMessageBytes)")
        }
        var other = try TLSConnection(client: pki.clientConfig())
        _ = other.takeOutput()
        var deflate = hello
        deflate.compressionMethod = 1
        other.receive(F.record(.handshake, HandshakeMessage.serverHello(deflate).encoded()))
        do {
            _ = try other.nextEvent()
            Issue.record("an unoffered compression method was accepted")
        } catch {
            #expect(error.alert == .illegalParameter)
            expect(error, "the server sent a value TLS 1.0 forbids there (its last handshake message: ServerHello); RFC 2246 §7.2.2")
        }
    }
}
