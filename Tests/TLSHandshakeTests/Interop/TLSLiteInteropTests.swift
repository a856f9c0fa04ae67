import Foundation
import Testing
import TLSHandshake
import TLSSockets
import TLSRecord
import TestSupport

/// Our client and server against tlslite-ng (pure Python; its 3DES and AES primitives swapped
/// for pycryptodome's by `Scripts/tlslite_fastcbc.py`) with TLS 1.0 + RSA + SHA-1 and 3DES,
/// AES-128 or AES-256 in CBC mode, with and without client certificates, full and resumed.
/// Our side keeps its default suite list; tlslite-ng enables exactly one cipher.
@Suite(.timeLimit(.minutes(2))) struct TLSLiteInteropTests {
    struct Variant: Sendable, CustomStringConvertible {
        var suite: CipherSuite
        var clientCertificate: Bool
        var resume: Bool
        /// tlslite-ng's name for the cipher.
        var cipher: String {
            switch suite {
            case .rsaWithAES128CBCSHA: "aes128"
            case .rsaWithAES256CBCSHA: "aes256"
            default: "3des"
            }
        }
        var description: String { "\(cipher) clientCert=\(clientCertificate) resume=\(resume)" }
    }

    static let variants: [Variant] = [
        Variant(suite: .rsaWith3DESEDECBCSHA, clientCertificate: false, resume: false),
        Variant(suite: .rsaWithAES128CBCSHA, clientCertificate: false, resume: false),
        Variant(suite: .rsaWithAES128CBCSHA, clientCertificate: true, resume: true),
        Variant(suite: .rsaWithAES256CBCSHA, clientCertificate: true, resume: false),
        Variant(suite: .rsaWithAES256CBCSHA, clientCertificate: false, resume: true),
    ]

    @Test(arguments: variants, OurAdapter.allCases)
    func ourClientAgainstTlsliteServer(_ v: Variant, adapter: OurAdapter) throws {
        let pki = try TestPKI.get()
        let port = try InteropPaths.freePort()
        let server = try PeerProcess(
            "/usr/bin/env",
            ["python3", InteropPaths.scripts + "/tlslite_server.py", "--port", String(port), "--cert", pki.serverCert,
             "--key", pki.serverKey, "--cipher", v.cipher, "--connections", v.resume ? "2" : "1"]
                + (v.clientCertificate ? ["--request-client-cert"] : []),
            name: "tlslite_server.py")
        defer { server.stop() }
        try server.waitForOutput("READY", timeout: .seconds(20))

        let configuration = try OurSide.client(
            pki, cert: v.clientCertificate ? pki.clientCert : nil, key: v.clientCertificate ? pki.clientKey : nil)
        var session: TLSSession?
        if v.resume {
            let first = try adapter.connect(port: port, configuration: configuration)
            session = first.session
            try first.closeCleanly()
            #expect(session != nil)
        }
        let stream = try adapter.connect(port: port, configuration: configuration, resuming: session)
        #expect(stream.sessionInfo.cipherSuite == v.suite)
        #expect(stream.sessionInfo.isResumed == v.resume)
        let payload = Payload.hexLines(count: Payload.mebibyte, seed: 31)
        let echoed = try OurSide.echoExchange(stream, payload)
        #expect(Payload.checksum(echoed) == Payload.checksum(payload))
        try stream.closeCleanly()
        try server.waitForOutput(
            "HANDSHAKE version=(3, 1) cipher=\(v.cipher) resumed=\(v.resume ? "True" : "False") "
                + "client_cert=\(v.clientCertificate ? "True" : "False")",
            timeout: .seconds(20))
        try server.waitForOutput("CLOSED", timeout: .seconds(20))
        #expect(!server.text.contains("ERROR"), "\(server.text)")
    }

    @Test(arguments: variants, OurAdapter.allCases)
    func tlsliteClientAgainstOurServer(_ v: Variant, adapter: OurAdapter) throws {
        let pki = try TestPKI.get()
        let server = try adapter.echoServer(
            configuration: try OurSide.server(pki, verification: v.clientCertificate ? .requirePeerCertificate : .noneInsecure),
            connections: v.resume ? 2 : 1)
        defer { server.stop() }
        let directory = NSTemporaryDirectory() + "tlslite-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let payload = Payload.hexLines(count: Payload.mebibyte, seed: 32)
        try Data(payload).write(to: URL(fileURLWithPath: directory + "/send.bin"))

        let client = try PeerProcess(
            "/usr/bin/env",
            ["python3", InteropPaths.scripts + "/tlslite_client.py", "--port", String(server.port),
             "--send", directory + "/send.bin", "--received", directory + "/received.bin", "--expect-cert", pki.serverCert,
             "--cipher", v.cipher]
                + (v.clientCertificate ? ["--cert", pki.clientCert, "--key", pki.clientKey] : [])
                + (v.resume ? ["--resume"] : []),
            name: "tlslite_client.py")
        defer { client.stop() }
        #expect(client.waitForExit(timeout: .seconds(90)) == 0, "\(client.text)")
        #expect(client.text.contains("HANDSHAKE version=(3, 1) cipher=\(v.cipher) resumed=\(v.resume ? "True" : "False")"))
        let echoed = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory + "/received.bin")))
        #expect(Payload.checksum(echoed) == Payload.checksum(payload))

        let connections = server.connections(count: v.resume ? 2 : 1)
        let connection = try #require(connections.last)
        #expect(connection.error == nil, "\(String(describing: connection.error))")
        #expect(connection.closedCleanly)
        #expect(Payload.checksum(connection.received) == Payload.checksum(payload))
        #expect(connection.info?.cipherSuite == v.suite)
        #expect(connection.info?.isResumed == v.resume)
        #expect(connection.info?.peerCertificates.isEmpty == !v.clientCertificate)
    }
}
