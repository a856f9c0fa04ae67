import CryptoPrimitives
import TLSRecord
import Testing
import X509
@testable import TLSHandshake

/// Issue 11 A8 (SNI on the server, RFC 6066 §3) and A9 (ALPN, RFC 7301), engines in memory.
@Suite struct ExtensionNegotiationTests {
    typealias F = HandshakeFailureTests

    /// A second server identity, "pacs.example", issued by the test root (the client key
    /// serves as its key: only the chain differs).
    static func pacsIdentity() throws -> CertifiedKey {
        let pki = try HandshakePKI.shared.get()
        let cert = try CertificateBuilder.tlsServer(
            subject: HandshakePKI.name("pacs.example"), publicKey: pki.clientKey.publicKey, serialNumber: [9],
            validity: Validity(notBefore: HandshakePKI.time(2020), notAfter: HandshakePKI.time(2040)), dnsNames: ["pacs.example"]
        ).signed(by: pki.root, key: pki.rootKey)
        return CertifiedKey(certificateChain: [cert], privateKey: pki.clientKey)
    }

    static func sni(_ entries: [(UInt8, [UInt8])]) -> HelloExtension {
        var list: [UInt8] = []
        for (type, name) in entries { list.append(type); list.appendVector16(name) }
        var d: [UInt8] = []
        d.appendVector16(list)
        return HelloExtension(type: .serverName, data: d)
    }

    static func serverError(_ extensions: [HelloExtension], config: TLSConfiguration) throws -> (TLSError?, [UInt8]) {
        let hello = HandshakeMessage.clientHello(F.clientHello(extensions: extensions)).encoded()
        let (error, out) = try F.serverAfter(F.record(.handshake, hello), config: config)
        return (error, F.alerts(out).map(\.1))
    }

    // MARK: A8 — SNI

    /// An empty server_name_list is `decode_error`; two host_name entries, or a host name that
    /// is not printable ASCII, `illegal_parameter`.
    @Test func malformedServerNameIsRefused() throws {
        let config = try HandshakePKI.shared.get().serverConfig()
        #expect(try Self.serverError([HelloExtension(type: .serverName, data: [0, 0])], config: config).1 == [AlertDescription.decodeError.rawValue])
        let two = Self.sni([(0, Array("a.example".utf8)), (0, Array("b.example".utf8))])
        #expect(try Self.serverError([two], config: config).1 == [AlertDescription.illegalParameter.rawValue])
        let control = Self.sni([(0, Array("evil\nhost".utf8))])
        #expect(try Self.serverError([control], config: config).1 == [AlertDescription.illegalParameter.rawValue])
        // One host_name beside another name type is fine.
        let mixed = Self.sni([(0, Array("localhost".utf8)), (7, [1, 2])])
        #expect(try Self.serverError([mixed], config: config).0 == nil)
    }

    /// The chain whose certificate names the SNI host is presented (checked by the client's
    /// own host-name check); an unknown or absent name gets the first chain. Both sides report
    /// the name.
    @Test(arguments: [("pacs.example", "pacs.example"), ("localhost", "localhost"), ("other.example", "localhost"), ("", "localhost")])
    func certificateIsChosenByServerName(asked: String, presented: String) throws {
        let pki = try HandshakePKI.shared.get()
        var server = try pki.serverConfig()
        server.additionalIdentities = [try Self.pacsIdentity()]
        try server.validate()
        let verification: CertificateVerification = asked == presented ? .peer : .noneInsecure
        var pair = EnginePair(
            client: try TLSConnection(client: pki.clientConfig(verification: verification), serverName: asked.isEmpty ? nil : asked),
            server: try TLSConnection(server: server))
        pair.run()
        #expect(pair.clientError == nil && pair.serverError == nil, "\(String(describing: pair.clientError)) \(String(describing: pair.serverError))")
        let info = try #require(EnginePair.infos(pair.clientEvents).first)
        #expect(info.peerCertificates.first?.matches(host: presented) == true)
        #expect(info.peerCertificates.first?.matches(host: "pacs.example") == (presented == "pacs.example"))
        #expect(EnginePair.infos(pair.serverEvents).first?.serverName == (asked.isEmpty ? nil : asked))
        try pair.client.send([1, 2, 3])  // the key exchange used the chosen chain's key
        pair.run()
        #expect(EnginePair.data(pair.serverEvents) == [1, 2, 3])
    }

    /// RFC 6066 §3: a session made for one server name is not resumed under another.
    @Test func sessionIsResumedOnlyUnderItsServerName() throws {
        let pki = try HandshakePKI.shared.get()
        var server = try pki.serverConfig(store: LRUSessionStore())
        server.additionalIdentities = [try Self.pacsIdentity()]
        let client = try pki.clientConfig(verification: .noneInsecure)
        var first = EnginePair(client: try TLSConnection(client: client, serverName: "pacs.example"), server: try TLSConnection(server: server))
        first.run()
        for (name, resumed) in [("localhost", false), ("pacs.example", true)] {
            var again = EnginePair(
                client: try TLSConnection(client: client, serverName: name, resuming: first.client.session), server: try TLSConnection(server: server))
            again.run()
            #expect(again.serverError == nil && EnginePair.infos(again.serverEvents).first?.isResumed == resumed, "\(name)")
        }
    }

    /// An additional identity whose key does not match its certificate is a configuration error.
    @Test func additionalIdentityKeyMustMatch() throws {
        let pki = try HandshakePKI.shared.get()
        var server = try pki.serverConfig()
        var wrong = try Self.pacsIdentity()
        wrong.privateKey = pki.serverKey
        server.additionalIdentities = [wrong]
        #expect(throws: TLSError.self) { try server.validate() }
    }

    // MARK: A9 — ALPN

    static func alpnPair(client: [String], server: [String]) throws -> EnginePair {
        let pki = try HandshakePKI.shared.get()
        var c = try pki.clientConfig()
        c.applicationProtocols = client
        var s = try pki.serverConfig()
        s.applicationProtocols = server
        var pair = try F.pair(c, s)
        pair.run()
        return pair
    }

    /// The server picks the first of its own protocols that the client offers; both report it.
    @Test(arguments: [
        (["http/1.1", "dicom"], ["dicom"], "dicom"), (["http/1.1", "h2"], ["h2", "http/1.1"], "h2"),
        (["dicom"], [], nil), ([], ["dicom"], nil),
    ] as [([String], [String], String?)])
    func serverPicksItsFirstProtocolTheClientOffers(client: [String], server: [String], agreed: String?) throws {
        let pair = try Self.alpnPair(client: client, server: server)
        #expect(pair.clientError == nil && pair.serverError == nil)
        #expect(EnginePair.infos(pair.clientEvents).first?.applicationProtocol == agreed)
        #expect(EnginePair.infos(pair.serverEvents).first?.applicationProtocol == agreed)
    }

    /// No overlap: the server answers `no_application_protocol` (120).
    @Test func noOverlapIsNoApplicationProtocol() throws {
        let pair = try Self.alpnPair(client: ["http/1.1"], server: ["dicom"])
        F.expectAlert(pair, sentBy: .server, .noApplicationProtocol)
        #expect(AlertDescription.noApplicationProtocol.rawValue == 120)
    }

    /// A malformed list is `decode_error`; a server reply naming a protocol we did not offer,
    /// or two, is `illegal_parameter`.
    @Test func malformedALPNIsRefused() throws {
        let pki = try HandshakePKI.shared.get()
        var server = try pki.serverConfig()
        server.applicationProtocols = ["dicom"]
        let empty = HelloExtension(type: .applicationLayerProtocolNegotiation, data: [0, 0])
        #expect(try Self.serverError([empty], config: server).1 == [AlertDescription.decodeError.rawValue])
        let emptyName = HelloExtension(type: .applicationLayerProtocolNegotiation, data: [0, 1, 0])
        #expect(try Self.serverError([emptyName], config: server).1 == [AlertDescription.decodeError.rawValue])
        for reply in [["h2"], ["dicom", "dicom"]] {
            var config = try pki.clientConfig()
            config.applicationProtocols = ["dicom"]
            var client = try TLSConnection(client: config)
            _ = client.takeOutput()
            let hello = ServerHello(serverVersion: 0x0301, random: [UInt8](repeating: 1, count: 32), sessionID: [], cipherSuite: 0x000A,
                                    compressionMethod: 0, extensions: HelloExtensions(items: [.applicationProtocols(reply)]))
            client.receive(F.record(.handshake, HandshakeMessage.serverHello(hello).encoded()))
            #expect(throws: TLSError.self) { _ = try client.nextEvent() }
            #expect(F.alerts(client.takeOutput()).map(\.1) == [AlertDescription.illegalParameter.rawValue], "\(reply)")
        }
    }

    /// A resumed handshake negotiates ALPN again (RFC 7301 §3.1).
    @Test func resumedHandshakeReportsTheProtocol() throws {
        let pki = try HandshakePKI.shared.get()
        let store = LRUSessionStore()
        var c = try pki.clientConfig()
        c.applicationProtocols = ["dicom"]
        var s = try pki.serverConfig(store: store)
        s.applicationProtocols = ["dicom"]
        var first = try F.pair(c, s)
        first.run()
        #expect(first.client.session != nil)
        var resumed = try F.pair(c, s, resuming: first.client.session)
        resumed.run()
        let info = try #require(EnginePair.infos(resumed.serverEvents).first)
        #expect(info.isResumed && info.applicationProtocol == "dicom")
        #expect(EnginePair.infos(resumed.clientEvents).first?.applicationProtocol == "dicom")
    }
}
