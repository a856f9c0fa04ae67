import CryptoPrimitives
import TestSupport
import Testing

/// RFC 2202 HMAC-MD5 and HMAC-SHA1 test cases, from both the text files and the JSON.
@Suite struct HMACTests {
    static let sha1Cases = (try? Vectors.rsp("hmac/rfc-2202-sha1.txt")) ?? []
    static let md5Cases = (try? Vectors.rsp("hmac/rfc-2202-md5.txt")) ?? []

    @Test func vectorFilesArePresent() throws {
        #expect(try Vectors.rsp("hmac/rfc-2202-sha1.txt").count == 7)
        #expect(try Vectors.rsp("hmac/rfc-2202-md5.txt").count == 7)
    }

    @Test(arguments: sha1Cases)
    func hmacSHA1(_ v: RSPBlock) {
        #expect(HMAC<SHA1>(key: v.hex("Key")).authenticationCode(for: v.hex("Msg")) == v.hex("MD"), "\(v)")
    }

    @Test(arguments: md5Cases)
    func hmacMD5(_ v: RSPBlock) {
        #expect(HMAC<MD5>(key: v.hex("Key")).authenticationCode(for: v.hex("Msg")) == v.hex("MD"), "\(v)")
    }

    struct RFC2202: Decodable {
        struct Case: Decodable { var test_case: Int; var key: String; var data: String; var mac: String }
        var hmac_md5: [Case]
        var hmac_sha1: [Case]
    }

    @Test func rfc2202JSON() throws {
        let v = try Vectors.json(RFC2202.self, "hmac/rfc2202.json")
        #expect(v.hmac_md5.count == 7 && v.hmac_sha1.count == 7)
        for c in v.hmac_sha1 {
            #expect(HMAC<SHA1>(key: Hex.decode(c.key)).authenticationCode(for: Hex.decode(c.data)) == Hex.decode(c.mac),
                    "HMAC-SHA1 case \(c.test_case)")
        }
        for c in v.hmac_md5 {
            #expect(HMAC<MD5>(key: Hex.decode(c.key)).authenticationCode(for: Hex.decode(c.data)) == Hex.decode(c.mac),
                    "HMAC-MD5 case \(c.test_case)")
        }
    }

    /// The streaming interface gives the one-shot result when fed in pieces.
    @Test func streamingMatchesOneShot() {
        let hmac = HMAC<SHA1>(key: Array("key".utf8))
        let message = Array("The quick brown fox jumps over the lazy dog".utf8)
        var c = hmac.begin()
        c.update(Array(message[0..<10]))
        c.update(Array(message[10...]))
        #expect(c.finalize() == hmac.authenticationCode(for: message))
        // Wikipedia's widely reproduced example value for this key and message.
        #expect(hmac.authenticationCode(for: message) == Hex.decode("de7c9b85b8b78aa6bc8a7a36f70a90701c9db4d9"))
    }
}

/// ``InlineHMAC`` against the same RFC 2202 vectors, whole and with the message split in two.
@Suite struct InlineHMACTests {
    @Test(arguments: HMACTests.sha1Cases)
    func inlineSHA1(_ v: RSPBlock) {
        #expect(Self.mac(SHA1.self, key: v.hex("Key"), message: v.hex("Msg")) == v.hex("MD"), "\(v)")
    }

    @Test(arguments: HMACTests.md5Cases)
    func inlineMD5(_ v: RSPBlock) {
        #expect(Self.mac(MD5.self, key: v.hex("Key"), message: v.hex("Msg")) == v.hex("MD"), "\(v)")
    }

    /// The MAC of `message`, given as two parts split in the middle, written over a buffer
    /// that also holds the first part (the PRF's in-place use).
    static func mac<H: HashFunction>(_: H.Type, key: [UInt8], message: [UInt8]) -> [UInt8] {
        let split = message.count / 2
        var buffer = Array(message[0..<split]) + [UInt8](repeating: 0, count: max(0, H.digestByteCount - split))
        let second = Array(message[split...])
        unsafe key.withUnsafeBytes { k in
            var hmac = unsafe InlineHMAC<H>(key: k)
            unsafe buffer.withUnsafeMutableBytes { out in
                unsafe second.withUnsafeBytes { s in
                    unsafe hmac.authenticationCode(of: UnsafeRawBufferPointer(rebasing: out[0..<split]), s, into: out)
                }
            }
            hmac.wipe()
        }
        return Array(buffer[0..<H.digestByteCount])
    }
}
