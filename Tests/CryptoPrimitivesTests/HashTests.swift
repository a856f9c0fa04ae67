import CryptoPrimitives
import Foundation
import TestSupport
import Testing

/// NIST CAVP SHAVS and RFC 1321 vectors for our libcrypto-backed digests.
@Suite struct HashTests {
    static let sha1Short = (try? Vectors.rsp("hashes/SHA1ShortMsg.rsp")) ?? []
    static let sha1Long = (try? Vectors.rsp("hashes/SHA1LongMsg.rsp")) ?? []
    static let md5RFC = (try? Vectors.rsp("hashes/md5-rfc-1321.txt")) ?? []

    @Test func vectorFilesArePresent() throws {
        #expect(try Vectors.rsp("hashes/SHA1ShortMsg.rsp").count == 65)
        #expect(try Vectors.rsp("hashes/SHA1LongMsg.rsp").count == 64)
        #expect(try Vectors.rsp("hashes/md5-rfc-1321.txt").count == 7)
        #expect(try Vectors.rsp("hashes/SHA1Monte.rsp").count == 101)  // seed + 100 checkpoints
    }

    @Test(arguments: sha1Short + sha1Long)
    func sha1(_ v: RSPBlock) {
        let message = Array(v.hex("Msg").prefix(Int(v["Len"])! / 8))  // Len = 0 has a placeholder byte
        #expect(SHA1.hash(message) == v.hex("MD"), "\(v)")
    }

    @Test(arguments: md5RFC)
    func md5(_ v: RSPBlock) {
        let message = Array(v.hex("Msg").prefix(Int(v["Len"])! / 8))
        #expect(MD5.hash(message) == v.hex("MD"), "\(v)")
    }

    /// SHAVS §6.4 Monte Carlo: each checkpoint is 1000 chained hashes of the last three digests.
    @Test func sha1MonteCarlo() throws {
        let blocks = try Vectors.rsp("hashes/SHA1Monte.rsp")
        var seed = blocks[0].hex("Seed")
        let checkpoints = blocks.dropFirst()
        #expect(checkpoints.count == 100)
        for block in checkpoints {
            var md = [seed, seed, seed]
            for _ in 0..<1000 {
                let next = SHA1.hash(md[0] + md[1] + md[2])
                md = [md[1], md[2], next]
            }
            seed = md[2]
            #expect(seed == block.hex("MD"), "COUNT \(block["COUNT"])")
        }
    }

    struct ShortVectors: Decodable {
        struct MD5Vector: Decodable { var message_hex: String; var md5: String }
        struct SHA1Vector: Decodable {
            struct Repeat: Decodable { var char: String; var count: Int }
            var message_ascii: String?
            var message_ascii_repeat: Repeat?
            var sha1: String
        }
        var md5: [MD5Vector]
        var sha1: [SHA1Vector]
    }

    @Test func fipsAndRFCShortVectors() throws {
        let v = try Vectors.json(ShortVectors.self, "hashes/short_vectors.json")
        #expect(v.md5.count == 7 && v.sha1.count == 3)
        for t in v.md5 { #expect(MD5.hash(Hex.decode(t.message_hex)) == Hex.decode(t.md5)) }
        for t in v.sha1 {
            let message: [UInt8]
            if let r = t.message_ascii_repeat {
                message = Array(String(repeating: r.char, count: r.count).utf8)
            } else {
                message = Array((t.message_ascii ?? "").utf8)
            }
            #expect(SHA1.hash(message) == Hex.decode(t.sha1))
        }
    }

    /// SHA-256 has no vector file in Vectors/; these are the FIPS 180-2 Appendix B examples.
    @Test func sha256FIPS180Examples() {
        #expect(SHA256.hash(Array("abc".utf8)) == Hex.decode(
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
        #expect(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)) == Hex.decode(
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"))
    }

    /// Streaming in uneven pieces and forking a state by copying give the one-shot digest.
    @Test func streamingAndCopiedStates() {
        let message = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var h = SHA1()
        h.update(Array(message[0..<3]))
        let fork = h
        h.update(Array(message[3...]))
        #expect(h.finalize() == SHA1.hash(message))
        var g = fork
        g.update(Array(message[3...]))
        #expect(g.finalize() == SHA1.hash(message))
    }
}
