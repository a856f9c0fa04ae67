import Foundation
import TestSupport
import Testing
import TLSRecord

/// BoringSSL's CBC + HMAC-SHA1 TLS 1.0 implicit-IV vectors (Vectors/tls-record/), one file
/// per cipher (3DES-EDE, AES-128, AES-256): in each, 165 records must open to `IN` and 259
/// (bad MAC or padding: non-minimal, maximal at every rotation, each of 256 padding bytes
/// wrong, MAC omitted) must fail with bad_record_mac.
@Suite struct BoringSSLVectorTests {
    /// One vector file and the cipher it is for.
    struct File: Sendable, CustomStringConvertible {
        var name: String
        var cipher: BulkCipherAlgorithm
        var keyLength, ivLength: Int
        var description: String { name }
    }

    static let files = [
        File(name: "des_ede3_cbc_sha1_tls_implicit_iv_tests.txt", cipher: .tripleDES, keyLength: 24, ivLength: 8),
        File(name: "aes_128_cbc_sha1_tls_implicit_iv_tests.txt", cipher: .aes128, keyLength: 16, ivLength: 16),
        File(name: "aes_256_cbc_sha1_tls_implicit_iv_tests.txt", cipher: .aes256, keyLength: 32, ivLength: 16),
    ]

    struct Case: Sendable, CustomStringConvertible {
        var file: File
        var line: Int
        var key, input, ad, ciphertext: [UInt8]
        var fails: Bool
        var noSeal: Bool
        var description: String { "\(file.name) line \(line)\(fails ? " FAILS" : "")" }
    }

    /// Parses the `KEY: hex` blocks of BoringSSL's AEAD test format.
    static func load(_ file: File) throws -> [Case] {
        let text = try Vectors.text("tls-record/\(file.name)")
        var cases: [Case] = []
        var fields: [String: String] = [:]
        var start = 0
        func flush() {
            if fields["KEY"] != nil {
                cases.append(Case(
                    file: file, line: start, key: Hex.decode(fields["KEY"] ?? ""), input: Hex.decode(fields["IN"] ?? ""),
                    ad: Hex.decode(fields["AD"] ?? ""),
                    ciphertext: Hex.decode(fields["CT"] ?? "") + Hex.decode(fields["TAG"] ?? ""),
                    fails: fields["FAILS"] != nil, noSeal: fields["NO_SEAL"] != nil))
            }
            fields = [:]
        }
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { flush(); continue }
            if line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else { continue }
            if fields.isEmpty { start = n + 1 }
            fields[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        flush()
        return cases
    }

    static let cases: [Case] = files.flatMap { (try? load($0)) ?? [] }

    static func protection(_ c: Case) throws -> RecordProtection {
        let keyEnd = 20 + c.file.keyLength
        let params = RecordProtectionParameters(
            cipher: c.file.cipher, mac: .sha1, macSecret: Array(c.key[0..<20]), key: Array(c.key[20..<keyEnd]),
            iv: Array(c.key[keyEnd...]))
        var p = try RecordProtection(params)
        p.sequenceNumber = c.ad[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
        return p
    }

    static func record(_ c: Case) -> [UInt8] {
        RecordTestSupport.header(
            ContentType(rawValue: c.ad[8]), ProtocolVersion(major: c.ad[9], minor: c.ad[10]), c.ciphertext.count)
            + c.ciphertext
    }

    @Test(arguments: files)
    func fileHasAllCases(_ file: File) throws {
        let all = try Self.load(file)
        #expect(all.count == 424)
        #expect(all.filter { !$0.fails }.count == 165)
        #expect(all.filter { $0.fails }.count == 259)
        #expect(all.allSatisfy { $0.key.count == 20 + file.keyLength + file.ivLength && $0.ad.count == 11 })
    }

    @Test(arguments: cases)
    func openVector(_ c: Case) throws {
        var p = try Self.protection(c)
        if c.fails {
            #expect(throws: RecordError(.badRecordMAC, "")) { _ = try RecordTestSupport.open(&p, Self.record(c)) }
        } else {
            let plaintext = try RecordTestSupport.open(&p, Self.record(c))
            #expect(plaintext == c.input)
        }
    }

    /// Cases a sealer would produce (minimal padding) are reproduced byte for byte.
    @Test(arguments: files)
    func sealMatchesSealableVectors(_ file: File) throws {
        let sealable = Self.cases.filter { $0.file.name == file.name && !$0.noSeal && !$0.fails }
        #expect(sealable.count == 100)
        for c in sealable {
            var p = try Self.protection(c)
            let record = try RecordTestSupport.seal(
                &p, ContentType(rawValue: c.ad[8]), c.input, version: ProtocolVersion(major: c.ad[9], minor: c.ad[10]))
            #expect(record == Self.record(c), "\(c)")
        }
    }
}
