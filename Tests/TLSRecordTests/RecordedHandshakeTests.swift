import TestSupport
import Testing
import TLSRecord

/// The records of the recorded TLS 1.0 3DES handshake (Go crypto/tls test data, derived keys
/// in Vectors/tls-handshake/tls10_rsa_3des_handshake.json) open with the given keys in both
/// directions, with IV chaining across records and Go's 1/n−1 split; and our sealer
/// reproduces the recorded ciphertext byte for byte.
@Suite struct RecordedHandshakeTests {
    struct Transcript: Decodable {
        struct Record: Decodable {
            var from: String
            var content_type: Int
            var version: String
            var fragment: String
            var decrypted: String?
        }
        var client_write_MAC_secret, server_write_MAC_secret, client_write_key, server_write_key: String
        var client_write_IV, server_write_IV: String
        var records: [Record]
    }

    static func load() throws -> Transcript {
        try Vectors.json(Transcript.self, "tls-handshake/tls10_rsa_3des_handshake.json")
    }

    static func keys(_ t: Transcript, _ side: String) -> RecordProtectionParameters {
        side == "client"
            ? RecordProtectionParameters(
                cipher: .tripleDES, mac: .sha1, macSecret: Hex.decode(t.client_write_MAC_secret),
                key: Hex.decode(t.client_write_key), iv: Hex.decode(t.client_write_IV))
            : RecordProtectionParameters(
                cipher: .tripleDES, mac: .sha1, macSecret: Hex.decode(t.server_write_MAC_secret),
                key: Hex.decode(t.server_write_key), iv: Hex.decode(t.server_write_IV))
    }

    static func wire(_ r: Transcript.Record) -> [UInt8] {
        let body = Hex.decode(r.fragment)
        return RecordTestSupport.header(
            ContentType(rawValue: UInt8(r.content_type)), ProtocolVersion(wireValue: UInt16(r.version, radix: 16) ?? 0),
            body.count) + body
    }

    /// What the receiver of `sender`'s records should see: every record, plaintext.
    static func expected(_ t: Transcript, from sender: String) -> [TLSRecord] {
        t.records.filter { $0.from == sender }.map {
            TLSRecord(
                contentType: ContentType(rawValue: UInt8($0.content_type)),
                fragment: Hex.decode($0.decrypted ?? $0.fragment))
        }
    }

    @Test(arguments: ["client", "server"])
    func receiverOpensEveryRecord(from sender: String) throws {
        let t = try Self.load()
        let mine = t.records.filter { $0.from == sender }
        #expect(mine.count == (sender == "client" ? 4 : 8))
        var layer = RecordLayer(role: sender == "client" ? .server : .client)
        try layer.setPendingRead(Self.keys(t, sender))
        // Feed the whole flight at once: records are packed in one read.
        layer.receive(mine.flatMap(Self.wire))
        var got: [TLSRecord] = []
        while let record = try layer.nextRecord() {
            got.append(record)
            if record.contentType == .changeCipherSpec { try layer.changeReadCipherSpec() }
        }
        #expect(got == Self.expected(t, from: sender))
        #expect(layer.readCipher == .tripleDES)
        #expect(layer.bufferedInputCount == 0)
        if sender == "server" {
            // Go's 1/n−1 split: "h" then "ello, world\n", then close_notify.
            let data = got.filter { $0.contentType == .applicationData }.map(\.fragment)
            #expect(data == [Array("h".utf8), Array("ello, world\n".utf8)])
            #expect(got.last?.fragment == Alert.closeNotify.bytes)
        }
    }

    /// Our send side, keyed the same way, produces the recorded bytes exactly (same minimal
    /// padding, same IV chaining), including the split when the sender is Go's server.
    @Test(arguments: ["client", "server"])
    func senderReproducesRecordedBytes(as sender: String) throws {
        let t = try Self.load()
        let mine = t.records.filter { $0.from == sender }
        var layer = RecordLayer(role: sender == "client" ? .client : .server,
                                configuration: RecordLayerConfiguration(recordSplitting: true))
        try layer.setPendingWrite(Self.keys(t, sender))
        var index = 0
        while index < mine.count {
            let r = mine[index]
            let type = ContentType(rawValue: UInt8(r.content_type))
            var plaintext = Hex.decode(r.decrypted ?? r.fragment)
            var consumed = 1
            if type == .applicationData, plaintext.count == 1, index + 1 < mine.count,
                mine[index + 1].content_type == 23
            {
                // One write, split 1/n−1 by our Fragmenter.
                plaintext += Hex.decode(mine[index + 1].decrypted ?? "")
                consumed = 2
            }
            if type == .changeCipherSpec {
                try layer.sendChangeCipherSpec()
            } else {
                try layer.send(type, plaintext)
            }
            #expect(layer.takeOutput() == mine[index..<(index + consumed)].flatMap(Self.wire), "record \(index)")
            index += consumed
        }
    }
}
