import CryptoPrimitives
import DicomUL
import Foundation
import Synchronization
import TLSHandshake
import TLSRecord
import X509

/// The demo's story, step by step: PKI, a TLS storage SCP, then as SCU a C-ECHO and a
/// C-STORE on one association and a C-ECHO on a second association that resumes the TLS
/// session. Every step is checked on the console; nothing but 127.0.0.1 is used.
struct DemoScenario {
    /// The suite both sides are limited to.
    var suite: CipherSuite
    /// Whether the SCU presents a certificate (and so whether the SCP requires one).
    var clientCertificate: Bool
    /// Rows and columns of the generated image.
    var imageSize: Int
    /// Where the PKI, the sent object and the received files go.
    var folder: String
    /// Whether ``folder`` is kept (the PKI is then written there too).
    var keep: Bool
    let console = DemoConsole()

    /// Runs every step; returns the failed checks (empty when the demo succeeded).
    func run() -> [String] {
        console.line("dicomtls demo: DICOM C-ECHO and C-STORE over TLS 1.0, everything on 127.0.0.1")
        do {
            try steps()
        } catch {
            console.fail("stopped: \(CommandLineTool.explain(error))")
        }
        return console.failed
    }

    private func steps() throws {
        let pki = try issuePKI()
        let received = folder + "/received"
        try FileManager.default.createDirectory(atPath: received, withIntermediateDirectories: true)
        let server = try startSCP(pki, output: received)
        defer { server.stop() }
        let client = try makeSCU(pki, port: server.port)
        try firstAssociation(client, received: received)
        try secondAssociation(client)
        console.heading("Summary")
        console.detail("total time \(demoDuration(console.elapsed))")
    }

    // MARK: Step 1: PKI

    private func issuePKI() throws -> DemoPKI {
        console.heading("1. A throwaway PKI, issued with our X509 code (RSA-2048, sha256WithRSAEncryption)")
        let t0 = console.elapsed
        let pki = try DemoPKI.issue(random: SystemRandom())
        console.detail("CA      \(pki.ca.subject)")
        console.detail("server  \(pki.server.subject)  (issuer: the CA, subjectAltName IP:127.0.0.1)")
        console.detail("client  \(pki.client.subject)  (issuer: the CA; key stored only encrypted, PKCS#8 PBES2 AES-256-CBC)")
        console.detail("issued in \(demoDuration(console.elapsed - t0))")
        if keep {
            let files = try pki.write(to: folder)
            console.detail("PEM files kept in \(folder): " + files.map { ($0 as NSString).lastPathComponent }.joined(separator: ", "))
        }
        return pki
    }

    // MARK: Step 2: the SCP

    private func startSCP(_ pki: DemoPKI, output: String) throws -> DicomServer {
        console.heading("2. Storage SCP \"DEMOSCP\" over TLS")
        let tls = try TLSConfiguration.server(
            certificateChain: [pki.server], privateKey: pki.serverKey, trustRoots: TrustStore([pki.ca]),
            verification: clientCertificate ? .requirePeerCertificate : .peer, cipherSuites: [suite])
        let console = self.console
        let options = SecureTransportOptions(onSecureLinkReady: { link in
            let peer = link.peerCertificate.map { "client certificate \"\($0.subject)\" verified" } ?? "no client certificate"
            console.event("SCP", "secure link ready: \(link.cipherSuite)\(link.isResumed ? " (resumed)" : ""), \(peer)")
        })
        var config = try DicomServerConfiguration(
            port: 0, outputDirectory: output, aeTitle: "DEMOSCP", host: "127.0.0.1", security: .tls(tls, options))
        config.timeouts = DicomTimeouts()
        let server = try DicomServer(config)
        server.start()
        console.detail("listening on 127.0.0.1:\(server.port) (a free loopback port)")
        console.detail("suites enabled: \(suite.name)")
        console.detail(clientCertificate
            ? "mutual authentication: a client certificate issued by the demo CA is required"
            : "mutual authentication off (--no-client-cert): clients without a certificate are accepted")
        return server
    }

    // MARK: The SCU

    private func makeSCU(_ pki: DemoPKI, port: UInt16) throws -> DicomClient {
        var chain: [Certificate] = []
        var key: RSAPrivateKey?
        let calls = Atomic<Int>(0)
        if clientCertificate {
            let password = pki.clientKeyPassword
            // The customer's SSLPrivateKeyPasswordEvent: called only because the key is encrypted.
            key = try TLSConfiguration.privateKey(pem: pki.encryptedClientKeyPEM, password: {
                calls.add(1, ordering: .relaxed)
                return password
            }, source: "the demo client key")
            chain = [pki.client]
        }
        let tls = try TLSConfiguration.client(
            certificateChain: chain, privateKey: key, trustRoots: TrustStore([pki.ca]), verification: .peer,
            verifyDepth: 2, cipherSuites: [suite])
        if clientCertificate {
            console.check(calls.load(ordering: .relaxed) == 1, "the password callback was asked once and the encrypted client key decrypted")
        }
        let console = self.console
        let options = SecureTransportOptions(
            onSecureLinkReady: { link in
                console.event("SCU", "secure link ready with \(link.peer)")
                console.detail("              protocol \(link.session.version), suite \(link.cipherSuite)")
                console.detail("              encryption \(link.encryptionAlgorithm), integrity \(link.integrityAlgorithm), resumed: \(link.isResumed ? "yes" : "no")")
                console.detail("              server certificate \"\(link.peerCertificate.map { "\($0.subject)" } ?? "none")\" verified against the demo CA")
                links.append(link)
            },
            sessionCache: TLSSessionCache())
        return DicomClient(try DicomClientConfiguration(
            host: "127.0.0.1", port: port, callingAETitle: "DEMOSCU", calledAETitle: "DEMOSCP", security: .tls(tls, options)))
    }

    /// The SCU's secure links, in order.
    private let links = SecureLinkLog()

    // MARK: Step 3: C-ECHO and C-STORE on one association

    private func firstAssociation(_ client: DicomClient, received: String) throws {
        console.heading("3. Association 1: TLS handshake, C-ECHO, C-STORE")
        let object = DicomObjectGenerator.secondaryCapture(rows: imageSize, columns: imageSize, patientName: "DEMO^TLS")
        if keep { try Data(object.part10).write(to: URL(fileURLWithPath: folder + "/sent.dcm")) }
        let t0 = console.elapsed
        let association = try client.associate(proposing: [
            PresentationContextProposal(id: 1, abstractSyntax: DicomUID.verification, transferSyntaxes: [DicomUID.implicitVRLittleEndian]),
            PresentationContextProposal(id: 3, abstractSyntax: object.sopClassUID, transferSyntaxes: [object.transferSyntaxUID]),
        ])
        console.event("SCU", "association accepted by \(association.acceptance.calledAETitle) in \(demoDuration(console.elapsed - t0)) (handshake included)")
        for result in association.acceptance.presentationContexts {
            console.detail("   context \(result.id): \(result.result) \(result.transferSyntax)")
        }
        guard let link = links.all.last else {
            console.fail("the secure-link-ready callback did not run before the association")
            return
        }
        checkLink(link, resumed: false)
        try echo(on: association)
        try store(object, on: association, received: received)
        try association.release()
        console.check(true, "association released")
    }

    private func checkLink(_ link: SecureLink, resumed: Bool) {
        console.check(link.session.version == .tls10, "protocol is TLS 1.0")
        console.check(link.session.cipherSuite == suite, "the negotiated suite is \(suite.name)")
        console.check(link.isResumed == resumed, resumed ? "the TLS session was resumed (abbreviated handshake)" : "a full handshake ran")
        console.check(link.peerCertificate?.subject.description.contains("DEMOSCP") == true, "the SCP presented the demo server certificate")
    }

    private func echo(on association: Association) throws {
        guard let context = association.context(for: DicomUID.verification) else {
            console.fail("the SCP accepted no Verification context")
            return
        }
        let t0 = console.elapsed
        let id = association.nextMessageID()
        let response = try association.exchange(DIMSE.echoRequest(messageID: id), contextID: context.id, messageID: id)
        console.event("SCU", "C-ECHO status \(response.status.map { "\($0)" } ?? "missing") in \(demoDuration(console.elapsed - t0))")
        console.check(response.commandField == .cEchoRSP && response.status == .success, "C-ECHO succeeded")
    }

    private func store(_ object: DicomObjectGenerator.Object, on association: Association, received: String) throws {
        guard let context = association.context(for: object.sopClassUID, transferSyntax: object.transferSyntaxUID) else {
            console.fail("the SCP accepted no Secondary Capture context")
            return
        }
        let t0 = console.elapsed
        let id = association.nextMessageID()
        let request = DIMSE.storeRequest(messageID: id, sopClassUID: object.sopClassUID, sopInstanceUID: object.sopInstanceUID)
        let response = try association.exchange(request, contextID: context.id, dataSet: MemoryDataSet(object.dataSet), messageID: id)
        let seconds = console.elapsed - t0
        console.event("SCU", String(
            format: "C-STORE of a %d×%d Secondary Capture image (%d bytes) status %@ in %@ (%.1f MB/s)", imageSize, imageSize,
            object.dataSet.count, response.status.map { "\($0)" } ?? "missing", demoDuration(seconds),
            Double(object.dataSet.count) / max(seconds, 1e-9) / 1e6))
        console.check(response.commandField == .cStoreRSP && response.status == .success, "C-STORE succeeded")
        let path = received + "/" + object.sopInstanceUID + ".dcm"
        console.detail("stored file \(path)")
        let header = try? Part10File(path: path)
        let bytes = FileManager.default.contents(atPath: path).map { [UInt8]($0) }
        let identical = header.flatMap { h in bytes.map { Array($0[h.dataSetOffset...]) == object.dataSet } } ?? false
        console.check(header?.sopInstanceUID == object.sopInstanceUID, "the stored file is a Part 10 file with the sent SOP Instance UID")
        console.check(identical, "its data set equals the one sent, byte for byte (\(object.dataSet.count) bytes)")
    }

    // MARK: Step 4: resumption

    private func secondAssociation(_ client: DicomClient) throws {
        console.heading("4. Association 2: the TLS session is resumed")
        let t0 = console.elapsed
        let status = try client.echo()
        console.event("SCU", "C-ECHO status \(status) in \(demoDuration(console.elapsed - t0)) (association, handshake and release)")
        console.check(status == .success, "C-ECHO on the resumed session succeeded")
        let all = links.all
        guard all.count == 2, let link = all.last else {
            console.fail("expected two secure links, saw \(all.count)")
            return
        }
        checkLink(link, resumed: true)
        console.check(link.session.sessionID == all[0].session.sessionID, "same session ID as association 1")
    }
}
