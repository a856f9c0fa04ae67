import CryptoPrimitives
import TLSRecord
import Testing
@testable import TLSHandshake
@testable import X509

/// Uniform failure behaviour (issue 8 §3, DESIGN.md §6): a server must not reveal whether a
/// ClientKeyExchange decrypted to a well-formed premaster (Bleichenbacher/ROBOT), nor whether
/// a CBC record failed on its padding or on its MAC (Vaudenay/Lucky 13/POODLE). Every case
/// is driven from the same deterministic start, so the server's visible behaviour (which
/// alert, after which input, and every byte it wrote) can be compared byte for byte.
@Suite struct UniformFailureTests {
    /// A server that has sent its first flight and waits for ClientKeyExchange, plus the
    /// client engine that started the handshake (used for the control case).
    static func serverAwaitingKeyExchange() throws -> (server: TLSConnection, client: TLSConnection, serverKey: RSAPublicKey) {
        let pki = try HandshakePKI.shared.get()
        var client = try TLSConnection(client: pki.clientConfig(suites: [.rsaWith3DESEDECBCSHA], options: []))
        var server = try TLSConnection(server: pki.serverConfig())
        server.receive(client.takeOutput())
        while try server.nextEvent() != nil {}
        let flight = server.takeOutput()
        #expect(!flight.isEmpty)
        client.receive(flight)
        while try client.nextEvent() != nil {}
        return (server, client, pki.serverKey.publicKey)
    }

    /// One plaintext record.
    static func record(_ type: UInt8, _ body: [UInt8]) -> [UInt8] {
        [type, 3, 1, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
    }

    /// A ClientKeyExchange message carrying `encrypted` (RFC 2246 §7.4.7.1: a vector<0..2^16-1>).
    static func clientKeyExchange(_ encrypted: [UInt8]) -> [UInt8] {
        let body = [UInt8(encrypted.count >> 8), UInt8(encrypted.count & 0xFF)] + encrypted
        return [16, 0, UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
    }

    /// The rest of the attacker's flight: ChangeCipherSpec and a "Finished" record of 40
    /// bytes it cannot have built correctly (it does not know the keys in any case).
    static let wrongFinishedTail = record(20, [1]) + record(22, (0..<40).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })

    /// RSA on a raw block (no padding check): lets the test build malformed PKCS#1 blocks.
    static func rawEncrypt(_ block: [UInt8], _ key: RSAPublicKey) throws -> [UInt8] {
        guard let c = key.publicOperation(block) else { throw FixtureError("raw RSA refused the block") }
        return c
    }

    /// The kinds of ClientKeyExchange of issue 8 §3.
    enum Premaster: String, CaseIterable, CustomTestStringConvertible {
        case correct, wrongPaddingType1, noZeroSeparator, shortPadding, length47, length49, wrongVersion, empty
        var testDescription: String { rawValue }

        /// The encrypted premaster for a server key.
        func encrypted(_ key: RSAPublicKey) throws -> [UInt8] {
            let k = key.modulusByteCount
            let secret = [0x03, 0x01] + [UInt8](repeating: 0x5A, count: 46)
            func padding(_ n: Int) -> [UInt8] { [UInt8](repeating: 0xA5, count: n) }
            switch self {
            case .correct: return try key.encryptPKCS1v15(secret, padding: padding(k - 51))
            case .wrongPaddingType1: return try rawEncrypt([0, 1] + padding(k - 51) + [0] + secret, key)
            case .noZeroSeparator: return try rawEncrypt([0, 2] + padding(k - 2), key)
            case .shortPadding: return try rawEncrypt([0, 2] + padding(4) + [0] + padding(k - 7), key)
            case .length47: return try key.encryptPKCS1v15(Array(secret.prefix(47)), padding: padding(k - 50))
            case .length49: return try key.encryptPKCS1v15(secret + [0x5A], padding: padding(k - 52))
            case .wrongVersion: return try key.encryptPKCS1v15([0x03, 0x00] + secret.dropFirst(2), padding: padding(k - 51))
            case .empty: return try rawEncrypt([0, 2] + padding(k - 3) + [0], key)
            }
        }
    }

    /// What the server visibly did after each input: output bytes, and the alert it failed with.
    struct Visible: Equatable {
        var outputAfterKeyExchange: [UInt8]
        var outputAfterCCS: [UInt8]
        var outputAfterFinished: [UInt8]
        var failedAt: String?
        var alert: AlertDescription?
    }

    /// Feeds CKE, CCS and the wrong Finished one record at a time, recording the output and
    /// the error after each.
    static func visible(_ premaster: Premaster) throws -> Visible {
        var (server, _, key) = try serverAwaitingKeyExchange()
        let steps: [(String, [UInt8])] = [
            ("ClientKeyExchange", record(22, clientKeyExchange(try premaster.encrypted(key)))),
            ("ChangeCipherSpec", record(20, [1])),
            ("Finished", Array(wrongFinishedTail.dropFirst(6))),
        ]
        var outputs: [[UInt8]] = []
        var failedAt: String?
        var alert: AlertDescription?
        for (name, bytes) in steps {
            if failedAt == nil {
                server.receive(bytes)
                do {
                    while try server.nextEvent() != nil {}
                } catch {
                    failedAt = name
                    alert = error.alert
                }
            }
            outputs.append(server.takeOutput())
        }
        return Visible(
            outputAfterKeyExchange: outputs[0], outputAfterCCS: outputs[1], outputAfterFinished: outputs[2],
            failedAt: failedAt, alert: alert)
    }

    @Test func theControlHandshakeCompletes() throws {
        var (server, client, _) = try Self.serverAwaitingKeyExchange()
        server.receive(client.takeOutput())
        while try server.nextEvent() != nil {}
        #expect(server.isHandshakeComplete)
    }

    @Test(arguments: Premaster.allCases)
    func everyBadPremasterLooksLikeACorrectOneWithAWrongFinished(_ premaster: Premaster) throws {
        let reference = try Self.visible(.correct)
        // The reference itself: nothing is sent until the Finished record, then one fatal
        // bad_record_mac alert (7 plaintext bytes: the server's write state is still null).
        #expect(reference.outputAfterKeyExchange.isEmpty && reference.outputAfterCCS.isEmpty)
        #expect(reference.failedAt == "Finished")
        #expect(reference.alert == .badRecordMAC)
        #expect(reference.outputAfterFinished == [21, 3, 1, 0, 2, 2, 20])
        #expect(try Self.visible(premaster) == reference)
    }

    // MARK: CBC: bad padding versus bad MAC

    /// An established 3DES connection pair (no record splitting, so one record a write)
    /// and one application-data record from the client, not yet delivered.
    static func establishedWithRecord(_ plaintext: [UInt8]) throws -> (EnginePair, [UInt8]) {
        let pki = try HandshakePKI.shared.get()
        var pair = EnginePair(
            client: try TLSConnection(client: pki.clientConfig(suites: [.rsaWith3DESEDECBCSHA], options: [])),
            server: try TLSConnection(server: pki.serverConfig()))
        pair.run()
        #expect(pair.client.isHandshakeComplete && pair.server.isHandshakeComplete)
        try pair.client.send(plaintext)
        return (pair, pair.client.takeOutput())
    }

    /// How a record is damaged.
    enum Damage: String, CaseIterable, CustomTestStringConvertible {
        /// A bit of the first ciphertext block: plaintext block 0 garbled, block 1 flipped → MAC fails, padding intact.
        case badMAC
        /// The last byte of the second-to-last block: the padding length byte flips → padding fails.
        case badPadding
        /// Both.
        case both
        /// A ciphertext length that is not a multiple of the block size.
        case notBlockMultiple
        var testDescription: String { rawValue }

        func apply(_ record: [UInt8]) -> [UInt8] {
            var r = record
            switch self {
            case .badMAC: r[5] ^= 0x10
            case .badPadding: r[r.count - 9] ^= 0x01
            case .both: r[5] ^= 0x10; r[r.count - 9] ^= 0x01
            case .notBlockMultiple:
                r.removeLast(3)
                r[3] = UInt8((r.count - 5) >> 8); r[4] = UInt8((r.count - 5) & 0xFF)
            }
            return r
        }
    }

    /// The server's error and output after a damaged record.
    static func serverAfter(_ damage: Damage?) throws -> (TLSError?, [UInt8], [UInt8]) {
        // 24 bytes + 20 MAC → 48 with 4 padding bytes of value 3 (RFC 2246 §6.2.3.2).
        var (pair, record) = try establishedWithRecord([UInt8](repeating: 0x44, count: 24))
        #expect(record.count == 5 + 48)
        pair.server.receive(damage?.apply(record) ?? record)
        var data: [UInt8] = []
        do {
            while let e = try pair.server.nextEvent() { if case .applicationData(let d) = e { data += d } }
            return (nil, pair.server.takeOutput(), data)
        } catch {
            return (error, pair.server.takeOutput(), data)
        }
    }

    @Test func anUndamagedRecordOpens() throws {
        let (error, _, data) = try Self.serverAfter(nil)
        #expect(error == nil)
        #expect(data == [UInt8](repeating: 0x44, count: 24))
    }

    @Test(arguments: Damage.allCases)
    func badPaddingAndBadMACLookTheSame(_ damage: Damage) throws {
        let (refError, refOutput, refData) = try Self.serverAfter(.badMAC)
        #expect(refError?.alert == .badRecordMAC && refError?.isPeerAlert == false)
        #expect(refData.isEmpty)
        // One encrypted alert record (the server's write state is 3DES): 5 + 2 + 20 MAC + padding to 8.
        #expect(refOutput.count == 5 + 24 && refOutput.prefix(3) == [21, 3, 1])
        let (error, output, data) = try Self.serverAfter(damage)
        #expect(error?.alert == refError?.alert)
        #expect(error?.code == refError?.code)
        #expect(output == refOutput, "the alert bytes differ")
        #expect(data.isEmpty)
    }
}
