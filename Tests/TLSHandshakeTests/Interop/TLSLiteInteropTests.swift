import Foundation
import Testing
import TLSHandshake
import TLSSockets
import TLSRecord
import TestSupport

/// Our client and server against tlslite-ng (pure Python; its 3DES primitive swapped for
/// pycryptodome's by `Scripts/tlslite_fast3des.py`) with TLS 1.0 + RSA + 3DES + SHA-1.
@Suite(.timeLimit(.minutes(2))) struct TLSLiteInteropTests {
    @Test(arguments: OurAdapter.allCases)
    func ourClientAgainstTlsliteServer(adapter: OurAdapter) throws {
        let pki = try TestPKI.get()
        let port = try InteropPaths.freePort()
        let server = try PeerProcess(
            "/usr/bin/env",
            ["python3", InteropPaths.scripts + "/tlslite_server.py", "--port", String(port), "--cert", pki.serverCert,
             "--key", pki.serverKey],
            name: "tlslite_server.py")
        defer { server.stop() }
        try server.waitForOutput("READY", timeout: .seconds(20))

        let stream = try adapter.connect(port: port, configuration: try OurSide.client(pki))
        #expect(stream.sessionInfo.cipherSuite == .rsaWith3DESEDECBCSHA)
        let payload = Payload.hexLines(count: Payload.mebibyte, seed: 31)
        let echoed = try OurSide.echoExchange(stream, payload)
        #expect(Payload.checksum(echoed) == Payload.checksum(payload))
        try stream.closeCleanly()
        try server.waitForOutput("CLOSED", timeout: .seconds(20))
        #expect(server.text.contains("HANDSHAKE version=(3, 1) cipher=3des"))
    }

    @Test(arguments: OurAdapter.allCases)
    func tlsliteClientAgainstOurServer(adapter: OurAdapter) throws {
        let pki = try TestPKI.get()
        let server = try adapter.echoServer(configuration: try OurSide.server(pki))
        defer { server.stop() }
        let directory = NSTemporaryDirectory() + "tlslite-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let payload = Payload.hexLines(count: Payload.mebibyte, seed: 32)
        try Data(payload).write(to: URL(fileURLWithPath: directory + "/send.bin"))

        let client = try PeerProcess(
            "/usr/bin/env",
            ["python3", InteropPaths.scripts + "/tlslite_client.py", "--port", String(server.port),
             "--send", directory + "/send.bin", "--received", directory + "/received.bin", "--expect-cert", pki.serverCert],
            name: "tlslite_client.py")
        defer { client.stop() }
        #expect(client.waitForExit(timeout: .seconds(90)) == 0, "\(client.text)")
        #expect(client.text.contains("HANDSHAKE version=(3, 1) cipher=3des"))
        let echoed = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory + "/received.bin")))
        #expect(Payload.checksum(echoed) == Payload.checksum(payload))

        let connection = try #require(server.connections(count: 1).first)
        #expect(connection.error == nil, "\(String(describing: connection.error))")
        #expect(connection.closedCleanly)
        #expect(Payload.checksum(connection.received) == Payload.checksum(payload))
        #expect(connection.info?.cipherSuite == .rsaWith3DESEDECBCSHA)
    }
}
