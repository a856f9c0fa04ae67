import Foundation
import Testing
import TestSupport

/// The peer harness itself, peer against peer (no code of ours on the wire): proves the
/// test PKI, the flags from PEERS.md and the bounded start/stop before our stack is involved.
@Suite(.timeLimit(.minutes(5))) struct HarnessSelfTests {
    @Test func pkiHasEveryFileAndTheExpiredCertificateIsExpired() throws {
        let pki = try TestPKI.get()
        for file in [pki.caCert, pki.serverCert, pki.serverKey, pki.clientCert, pki.clientKey, pki.untrustedCert,
                     pki.expiredCert, pki.otherCA, pki.encryptedServerKey, pki.passwordFile] {
            #expect(FileManager.default.fileExists(atPath: file), "\(file) missing")
        }
        let verify = try PeerProcess("/usr/bin/openssl", ["verify", "-CAfile", pki.caCert, pki.serverCert, pki.expiredCert, pki.untrustedCert])
        #expect(verify.waitForExit(timeout: .seconds(10)) != 0)
        #expect(verify.text.contains("server.pem: OK"))
        #expect(verify.text.contains("certificate has expired"))
        #expect(verify.text.contains("unable to get local issuer certificate"))
    }

    @Test func gnutlsServerEchoesAMebibyteToGnutlsClientOver3DES() throws {
        let pki = try TestPKI.get()
        let port = try InteropPaths.freePort()
        let priority = Peers.gnutlsPriority(noETM: true)
        let server = try Peers.gnutlsServer(port: port, cert: pki.serverCert, key: pki.serverKey, priority: priority)
        defer { server.stop() }
        let client = try Peers.gnutlsClient(port: port, caFile: pki.caCert, priority: priority)
        defer { client.stop() }
        let payload = Payload.hexLines(count: Payload.mebibyte)
        client.feed(payload)
        let echoed = try client.waitForStdout(count: payload.count, after: "- Simple Client Mode:\n\n", timeout: .seconds(30))
        client.closeStdin()
        #expect(Payload.checksum(echoed) == Payload.checksum(payload))
        #expect(client.waitForExit(timeout: .seconds(10)) != nil)
        #expect(client.text.contains("(TLS1.0-X.509)-(RSA)-(3DES-CBC)-(SHA1)"))
    }

    @Test func stopKillsAPeerThatIgnoresItsInput() throws {
        let peer = try PeerProcess("/bin/sleep", ["600"])
        #expect(peer.isRunning)
        let start = ContinuousClock.now
        peer.stop()
        #expect(!peer.isRunning)
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test func waitingForOutputThatNeverComesIsBounded() throws {
        let peer = try PeerProcess("/bin/sleep", ["600"])
        defer { peer.stop() }
        #expect(throws: PeerProcess.Failure.self) { try peer.waitForOutput("never", timeout: .milliseconds(200)) }
    }
}
