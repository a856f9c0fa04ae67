import CryptoPrimitives
import TLSRecord
import TestSupport
import Testing
import X509
@testable import TLSHandshake

/// The recorded Go/OpenSSL handshakes (Vectors/tls-handshake) checked message by message:
/// our decoder round-trips every real message, our Transcript and key schedule reproduce
/// the recorded Finished values and key block, and our CertificateVerify code verifies and
/// reproduces the recorded client signature.
@Suite struct RecordedTranscriptTests {
    struct File: Decodable {
        struct Message: Decodable { var from: String; var msg_type: Int; var bytes: String }
        struct Record: Decodable { var from: String; var content_type: Int; var decrypted: String? }
        struct Verify: Decodable { var md5_sha1: String; var signature: String }
        var client_random, server_random, master_secret: String
        var client_write_MAC_secret, server_write_MAC_secret, client_write_key, server_write_key: String
        var client_write_IV: String?
        var server_write_IV: String?
        var handshake_messages: [Message]
        var records: [Record]
        var certificate_verify: Verify?
    }

    static let files = ["tls-handshake/tls10_rsa_3des_handshake.json", "tls-handshake/tls10_rsa_rc4_clientcert_handshake.json"]

    /// The decrypted Finished messages (client's, then server's).
    static func finished(_ f: File) -> [[UInt8]] {
        f.records.filter { $0.content_type == 22 }.compactMap { $0.decrypted.map(Hex.decode) }
    }

    @Test(arguments: files)
    func everyRecordedMessageRoundTrips(_ path: String) throws {
        let f = try Vectors.json(File.self, path)
        let messages = f.handshake_messages.map { Hex.decode($0.bytes) } + Self.finished(f)
        #expect(messages.count >= 7)
        for m in messages {
            let decoded = try HandshakeMessage.decode(m)
            #expect(decoded.encoded() == m)
        }
    }

    @Test(arguments: files)
    func transcriptReproducesBothFinished(_ path: String) throws {
        let f = try Vectors.json(File.self, path)
        let master = Hex.decode(f.master_secret)
        var transcript = Transcript()
        for m in f.handshake_messages { transcript.add(Hex.decode(m.bytes)) }
        let finished = Self.finished(f)
        try #require(finished.count == 2)
        #expect(HandshakeMessage.finished(Finished(verifyData: transcript.verifyData(masterSecret: master, label: .client))).encoded() == finished[0])
        transcript.add(finished[0])
        #expect(HandshakeMessage.finished(Finished(verifyData: transcript.verifyData(masterSecret: master, label: .server))).encoded() == finished[1])
    }

    @Test func keyBlockMatchesThe3DESWalkthrough() throws {
        let f = try Vectors.json(File.self, Self.files[0])
        let s = TrafficSecrets(suite: .rsaWith3DESEDECBCSHA, masterSecret: Hex.decode(f.master_secret),
                               clientRandom: Hex.decode(f.client_random), serverRandom: Hex.decode(f.server_random))
        #expect(Hex.encode(s.clientMACSecret) == f.client_write_MAC_secret && Hex.encode(s.serverMACSecret) == f.server_write_MAC_secret)
        #expect(Hex.encode(s.clientKey) == f.client_write_key && Hex.encode(s.serverKey) == f.server_write_key)
        #expect(Hex.encode(s.clientIV) == f.client_write_IV && Hex.encode(s.serverIV) == f.server_write_IV)
    }

    @Test func certificateVerifyHashVerifiesAndSignsLikeGo() throws {
        let f = try Vectors.json(File.self, Self.files[1])
        let verify = try #require(f.certificate_verify)
        // Everything before CertificateVerify (type 15) goes into the signed hash.
        var transcript = Transcript()
        var signed: [UInt8]? = nil
        for m in f.handshake_messages {
            if m.msg_type == 15 {
                signed = transcript.hash
                break
            }
            transcript.add(Hex.decode(m.bytes))
        }
        #expect(Hex.encode(try #require(signed)) == verify.md5_sha1)
        // The server side check (ExpectCertificateVerify) accepts Go's signature with the key
        // from the client's certificate, and rejects it over any other hash.
        let go = try TestKeys.goClient()
        let identity = try PeerAuthentication.authenticate(
            chain: [go.certificate.derBytes], config: try TLSConfiguration.client(verification: .noneInsecure),
            now: 0, peerIsServer: false)
        #expect(identity.publicKey.verifyTLS10(signature: Hex.decode(verify.signature), md5SHA1: Hex.decode(verify.md5_sha1)))
        var other = Hex.decode(verify.md5_sha1)
        other[0] ^= 1
        #expect(!identity.publicKey.verifyTLS10(signature: Hex.decode(verify.signature), md5SHA1: other))
        // Our client's signing path produces Go's exact signature (PKCS#1 v1.5 is deterministic).
        #expect(Hex.encode(try go.key.signHandshakeHash(Hex.decode(verify.md5_sha1))) == verify.signature)
    }
}
