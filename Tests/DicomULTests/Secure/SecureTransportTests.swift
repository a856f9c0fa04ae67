import Foundation
import Testing
import TLSHandshake
import X509
@testable import DicomUL

/// DICOM over TLS (PS3.15 Annex B) between our own requestor and acceptor over real loopback
/// sockets: 3DES with mutual authentication and an encrypted server key, the secure-link-ready
/// callback before association, session resumption, and the failures each side must explain.
@Suite(.serialized, .timeLimit(.minutes(5))) struct SecureTransportTests {
    static let tripleDES: [CipherSuite] = [.rsaWith3DESEDECBCSHA]

    /// Starts our SCP over TLS on a free loopback port; `events` gets log lines and links.
    static func startServer(
        _ tls: TLSConfiguration, events: EventLog, artim: Double = 5, aeTitle: String = "SECURESCP"
    ) throws -> (DicomServer, String) {
        let out = try PeerProcess.temporaryFolder("tls-scp")
        let options = SecureTransportOptions(onSecureLinkReady: { link in events.append("server link: \(link.summary)") })
        let server = try DicomServer(try DicomServerConfiguration(
            port: 0, outputDirectory: out, aeTitle: aeTitle, host: "127.0.0.1", timeouts: DicomTimeouts(artim: artim, reply: 10),
            security: .tls(tls, options), log: { events.append($0) }))
        server.start()
        return (server, out)
    }

    static func client(port: UInt16, _ tls: TLSConfiguration, events: EventLog, called: String = "SECURESCP", cache: TLSSessionCache? = nil)
        throws -> DicomClient
    {
        let options = SecureTransportOptions(onSecureLinkReady: { link in events.append("client link: \(link.summary)") }, sessionCache: cache)
        return DicomClient(try DicomClientConfiguration(
            host: "127.0.0.1", port: port, calledAETitle: called, timeouts: DicomTimeouts(connect: 5, artim: 5, reply: 10),
            security: .tls(tls, options)))
    }

    @Test func defaultPortIsTheRegisteredDicomTLSPort() {
        #expect(DicomSecurity.defaultTLSPort == 2762)
        #expect(!DicomSecurity.none.isTLS)
    }

    /// 3DES, client certificate required, encrypted server key: echo and store, data sets
    /// stored byte for byte; both links report the suite, algorithms and peer before the
    /// association is accepted.
    @Test func tripleDESMutualAuthenticationWithEncryptedKey() throws {
        let pki = try DicomTestPKI.get()
        let calls = PasswordCounter()
        let serverTLS = try pki.server(suites: Self.tripleDES, encryptedKey: true, passwordCalls: calls)
        #expect(calls.count >= 1, "the password callback runs for the encrypted key")
        let plainCalls = PasswordCounter()
        _ = try pki.server(suites: Self.tripleDES, passwordCalls: plainCalls)
        #expect(plainCalls.count == 0, "the password callback never runs for an unencrypted key")

        let events = EventLog()
        let (server, out) = try Self.startServer(serverTLS, events: events)
        defer { server.stop() }
        let client = try Self.client(port: server.port, pki.client(suites: Self.tripleDES), events: events)
        #expect(try client.echo() == .success)

        let src = try PeerProcess.temporaryFolder("tls-src")
        let files = try PeerProcess.writeObjects(3, rows: 300, columns: 300, in: src)
        let summary = try client.store(files: files.map(\.path))
        #expect(summary.failures.isEmpty, "\(summary.failures.map(\.error.description))")
        for f in files {
            #expect(try PeerProcess.dataSet(of: out + "/" + f.object.sopInstanceUID + ".dcm") == f.object.dataSet)
        }
        #expect(events.wait(for: "association released"))
        let lines = events.all
        let serverLink = try #require(lines.first { $0.hasPrefix("server link:") })
        let clientLink = try #require(lines.first { $0.hasPrefix("client link:") })
        for link in [serverLink, clientLink] {
            #expect(link.contains("TLS_RSA_WITH_3DES_EDE_CBC_SHA"))
            #expect(link.contains("encryption 3DES-EDE-CBC"))
            #expect(link.contains("integrity HMAC-SHA1"))
        }
        #expect(serverLink.contains("CN=Interop Test Client"), "the server sees the client's certificate")
        #expect(clientLink.contains("CN=localhost"), "the client sees the server's certificate")
        // Causality: both links were ready before the acceptor saw the A-ASSOCIATE-RQ.
        let accepted = try #require(events.index(of: "association accepted"))
        #expect(try #require(events.index(of: "server link:")) < accepted)
        #expect(try #require(events.index(of: "client link:")) < accepted)
        #expect(server.statistics.stored == 3)
    }

    /// The requestor resumes its TLS session on later associations when it has a cache.
    @Test func requestorResumesSessionsFromItsCache() throws {
        let pki = try DicomTestPKI.get()
        let events = EventLog()
        let (server, _) = try Self.startServer(pki.server(suites: Self.tripleDES), events: events)
        defer { server.stop() }
        let links = EventLog()
        let cache = TLSSessionCache()
        let options = SecureTransportOptions(onSecureLinkReady: { links.append($0.isResumed ? "resumed" : "full") }, sessionCache: cache)
        let client = DicomClient(try DicomClientConfiguration(
            host: "127.0.0.1", port: server.port, calledAETitle: "SECURESCP", security: .tls(pki.client(suites: Self.tripleDES), options)))
        for _ in 0..<3 { #expect(try client.echo() == .success) }
        #expect(links.all == ["full", "resumed", "resumed"])
        #expect(cache.count == 1)
        // Without a cache every association runs a full handshake.
        let fresh = EventLog()
        let noCache = DicomClient(try DicomClientConfiguration(
            host: "127.0.0.1", port: server.port, calledAETitle: "SECURESCP",
            security: .tls(pki.client(suites: Self.tripleDES), SecureTransportOptions(onSecureLinkReady: { fresh.append($0.isResumed ? "resumed" : "full") }))))
        for _ in 0..<2 { #expect(try noCache.echo() == .success) }
        #expect(fresh.all == ["full", "full"])
    }

    /// A live association reports its TLS link; over plain TCP there is none.
    @Test func associationReportsItsSecureLink() throws {
        let pki = try DicomTestPKI.get()
        let events = EventLog()
        let (server, _) = try Self.startServer(pki.server(suites: [.rsaWithNullSHA]), events: events)
        defer { server.stop() }
        let client = try Self.client(port: server.port, pki.client(suites: [.rsaWithNullSHA]), events: events)
        let association = try client.associate(proposing: [
            PresentationContextProposal(id: 1, abstractSyntax: DicomUID.verification, transferSyntaxes: [DicomUID.implicitVRLittleEndian]),
        ])
        let link = try #require(association.secureLink)
        #expect(link.cipherSuite == "TLS_RSA_WITH_NULL_SHA")
        #expect(link.encryptionAlgorithm == "NULL")
        #expect(link.integrityAlgorithm == "HMAC-SHA1")
        #expect(link.peerCertificate.map { "\($0.subject)" }?.contains("CN=localhost") ?? false)
        try association.release()
    }

    /// Several requestors at once, sharing one session cache: every object arrives intact.
    @Test func concurrentSecureAssociations() throws {
        let pki = try DicomTestPKI.get()
        let events = EventLog()
        let (server, out) = try Self.startServer(pki.server(suites: Self.tripleDES), events: events)
        defer { server.stop() }
        let src = try PeerProcess.temporaryFolder("tls-concurrent-src")
        let files = try PeerProcess.writeObjects(6, rows: 128, columns: 128, in: src)
        let cache = TLSSessionCache()
        let client = try Self.client(port: server.port, pki.client(suites: Self.tripleDES), events: events, cache: cache)
        let failures = EventLog()
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            do {
                let summary = try client.store(files: [files[i].path])
                if !summary.failures.isEmpty { failures.append("\(summary.failures.map(\.error.description))") }
            } catch {
                failures.append("\(error)")
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all)")
        for f in files {
            #expect(try PeerProcess.dataSet(of: out + "/" + f.object.sopInstanceUID + ".dcm") == f.object.dataSet)
        }
        #expect(server.statistics.stored == files.count)
        #expect(cache.count == 1)
    }

    /// A client certificate from an unknown CA: refused with a clear reason on both sides.
    @Test func untrustedClientCertificateIsRefused() throws {
        let pki = try DicomTestPKI.get()
        let events = EventLog()
        let (server, _) = try Self.startServer(pki.server(suites: Self.tripleDES), events: events)
        defer { server.stop() }
        let client = try Self.client(
            port: server.port, pki.client(suites: Self.tripleDES, cert: pki.untrustedCert, key: pki.untrustedKey), events: events)
        let t0 = Date()
        let error = try #require(throws: DicomError.self) { try client.echo() }
        #expect(error.code == .tls)
        #expect(error.message.contains("TLS handshake with 127.0.0.1:\(server.port) failed"), "\(error)")
        #expect(error.message.contains("alert"), "\(error)")
        #expect(Date().timeIntervalSince(t0) < 5)
        #expect(events.wait(for: "TLS handshake from"), "\(events.all)")
        #expect(events.all.contains { $0.contains("TLS handshake from") && $0.contains("certificate") }, "\(events.all)")
        #expect(server.statistics.associations == 0)
        // No certificate at all, while one is required.
        let bare = try Self.client(port: server.port, pki.client(suites: Self.tripleDES, withCertificate: false), events: events)
        let refused = try #require(throws: DicomError.self) { try bare.echo() }
        #expect(refused.code == .tls && refused.message.contains("handshake_failure"), "\(refused)")
    }

    /// A wrong called AE title over TLS: the handshake succeeds, the association is rejected.
    @Test func wrongCalledAETitleOverTLSIsRejected() throws {
        let pki = try DicomTestPKI.get()
        let events = EventLog()
        let (server, _) = try Self.startServer(pki.server(suites: Self.tripleDES), events: events)
        defer { server.stop() }
        let client = try Self.client(port: server.port, pki.client(suites: Self.tripleDES), events: events, called: "WRONGAE")
        let error = try #require(throws: DicomError.self) { try client.echo() }
        #expect(error.code == .associationRejected)
        #expect(error.message.contains("called-AE-title-not-recognized"), "\(error)")
        #expect(events.index(of: "client link:") != nil, "the TLS link itself was established")
    }

    /// Our TLS requestor on our plain port: "the peer answered with a DICOM PDU", at once.
    @Test func tlsClientOnPlainPort() throws {
        let pki = try DicomTestPKI.get()
        let out = try PeerProcess.temporaryFolder("plain-scp")
        let events = EventLog()
        let server = try DicomServer(try DicomServerConfiguration(
            port: 0, outputDirectory: out, aeTitle: "SECURESCP", host: "127.0.0.1", timeouts: DicomTimeouts(artim: 5), log: { events.append($0) }))
        server.start()
        defer { server.stop() }
        let client = try Self.client(port: server.port, pki.client(suites: Self.tripleDES), events: events)
        let t0 = Date()
        let error = try #require(throws: DicomError.self) { try client.echo() }
        #expect(error.code == .protocolMismatch, "\(error)")
        #expect(error.message.contains("the peer answered with a DICOM PDU: is it a plain, non-TLS port?"), "\(error)")
        #expect(error.message.contains("A-ABORT"), "\(error)")
        #expect(Date().timeIntervalSince(t0) < 5)
        #expect(events.wait(for: "peer is speaking TLS on a plain DICOM port"), "\(events.all)")
    }

    /// A plain requestor on our TLS port: our acceptor names the problem and answers with a
    /// TLS alert, which the plain requestor recognises; nobody hangs.
    @Test func plainClientOnTLSPort() throws {
        let pki = try DicomTestPKI.get()
        let events = EventLog()
        let (server, _) = try Self.startServer(pki.server(suites: Self.tripleDES), events: events)
        defer { server.stop() }
        let plain = DicomClient(try DicomClientConfiguration(
            host: "127.0.0.1", port: server.port, calledAETitle: "SECURESCP", timeouts: DicomTimeouts(connect: 5, artim: 5, reply: 5)))
        let t0 = Date()
        let error = try #require(throws: DicomError.self) { try plain.echo() }
        #expect(error.code == .protocolMismatch, "\(error)")
        #expect(Date().timeIntervalSince(t0) < 5)
        #expect(events.wait(for: "sent a plain DICOM PDU (A-ASSOCIATE-RQ) on a TLS port"), "\(events.all)")
    }

    /// A client that connects and never sends a ClientHello is dropped when ARTIM expires,
    /// and meanwhile other TLS associations proceed (one thread per connection).
    @Test func silentClientNeitherBlocksOthersNorLingers() throws {
        let pki = try DicomTestPKI.get()
        let events = EventLog()
        let (server, _) = try Self.startServer(pki.server(suites: Self.tripleDES), events: events, artim: 1.5)
        defer { server.stop() }
        let idle = try TCPTransport.connect(host: "127.0.0.1", port: server.port, timeout: 5)
        defer { idle.close() }
        let client = try Self.client(port: server.port, pki.client(suites: Self.tripleDES), events: events)
        let t0 = Date()
        #expect(try client.echo() == .success)
        #expect(Date().timeIntervalSince(t0) < 1.5, "the echo did not wait for the silent client")
        #expect(events.wait(for: "did not finish within", timeout: 5), "\(events.all)")
        #expect(try idle.read(upTo: 16, timeout: 3).isEmpty, "the silent connection was closed")
    }

    /// The acceptor's TLS configuration must be a server one and the requestor's a client one.
    @Test func rolesAreChecked() throws {
        let pki = try DicomTestPKI.get()
        let client = DicomClient(try DicomClientConfiguration(
            host: "127.0.0.1", port: 9, security: .tls(try pki.server(suites: Self.tripleDES))))
        let error = try #require(throws: DicomError.self) { try client.echo() }
        #expect(error.code == .invalidConfiguration)
    }
}
