import TLSRecord
import Testing
@testable import TLSHandshake

/// Strict encoding and decoding of every handshake message (RFC 2246 §7.4): round trips,
/// truncation at every byte, and every length field off by one are all `decode_error`.
@Suite struct MessageCodingTests {
    /// A sample of each message, with the offsets and widths of its length fields inside
    /// the body, and the body lengths at which a truncated message is still valid (a hello
    /// without its optional extension block).
    struct Sample: CustomStringConvertible, Sendable {
        var name: String
        var message: HandshakeMessage
        var lengthFields: [(offset: Int, width: Int)]
        var validPrefixes: Set<Int> = []
        var description: String { name }
    }

    static let clientHello = ClientHello(
        clientVersion: 0x0303, random: Array(0..<32), sessionID: Array(100..<132), cipherSuites: [0x000A, 0x0009, 0x00FF],
        compressionMethods: [1, 0],
        extensions: HelloExtensions(items: [.extendedMasterSecret, .renegotiationInfo([]), .serverName("pacs.local")]))
    static let serverHello = ServerHello(
        serverVersion: 0x0301, random: Array(32..<64), sessionID: Array(0..<32), cipherSuite: 0x000A, compressionMethod: 0,
        extensions: HelloExtensions(items: [.renegotiationInfo(Array(0..<24)), .extendedMasterSecret]))

    static let samples: [Sample] = [
        // ClientHello: sid len @34; suites len @67; comp len @75; ext block @78; ext lens @82, @86 (+reneg body @88), @91 (+SNI list @93, name @96).
        Sample(name: "ClientHello", message: .clientHello(clientHello),
               lengthFields: [(34, 1), (67, 2), (75, 1), (78, 2), (82, 2), (86, 2), (88, 1), (91, 2), (93, 2), (96, 2)],
               validPrefixes: [78]),
        // ServerHello: sid len @34; ext block @70; reneg len @74, inner @76; EMS len @103.
        Sample(name: "ServerHello", message: .serverHello(serverHello),
               lengthFields: [(34, 1), (70, 2), (74, 2), (76, 1), (103, 2)], validPrefixes: [70]),
        Sample(name: "Certificate", message: .certificate(CertificateMessage(certificates: [Array(repeating: 0x30, count: 40), [1, 2, 3]])),
               lengthFields: [(0, 3), (3, 3), (46, 3)]),
        Sample(name: "CertificateRequest", message: .certificateRequest(CertificateRequest(
            certificateTypes: [1], certificateAuthorities: [Array(repeating: 0x31, count: 20), [0x30, 0]])),
               lengthFields: [(0, 1), (2, 2), (4, 2), (26, 2)]),
        Sample(name: "ClientKeyExchange", message: .clientKeyExchange(ClientKeyExchange(encryptedPreMasterSecret: Array(repeating: 9, count: 128))),
               lengthFields: [(0, 2)]),
        Sample(name: "CertificateVerify", message: .certificateVerify(CertificateVerify(signature: Array(repeating: 7, count: 128))),
               lengthFields: [(0, 2)]),
        Sample(name: "Finished", message: .finished(Finished(verifyData: Array(0..<12))), lengthFields: []),
        Sample(name: "HelloRequest", message: .helloRequest, lengthFields: []),
        Sample(name: "ServerHelloDone", message: .serverHelloDone, lengthFields: []),
    ]

    /// A message from a body, with a correct 4-byte header.
    static func framed(_ type: UInt8, _ body: [UInt8]) -> [UInt8] {
        [type, UInt8(body.count >> 16), UInt8((body.count >> 8) & 0xFF), UInt8(body.count & 0xFF)] + body
    }

    static func isDecodeError(_ bytes: [UInt8]) -> Bool {
        do {
            _ = try HandshakeMessage.decode(bytes)
            return false
        } catch {
            return error.alert == .decodeError
        }
    }

    @Test func everyMessageTypeIsSampled() {
        #expect(Self.samples.count == 9)
    }

    @Test(arguments: samples)
    func roundTrip(_ s: Sample) throws {
        let bytes = s.message.encoded()
        let decoded = try HandshakeMessage.decode(bytes)
        #expect(decoded.encoded() == bytes)
        #expect(decoded.type == s.message.type)
    }

    @Test(arguments: samples)
    func truncationAtEveryByteIsDecodeError(_ s: Sample) {
        let bytes = s.message.encoded()
        let body = Array(bytes.dropFirst(4))
        for k in 0..<body.count where !s.validPrefixes.contains(k) {
            #expect(Self.isDecodeError(Self.framed(bytes[0], Array(body[0..<k]))), "\(s.name) body cut at \(k)")
        }
        // Cutting the outer frame is also a decode error.
        for k in 0..<bytes.count {
            #expect(Self.isDecodeError(Array(bytes[0..<k])), "\(s.name) frame cut at \(k)")
        }
        // One trailing byte too many, inside the frame.
        #expect(Self.isDecodeError(Self.framed(bytes[0], body + [0])), "\(s.name) trailing byte")
    }

    @Test(arguments: samples)
    func everyLengthOffByOneIsDecodeError(_ s: Sample) {
        let bytes = s.message.encoded()
        let body = Array(bytes.dropFirst(4))
        for (offset, width) in s.lengthFields {
            var value = 0
            for i in 0..<width { value = value << 8 | Int(body[offset + i]) }
            for delta in [-1, 1] where value + delta >= 0 {
                var changed = body
                let v = value + delta
                for i in 0..<width { changed[offset + i] = UInt8((v >> (8 * (width - 1 - i))) & 0xFF) }
                #expect(Self.isDecodeError(Self.framed(bytes[0], changed)), "\(s.name) length @\(offset) \(delta > 0 ? "+1" : "-1")")
            }
        }
        // The outer 24-bit length off by one.
        var longer = bytes
        longer[3] &+= 1
        #expect(Self.isDecodeError(longer))
        if body.count > 0 {
            var shorter = bytes
            shorter[3] &-= 1
            #expect(Self.isDecodeError(shorter))
        }
    }

    @Test func lengthFieldOffsetsPointAtLengths() throws {
        // Guards the table above: each listed field holds the length of what follows it.
        let ch = Array(HandshakeMessage.clientHello(Self.clientHello).encoded().dropFirst(4))
        #expect(ch[34] == 32 && ch[67] == 0 && ch[68] == 6 && ch[75] == 2 && ch[86] == 0 && ch[87] == 1)
        let sh = Array(HandshakeMessage.serverHello(Self.serverHello).encoded().dropFirst(4))
        #expect(sh[34] == 32 && sh[74] == 0 && sh[75] == 25 && sh[76] == 24)
    }

    @Test func duplicateExtensionsAreDecodeErrors() {
        var hello = Self.clientHello
        hello.extensions.items.append(.extendedMasterSecret)
        #expect(Self.isDecodeError(HandshakeMessage.clientHello(hello).encoded()))
    }

    /// Past 16 extensions duplicates are found by a set instead of a scan: a duplicate far
    /// down a long list, and of an early entry, is still refused; distinct ones still pass.
    @Test func duplicateExtensionsInALongListAreDecodeErrors() {
        var hello = Self.clientHello
        hello.extensions.items = (0..<40).map { HelloExtension(type: ExtensionType(rawValue: UInt16(0x1000 + $0)), data: []) }
        #expect(!Self.isDecodeError(HandshakeMessage.clientHello(hello).encoded()))
        for duplicate in [UInt16(0x1000), 0x1010, 0x1027] {
            var long = hello
            long.extensions.items.append(HelloExtension(type: ExtensionType(rawValue: duplicate), data: []))
            #expect(Self.isDecodeError(HandshakeMessage.clientHello(long).encoded()), "0x\(String(duplicate, radix: 16))")
        }
    }

    /// The accepted-type set: members as listed, nothing else, and no type at or above 32
    /// (an unknown type from the wire) ever a member.
    @Test func handshakeTypeSetMembership() {
        let set: HandshakeTypeSet = [.helloRequest, .finished]
        #expect(set.contains(.helloRequest) && set.contains(.finished))
        #expect(!set.contains(.clientHello) && !set.contains(HandshakeType(rawValue: 32)) && !set.contains(HandshakeType(rawValue: 255)))
        #expect(set.members == [.helloRequest, .finished])
        let withUnknown: HandshakeTypeSet = [HandshakeType(rawValue: 200)]
        #expect(withUnknown.isEmpty && !withUnknown.contains(HandshakeType(rawValue: 200)))
    }

    @Test func oddCipherSuiteLengthAndEmptyListsAreDecodeErrors() {
        var hello = Self.clientHello
        hello.cipherSuites = []
        #expect(Self.isDecodeError(HandshakeMessage.clientHello(hello).encoded()))
        hello = Self.clientHello
        hello.compressionMethods = []
        #expect(Self.isDecodeError(HandshakeMessage.clientHello(hello).encoded()))
        var cke = HandshakeMessage.clientKeyExchange(ClientKeyExchange(encryptedPreMasterSecret: [])).encoded()
        #expect(Self.isDecodeError(cke))
        cke = Self.framed(16, [0, 3, 1, 2, 3])
        #expect(!Self.isDecodeError(cke))
    }

    @Test func unknownHandshakeTypeIsUnexpectedMessage() {
        do {
            _ = try HandshakeMessage.decode(Self.framed(12, []))  // ServerKeyExchange: never with RSA
            Issue.record("ServerKeyExchange was accepted")
        } catch {
            #expect(error.alert == .unexpectedMessage)
        }
    }

    @Test func sslv2ClientHelloIsConverted() throws {
        // RFC 2246 Appendix E.1: version 3.1, one TLS suite (00 00 0A), one SSLv2 suite, 16-byte challenge.
        let challenge = Array(UInt8(1)...UInt8(16))
        let body: [UInt8] = [1, 3, 1, 0, 6, 0, 0, 0, 16] + [0, 0, 0x0A, 0x07, 0x00, 0xC0] + challenge
        let record = [0x80 | UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
        #expect(SSLv2ClientHello.looksLikeSSLv2(record))
        let v2 = try #require(try SSLv2ClientHello.decode(record))
        #expect(v2.hello.cipherSuites == [0x000A])
        #expect(v2.hello.random == [UInt8](repeating: 0, count: 16) + challenge)
        #expect(v2.transcriptBytes == body && v2.consumed == record.count)
        #expect(try SSLv2ClientHello.decode(Array(record.dropLast())) == nil)
        var bad = record
        bad[6] = 5  // cipher_spec_length not a multiple of 3
        #expect(throws: TLSError.self) { _ = try SSLv2ClientHello.decode(bad) }
    }
}
