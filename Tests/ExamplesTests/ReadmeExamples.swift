// The README's Swift examples, verbatim: each ```swift block of README.md must appear in
// this file (ReadmeTests checks it), so the examples compile with the package and the
// tests in ExamplesTests run them against each other on loopback.

import DicomUL
import Foundation
import TLSHandshake
import TLSSockets
import X509

// MARK: A TLS client

/// Talks TLS 1.0 with 3DES to a legacy device, verifying it against our CA file and
/// presenting a client certificate whose key is encrypted.
func tlsClientExample(
    host: String, port: UInt16, caFile: String, certFile: String, keyFile: String,
    password: @escaping @Sendable () -> String?
) throws -> SessionInfo {
    var config = try TLSConfiguration.client(
        certificateChain: try TLSConfiguration.certificates(pemFile: certFile),  // SetClientCertificateTLS
        privateKey: try TLSConfiguration.privateKey(pemFile: keyFile, password: password),  // SSLPrivateKeyPasswordEvent
        trustRoots: try TLSConfiguration.trustRoots(pemFile: caFile),  // SSLCAFile
        verification: .peer,  // SSLVerifyMode
        verifyDepth: 4,  // SSLVerifyDepth
        cipherSuites: [.rsaWith3DESEDECBCSHA])  // the DICOM Basic TLS suite only
    config.onSecureLinkReady = { info in  // NetSecureLinkReady
        print("secure link:", info.cipherSuite.name, info.encryptionAlgorithm, info.integrityAlgorithm)
    }
    let stream = try BlockingTLSStream.connect(host: host, port: port, configuration: config)
    try stream.write(Array("hello".utf8))
    let reply = try stream.read()
    print("server answered \(reply.count) bytes")
    try stream.close()  // close_notify both ways; a truncated connection throws
    return stream.sessionInfo  // GetCiphersuiteTLS & co.: cipherSuite, encryptionAlgorithm, integrityAlgorithm
}

// MARK: A TLS server

/// Accepts one TLS connection that must present a client certificate issued by our CA,
/// and echoes what it receives.
func tlsServerExample(listener: TCPListener, caFile: String, certFile: String, keyFile: String) throws {
    let config = try TLSConfiguration.server(
        certificateChain: try TLSConfiguration.certificates(pemFile: certFile),  // SetServerCertificateTLS
        privateKey: try TLSConfiguration.privateKey(pemFile: keyFile),  // unencrypted: no password asked
        trustRoots: try TLSConfiguration.trustRoots(pemFile: caFile),
        verification: .requirePeerCertificate,  // mutual authentication
        verifyDepth: 4,
        cipherSuites: [.rsaWith3DESEDECBCSHA, .rsaWithNullSHA],  // NULL only because we list it
        options: [.serverCipherPreference, .noRenegotiation])  // SSLOptions
    let stream = try BlockingTLSStream.accept(from: listener, configuration: config)
    let info = stream.sessionInfo
    print("client", info.peerCertificates.first?.subject.description ?? "-", "speaks", info.cipherSuite.name)
    let request = try stream.read()
    try stream.write(request)
    try stream.close()
}

// MARK: A DICOM association over TLS: C-ECHO and C-STORE

/// Verifies a PACS with C-ECHO, then sends files with C-STORE, over TLS (PS3.15 Annex B).
func dicomStoreExample(
    host: String, port: UInt16, files: [String], caFile: String, certFile: String, keyFile: String,
    password: @escaping @Sendable () -> String?
) throws -> StoreSummary {
    let tls = try TLSConfiguration.client(
        certificateChain: try TLSConfiguration.certificates(pemFile: certFile),
        privateKey: try TLSConfiguration.privateKey(pemFile: keyFile, password: password),
        trustRoots: try TLSConfiguration.trustRoots(pemFile: caFile),
        verification: .peer, verifyDepth: 4, cipherSuites: [.rsaWith3DESEDECBCSHA])
    let options = SecureTransportOptions(
        onSecureLinkReady: { link in print(link.summary) },  // NetSecureLinkReady, before the A-ASSOCIATE-RQ
        sessionCache: TLSSessionCache())  // later associations resume the TLS session
    let client = DicomClient(try DicomClientConfiguration(
        host: host, port: port, callingAETitle: "MODALITY", calledAETitle: "PACS",
        security: .tls(tls, options)))  // NetworkSecurityMode = DICOM_SECURE_TLS
    let status = try client.echo()  // one association: C-ECHO, release
    print("C-ECHO:", status)
    return try client.store(files: files)  // one association for all the files
}

// MARK: A DICOM storage SCP over TLS

/// Starts a storage SCP on the DICOM-over-TLS port that requires client certificates.
func dicomStorageSCPExample(port: UInt16, folder: String, caFile: String, certFile: String, keyFile: String) throws -> DicomServer {
    let tls = try TLSConfiguration.server(
        certificateChain: try TLSConfiguration.certificates(pemFile: certFile),
        privateKey: try TLSConfiguration.privateKey(pemFile: keyFile),
        trustRoots: try TLSConfiguration.trustRoots(pemFile: caFile),
        verification: .requirePeerCertificate, verifyDepth: 4)
    let server = try DicomServer(try DicomServerConfiguration(
        port: port,  // DicomSecurity.defaultTLSPort is 2762; 0 picks a free port
        outputDirectory: folder, aeTitle: "PACS", host: "127.0.0.1",
        security: .tls(tls)))
    server.start()  // one thread per association; a slow TLS client blocks no one
    return server
}
