import CryptoPrimitives
import TLSRecord
import Testing
import X509
@testable import TLSHandshake

/// Issue 11 A1–A4, A6, A7: what an RFC audit and a TLS conformance suite found, each decided
/// on the bytes a server or client puts on the wire.
@Suite struct ConformanceHardeningTests {
    typealias F = HandshakeFailureTests

    /// The alert descriptions in a plaintext byte stream.
    static func alertCodes(_ bytes: [UInt8]) -> [UInt8] { F.alerts(bytes).map(\.1) }

    /// A handshake message with any type and body (no check that they fit).
    static func message(_ type: UInt8, _ body: [UInt8]) -> [UInt8] {
        [type, UInt8(body.count >> 16), UInt8((body.count >> 8) & 0xFF), UInt8(body.count & 0xFF)] + body
    }

    /// `bytes` cut into plaintext handshake records of at most 2^14 bytes.
    static func handshakeRecords(_ bytes: [UInt8]) -> [UInt8] {
        stride(from: 0, to: bytes.count, by: 16384).flatMap { F.record(.handshake, Array(bytes[$0..<min($0 + 16384, bytes.count)])) }
    }

    /// A fresh server that has answered a standard ClientHello (asking for a client
    /// certificate when `verification` says so), with its flight taken.
    static func serverAfterHello(verification: CertificateVerification = .noneInsecure, limits: TLSLimits = TLSLimits()) throws -> TLSConnection {
        let pki = try HandshakePKI.shared.get()
        var config = try pki.serverConfig(verification: verification)
        config.limits = limits
        var server = try TLSConnection(server: config)
        server.receive(F.record(.handshake, HandshakeMessage.clientHello(F.clientHello()).encoded()))
        while try server.nextEvent() != nil {}
        _ = server.takeOutput()
        return server
    }

    /// Feeds `bytes` and returns the error and the alert codes sent.
    static func feed(_ server: inout TLSConnection, _ bytes: [UInt8]) -> (TLSError?, [UInt8]) {
        server.receive(bytes)
        do {
            while try server.nextEvent() != nil {}
            return (nil, alertCodes(server.takeOutput()))
        } catch {
            return (error, alertCodes(server.takeOutput()))
        }
    }

    // MARK: A1 — RFC 7507

    /// RFC 7507 §3: a server aborts only when its highest version is above client_version; a
    /// TLS 1.0-only server never sends `inappropriate_fallback` and answers every hello with 1.0
    /// (replaces `fallbackSCSVAboveOurVersionIsInappropriateFallback`, which asserted the opposite).
    @Test(arguments: [UInt16(0x0301), 0x0302, 0x0303])
    func fallbackSCSVNeverRefusedByATLS10OnlyServer(version: UInt16) throws {
        let pki = try HandshakePKI.shared.get()
        let hello = HandshakeMessage.clientHello(F.clientHello(version: version, suites: [0x000A, 0x5600])).encoded()
        let (error, out) = try F.serverAfter(F.record(.handshake, hello), config: pki.serverConfig())
        #expect(error == nil, "\(String(describing: error))")
        #expect(Self.alertCodes(out).isEmpty)
        let first = try #require(GoTranscriptReplayTests.records(out).first)
        #expect(first.0 == 22 && first.1[0] == 2 && first.1[4] == 3 && first.1[5] == 1)  // ServerHello, TLS 1.0
    }

    // MARK: A2 — nothing after close_notify

    /// RFC 2246 §7.2.1: once we sent close_notify, a malformed alert from the peer (level 0)
    /// fails the connection but puts no second alert on the wire.
    @Test func nothingIsSentAfterCloseNotify() throws {
        var server = try Self.serverAfterHello()
        server.close()
        #expect(Self.alertCodes(server.takeOutput()) == [0])
        let (error, sent) = Self.feed(&server, F.record(.alert, [0, 10]))
        #expect(error?.alert == .illegalParameter)
        #expect(sent.isEmpty, "sent after close_notify: \(sent)")
        // Without our close_notify the same alert is answered with illegal_parameter.
        var open = try Self.serverAfterHello()
        #expect(Self.feed(&open, F.record(.alert, [0, 10])).1 == [AlertDescription.illegalParameter.rawValue])
    }

    // MARK: A3 — type before body

    /// A first message of any type but ClientHello is `unexpected_message`, whatever its body
    /// (here one that would not even decode).
    @Test(arguments: [UInt8(0), 2, 11, 13, 14, 15, 16, 20, 12, 99, 255])
    func firstMessageOfAnotherTypeIsUnexpected(type: UInt8) throws {
        let pki = try HandshakePKI.shared.get()
        let (error, out) = try F.serverAfter(F.record(.handshake, Self.message(type, [0xFF, 0xFF, 0xFF])), config: pki.serverConfig())
        #expect(error?.alert == .unexpectedMessage, "type \(type): \(String(describing: error))")
        #expect(Self.alertCodes(out) == [AlertDescription.unexpectedMessage.rawValue])
    }

    /// A Finished (with a malformed body) where ClientKeyExchange is due: `unexpected_message`;
    /// a malformed ClientKeyExchange there is `decode_error`.
    @Test func messageOfTheWrongTypeMidHandshakeIsUnexpected() throws {
        var server = try Self.serverAfterHello()
        #expect(Self.feed(&server, F.record(.handshake, Self.message(20, [1, 2, 3]))).1 == [AlertDescription.unexpectedMessage.rawValue])
        var other = try Self.serverAfterHello()
        #expect(Self.feed(&other, F.record(.handshake, Self.message(16, [0, 9, 1]))).1 == [AlertDescription.decodeError.rawValue])
    }

    /// The client side: a Certificate (with garbage inside) where ServerHello is due.
    @Test func clientDecidesOnTheTypeToo() throws {
        let pki = try HandshakePKI.shared.get()
        var client = try TLSConnection(client: pki.clientConfig())
        _ = client.takeOutput()
        let (error, sent) = Self.feed(&client, F.record(.handshake, Self.message(11, [0, 0, 9, 1])))
        #expect(error?.alert == .unexpectedMessage && sent == [AlertDescription.unexpectedMessage.rawValue])
    }

    /// After close_notify a server that would rekey (Sweet32) sends no HelloRequest either.
    @Test func noRekeyingAfterCloseNotify() throws {
        let pki = try HandshakePKI.shared.get()
        var server = try pki.serverConfig()
        server.keyUsageLimit = 8192  // rekey from 4096 bytes, fail from 8192
        var pair = try F.pair(pki.clientConfig(), server)
        pair.run()
        pair.server.close()
        _ = pair.server.takeOutput()
        try pair.client.send([UInt8](repeating: 1, count: 5000))
        let (error, _) = Self.feed(&pair.server, pair.client.takeOutput())
        #expect(error == nil)
        #expect(pair.server.takeOutput().isEmpty)
    }

    // MARK: A4 — limits per message type

    /// The largest well-formed ClientHello (131,396 bytes of body) is accepted.
    @Test func largestWellFormedClientHelloIsAccepted() throws {
        let pki = try HandshakePKI.shared.get()
        let suites = [UInt16(0x000A)] + (1...32_766).map { UInt16(0x1000 + $0) }
        let filler = HelloExtension(type: ExtensionType(rawValue: 0x7A7A), data: [UInt8](repeating: 0x55, count: 65_531))
        let hello = ClientHello(
            clientVersion: 0x0301, random: [UInt8](repeating: 7, count: 32), sessionID: [UInt8](repeating: 9, count: 32),
            cipherSuites: suites, compressionMethods: [0] + (1...254).map { UInt8($0) }, extensions: HelloExtensions(items: [filler]))
        let bytes = HandshakeMessage.clientHello(hello).encoded()
        #expect(bytes.count == 4 + TLSLimits.clientHelloBytes)
        let (error, out) = try F.serverAfter(Self.handshakeRecords(bytes), config: pki.serverConfig())
        #expect(error == nil, "\(String(describing: error))")
        #expect(GoTranscriptReplayTests.records(out).first?.1.first == 2)  // ServerHello
    }

    /// Oversized messages are refused from the 4-byte header alone, before any body arrives.
    @Test func oversizedMessagesAreRefusedOnTheHeader() throws {
        let pki = try HandshakePKI.shared.get()
        let header = { (type: UInt8, n: Int) in [type, UInt8(n >> 16), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)] }
        let (error, out) = try F.serverAfter(F.record(.handshake, header(1, TLSLimits.clientHelloBytes + 1)), config: pki.serverConfig())
        #expect(error?.alert == .decodeError && Self.alertCodes(out) == [AlertDescription.decodeError.rawValue])
        // Fixed-size messages: exactly their size.
        var s1 = try Self.serverAfterHello()
        #expect(Self.feed(&s1, F.record(.handshake, header(16, 5000))).1 == [AlertDescription.decodeError.rawValue])
        // Certificate: the configured byte limit, on the header.
        var limits = TLSLimits()
        limits.certificateMessageBytes = 4096
        var s2 = try Self.serverAfterHello(verification: .peer, limits: limits)
        let (e2, a2) = Self.feed(&s2, F.record(.handshake, header(11, 4097)))
        #expect(e2?.alert == .badCertificate && a2 == [AlertDescription.badCertificate.rawValue])
        #expect(e2?.message.contains("4097") == true)
    }

    /// More certificates than the maximum (default 10) are refused before any is parsed:
    /// eleven entries of garbage get "more than 10", ten get a parse failure.
    @Test func certificateCountIsCheckedBeforeParsing() throws {
        func certificateMessage(_ n: Int) -> [UInt8] {
            HandshakeMessage.certificate(CertificateMessage(certificates: Array(repeating: [0x30, 0x00], count: n))).encoded()
        }
        var eleven = try Self.serverAfterHello(verification: .peer)
        let (e11, a11) = Self.feed(&eleven, F.record(.handshake, certificateMessage(11)))
        #expect(a11 == [AlertDescription.badCertificate.rawValue])
        #expect(e11?.message.contains("more than 10 certificates") == true, "\(String(describing: e11))")
        var ten = try Self.serverAfterHello(verification: .peer)
        let (e10, _) = Self.feed(&ten, F.record(.handshake, certificateMessage(10)))
        #expect(e10?.message.contains("does not parse") == true, "\(String(describing: e10))")
        // The maximum is configurable.
        var limits = TLSLimits()
        limits.certificateCount = 2
        var three = try Self.serverAfterHello(verification: .peer, limits: limits)
        #expect(Self.feed(&three, F.record(.handshake, certificateMessage(3))).0?.message.contains("more than 2") == true)
    }

    // MARK: A6 — records that make no progress (F7)

    /// The 5th warning alert in a row is `unexpected_message`; data in between resets the count.
    @Test func fifthWarningAlertInARowIsUnexpected() throws {
        let pki = try HandshakePKI.shared.get()
        var server = try TLSConnection(server: pki.serverConfig())
        let warning = F.record(.alert, [1, 90])  // user_canceled
        for _ in 0..<4 { #expect(Self.feed(&server, warning).0 == nil) }
        let (error, sent) = Self.feed(&server, warning)
        #expect(error?.alert == .unexpectedMessage && sent == [AlertDescription.unexpectedMessage.rawValue])

        var pair = try F.pair(pki.clientConfig(), pki.serverConfig())
        pair.run()
        for round in 0..<3 {
            for _ in 0..<4 { try pair.client.sendRecordForTesting(.alert, [1, 90]) }
            try pair.client.send(Array("round \(round)".utf8))
            pair.run()
        }
        #expect(pair.serverError == nil, "\(String(describing: pair.serverError))")
    }

    /// 32 empty records in a row pass (OpenSSL sends one before each CBC write); the 33rd is
    /// `unexpected_message`.
    @Test func thirtyThirdEmptyRecordInARowIsUnexpected() throws {
        let pki = try HandshakePKI.shared.get()
        var pair = try F.pair(pki.clientConfig(), pki.serverConfig())
        pair.run()
        for _ in 0..<32 { try pair.client.sendRecordForTesting(.applicationData, []) }
        try pair.client.send([1])
        for _ in 0..<32 { try pair.client.sendRecordForTesting(.applicationData, []) }
        pair.run()
        #expect(pair.serverError == nil)
        try pair.client.sendRecordForTesting(.applicationData, [])
        pair.run()
        F.expectAlert(pair, sentBy: .server, .unexpectedMessage)
    }

    // MARK: A7 — interleaving

    /// RFC 2246 §6.2.1: application data between the records of a fragmented renegotiation
    /// flight is delivered.
    @Test func applicationDataBetweenFragmentsOfARenegotiationIsDelivered() throws {
        let pki = try HandshakePKI.shared.get()
        var pair = try F.pair(pki.clientConfig(), pki.serverConfig())
        pair.run()
        pair.server.interleavedApplicationDataForTesting = Array("between".utf8)
        try pair.server.renegotiate()
        pair.run()
        #expect(pair.clientError == nil && pair.serverError == nil, "\(String(describing: pair.clientError))")
        #expect(EnginePair.data(pair.clientEvents) == Array("between".utf8))
        #expect(EnginePair.infos(pair.clientEvents).count == 2)
    }
}
