import CryptoPrimitives
import TLSRecord
import Testing
import X509
@testable import TLSHandshake

/// Every handshake failure says what the peer offered and which rule refused it, on both
/// sides (README "Handshake failure messages"): each row of that table is checked here.
@Suite struct HandshakeExplanationTests {
    typealias F = HandshakeFailureTests

    @Test func clientBelowTLS10() throws {
        let pki = try HandshakePKI.shared.get()
        let hello = HandshakeMessage.clientHello(F.clientHello(version: 0x0300)).encoded()
        let (error, _) = try F.serverAfter(F.record(.handshake, hello), config: pki.serverConfig())
        #expect(error?.description.contains("the client offers at most SSL 3.0 (client_version 0x0300); we speak TLS 1.0") == true, "\(String(describing: error))")
    }

    @Test func noCommonCipherSuiteOnBothSides() throws {
        let pki = try HandshakePKI.shared.get()
        var pair = try F.pair(pki.clientConfig(suites: [.rsaWithNullSHA]), pki.serverConfig())
        pair.run()
        let enabled = CipherSuite.defaults.map(\.name).joined(separator: ", ")
        #expect(pair.serverError?.description.contains(
            "no common cipher suite: the client offers NULL-SHA; we enable \(enabled)") == true,
            "\(String(describing: pair.serverError))")
        #expect(pair.clientError?.description.contains(
            "the server accepts none of our offer: TLS 1.0 with TLS_RSA_WITH_NULL_SHA") == true,
            "\(String(describing: pair.clientError))")
        // A modern client's offer is named the OpenSSL way.
        let modern = HandshakeMessage.clientHello(F.clientHello(version: 0x0303, suites: [0xC02F, 0x1301, 0x00FF])).encoded()
        let (error, _) = try F.serverAfter(F.record(.handshake, modern), config: pki.serverConfig())
        #expect(error?.description.contains("the client offers ECDHE-RSA-AES128-GCM-SHA256, TLS_AES_128_GCM_SHA256; we enable") == true)
    }

    @Test func serverNotFallingBackToTLS10() throws {
        let pki = try HandshakePKI.shared.get()
        var client = try TLSConnection(client: pki.clientConfig())
        _ = client.takeOutput()
        let hello = ServerHello(serverVersion: 0x0303, random: [UInt8](repeating: 1, count: 32), sessionID: [],
                                cipherSuite: 0x000A, compressionMethod: 0, extensions: HelloExtensions())
        client.receive(F.record(.handshake, HandshakeMessage.serverHello(hello).encoded()))
        do {
            _ = try client.nextEvent()
            Issue.record("a TLS 1.2 ServerHello was accepted")
        } catch {
            #expect(error.description.contains("with TLS 1.2 (server_version 0x0303) instead of falling back to TLS 1.0"), "\(error)")
        }
    }

    @Test func clientRefusingOurTLS10Answer() throws {
        // A TLS 1.3-only client (supported_versions 0x0304) gets our TLS 1.0 ServerHello and
        // answers protocol_version: the server says what the client offered.
        let pki = try HandshakePKI.shared.get()
        let versions = HelloExtension(type: ExtensionType(rawValue: 43), data: [2, 0x03, 0x04])
        let hello = HandshakeMessage.clientHello(F.clientHello(version: 0x0303, extensions: [versions])).encoded()
        let alert = F.record(.alert, [2, AlertDescription.protocolVersion.rawValue])
        let (error, _) = try F.serverAfter(F.record(.handshake, hello) + alert, config: pki.serverConfig())
        let text = error?.description ?? ""
        #expect(error?.isPeerAlert == true)
        #expect(text.contains("the client refuses our TLS 1.0 answer: it offered TLS 1.2 (client_version 0x0303; supported_versions TLS 1.3)"), "\(text)")
    }

    @Test func serverRefusingTLS10() throws {
        let pki = try HandshakePKI.shared.get()
        var client = try TLSConnection(client: pki.clientConfig())
        _ = client.takeOutput()
        client.receive(F.record(.alert, [2, AlertDescription.protocolVersion.rawValue]))
        do {
            _ = try client.nextEvent()
            Issue.record("the alert was not reported")
        } catch {
            #expect(error.description.contains("the server refuses TLS 1.0, the only version we offer"), "\(error)")
        }
    }

    @Test func certificateForAnotherHost() throws {
        let pki = try HandshakePKI.shared.get()
        var pair = EnginePair(client: try TLSConnection(client: pki.clientConfig(), serverName: "10.0.0.5"),
                              server: try TLSConnection(server: pki.serverConfig()))
        pair.run()
        #expect(pair.clientError?.description.contains(
            "the server's certificate is for localhost; we connected to 10.0.0.5 (use --server-name with a name it holds, or --no-hostname-check)") == true,
            "\(String(describing: pair.clientError))")
        #expect(pair.serverError?.description.contains("the client rejected our certificate (bad_certificate)") == true,
                "\(String(describing: pair.serverError))")
    }

    @Test func missingClientCertificateOnBothSides() throws {
        let pki = try HandshakePKI.shared.get()
        var pair = try F.pair(pki.clientConfig(), pki.serverConfig(verification: .requirePeerCertificate))
        pair.run()
        #expect(pair.serverError?.description.contains("the client presented no certificate") == true, "\(String(describing: pair.serverError))")
        #expect(pair.serverError?.description.contains("--verify require") == true)
        #expect(pair.clientError?.description.contains("the server requires a client certificate and we have none to send") == true,
                "\(String(describing: pair.clientError))")
    }

    @Test func peersThatDoNotSpeakTLS() throws {
        let pki = try HandshakePKI.shared.get()
        let associate: [UInt8] = [0x01, 0x00, 0x00, 0x00, 0x00, 0xCE, 0x00, 0x01] + [UInt8](repeating: 0x20, count: 40)
        let (dicom, _) = try F.serverAfter(associate, config: pki.serverConfig())
        #expect(dicom?.description.contains("look like a DICOM A-ASSOCIATE-RQ PDU") == true, "\(String(describing: dicom))")
        let (http, _) = try F.serverAfter(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8), config: pki.serverConfig())
        #expect(http?.description.contains("HTTP") == true, "\(String(describing: http))")
    }
}
