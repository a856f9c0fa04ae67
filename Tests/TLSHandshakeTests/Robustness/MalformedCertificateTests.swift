import CryptoPrimitives
import TLSRecord
import Testing
import X509
@testable import TLSHandshake

/// Certificates with every field broken (issue 8 §2). Every DER element of the server's
/// certificate (outer structure, every tbsCertificate field, every extension, the signature)
/// is damaged in place — tag changed, length ±1, length set to its maximum, first content
/// byte flipped — and the result is presented in the server's Certificate message. The
/// client must refuse every one with a fatal alert and close; X509 alone must refuse every
/// one either when parsing or when validating the path. Then semantically broken but
/// properly signed certificates (expired, not yet valid, unknown critical extension, CA
/// flag missing on the issuer, wrong name) get the alert their failure calls for.
@Suite struct MalformedCertificateTests {
    /// One DER element: where its tag, length and content are.
    struct Element {
        var tagOffset: Int
        var lengthOffset: Int
        var lengthWidth: Int
        var contentOffset: Int
        var contentLength: Int
        var constructed: Bool
    }

    /// Every element of a DER document, depth first (single-byte tags; definite lengths).
    static func elements(_ der: [UInt8], from start: Int = 0, to end: Int? = nil) -> [Element] {
        var out: [Element] = []
        var p = start
        let end = end ?? der.count
        while p + 2 <= end {
            let tag = der[p]
            var width = 1
            var length = Int(der[p + 1])
            if length & 0x80 != 0 {
                let n = length & 0x7F
                guard n >= 1, n <= 3, p + 2 + n <= end else { return out }
                length = (0..<n).reduce(0) { $0 << 8 | Int(der[p + 2 + $1]) }
                width = 1 + n
            }
            let content = p + 1 + width
            guard content + length <= end else { return out }
            let e = Element(
                tagOffset: p, lengthOffset: p + 1, lengthWidth: width, contentOffset: content, contentLength: length,
                constructed: tag & 0x20 != 0)
            out.append(e)
            // BIT STRING / OCTET STRING wrapping DER (extension values, the public key) are walked too.
            if e.constructed {
                out += elements(der, from: content, to: content + length)
            } else if tag == 0x04, length >= 2, der[content] == 0x30 {
                out += elements(der, from: content, to: content + length)
            }
            p = content + length
        }
        return out
    }

    /// Size-preserving damage to one element.
    static func damages(_ der: [UInt8], _ e: Element) -> [(String, [UInt8])] {
        var out: [(String, [UInt8])] = []
        var t = der
        t[e.tagOffset] = der[e.tagOffset] == 0x05 ? 0x04 : (der[e.tagOffset] & 0x20 != 0 ? der[e.tagOffset] ^ 0x20 : 0x05)
        out.append(("tag", t))
        let last = e.lengthOffset + e.lengthWidth - 1
        if der[last] < 0xFF { var p = der; p[last] += 1; out.append(("length+1", p)) }
        if der[last] > 0 && !(e.lengthWidth > 1 && der[last] == 0 && der[last - 1] == 0) {
            var m = der; m[last] -= 1; out.append(("length-1", m))
        }
        var x = der
        if e.lengthWidth == 1 { x[e.lengthOffset] = 0xFF } else { for k in 1..<e.lengthWidth { x[e.lengthOffset + k] = 0xFF } }
        out.append(("length max", x))
        if e.contentLength > 0 && !e.constructed {
            var c = der; c[e.contentOffset] ^= 0x80; out.append(("content", c))
        }
        return out
    }

    static func validator(_ pki: HandshakePKI) throws -> PathValidator {
        PathValidator(trustStore: TrustStore([pki.root]), policy: try VerificationPolicy(secondsSince1970: HandshakePKI.now))
    }

    /// The client after ServerHello, and the server's Certificate message split around the leaf.
    static func clientAwaitingCertificate() throws -> (TLSConnection, prefix: [UInt8], leaf: [UInt8], suffix: [UInt8], rest: [[UInt8]]) {
        let (toClient, _) = try MalformedHandshakeTests.plaintextMessages()
        let client = try MalformedHandshakeTests.receiver(toServer: false, before: 1, toClient)
        let certificate = toClient[1]
        #expect(certificate[0] == 11)
        let leafLength = Int(certificate[7]) << 16 | Int(certificate[8]) << 8 | Int(certificate[9])
        let leaf = Array(certificate[10..<(10 + leafLength)])
        return (client, Array(certificate[..<10]), leaf, Array(certificate[(10 + leafLength)...]), Array(toClient[2...]))
    }

    static let certificateAlerts: Set<AlertDescription> = [
        .badCertificate, .unsupportedCertificate, .certificateExpired, .certificateUnknown, .unknownCA, .decodeError,
        .illegalParameter, .insufficientSecurity,
    ]

    /// Presents `leaf` in the Certificate message (plus the rest of the flight); returns the alert.
    static func presented(_ leaf: [UInt8]) throws -> AlertDescription? {
        var (client, prefix, original, suffix, rest) = try clientAwaitingCertificate()
        #expect(leaf.count == original.count)
        var flight = MalformedHandshakeTests.record(22, prefix + leaf + suffix)
        for m in rest { flight += MalformedHandshakeTests.record(22, m) }
        switch MalformedHandshakeTests.feed(&client, flight) {
        case .failed(let alert): return alert
        case .progressed, .waiting: return nil
        }
    }

    @Test func everyElementOfTheServerCertificateBroken() throws {
        let pki = try HandshakePKI.shared.get()
        let validator = try Self.validator(pki)
        let leaf = try Self.clientAwaitingCertificate().leaf
        #expect(leaf == pki.server.derBytes)
        #expect(try presentedOriginalIsAccepted(leaf))
        let elements = Self.elements(leaf)
        #expect(elements.count > 40, "\(elements.count) elements")
        var cases = 0, parseFailures = 0, validationFailures = 0
        var wrongAlerts: [String] = []
        for (i, e) in elements.enumerated() {
            for (name, broken) in Self.damages(leaf, e) {
                cases += 1
                // X509 alone: parse or validation fails.
                if let cert = try? Certificate(derEncoded: broken) {
                    do {
                        _ = try validator.validate([cert])
                        Issue.record("element \(i) (tag \(leaf[e.tagOffset]) at \(e.tagOffset)) \(name): the broken certificate validates")
                    } catch {
                        validationFailures += 1
                    }
                } else {
                    parseFailures += 1
                }
                // The TLS client: a certificate alert, connection closed.
                let alert = try Self.presented(broken)
                if alert == nil || !Self.certificateAlerts.contains(alert ?? .closeNotify) {
                    wrongAlerts.append("element \(i) at \(e.tagOffset) \(name): \(String(describing: alert))")
                }
            }
        }
        #expect(cases > 150)
        #expect(parseFailures + validationFailures == cases)
        #expect(wrongAlerts.isEmpty, "\(wrongAlerts.prefix(10))")
        print("broken certificates: \(cases) cases over \(elements.count) elements; \(parseFailures) refused by the parser, \(validationFailures) by path validation")
    }

    func presentedOriginalIsAccepted(_ leaf: [UInt8]) throws -> Bool {
        var (client, prefix, _, suffix, rest) = try Self.clientAwaitingCertificate()
        var flight = MalformedHandshakeTests.record(22, prefix + leaf + suffix)
        for m in rest { flight += MalformedHandshakeTests.record(22, m) }
        return MalformedHandshakeTests.feed(&client, flight) == .progressed
    }

    /// Properly signed certificates whose content is wrong, presented by a real server.
    @Test(arguments: ["expired", "not yet valid", "unknown critical extension", "issuer not a CA", "wrong host name", "untrusted root"])
    func semanticallyBrokenCertificatesGetTheirAlert(_ kind: String) throws {
        let pki = try HandshakePKI.shared.get()
        let valid = Validity(notBefore: HandshakePKI.time(2020), notAfter: HandshakePKI.time(2040))
        var chain: [Certificate]
        var expected: Set<AlertDescription>
        func server(_ b: CertificateBuilder, by issuer: Certificate, key: RSAPrivateKey) throws -> Certificate {
            try b.signed(by: issuer, key: key)
        }
        let base = CertificateBuilder.tlsServer(
            subject: HandshakePKI.name("localhost"), publicKey: pki.serverKey.publicKey, serialNumber: [0x40], validity: valid,
            dnsNames: ["localhost"])
        switch kind {
        case "expired":
            chain = [pki.expiredServer]
            expected = [.certificateExpired]
        case "not yet valid":
            var b = base
            b.validity = Validity(notBefore: HandshakePKI.time(2030), notAfter: HandshakePKI.time(2040))
            chain = [try server(b, by: pki.root, key: pki.rootKey)]
            expected = [.certificateExpired, .badCertificate]
        case "unknown critical extension":
            var b = base
            b.setExtension(ASN1ObjectIdentifier(arcs: [1, 3, 6, 1, 4, 1, 99999, 1]), critical: true, [0x05, 0x00])
            chain = [try server(b, by: pki.root, key: pki.rootKey)]
            expected = [.unsupportedCertificate, .badCertificate]
        case "issuer not a CA":
            // A leaf signed by another leaf (the client certificate's key signs).
            let fakeCA = pki.client
            chain = [try server(base, by: fakeCA, key: pki.clientKey), fakeCA]
            expected = [.badCertificate, .unknownCA, .certificateUnknown]
        case "wrong host name":
            let b = CertificateBuilder.tlsServer(
                subject: HandshakePKI.name("other.example"), publicKey: pki.serverKey.publicKey, serialNumber: [0x41],
                validity: valid, dnsNames: ["other.example"])
            chain = [try server(b, by: pki.root, key: pki.rootKey)]
            expected = [.badCertificate, .certificateUnknown]
        default:
            chain = [pki.untrustedServer]
            expected = [.unknownCA]
        }
        var pair = EnginePair(
            client: try TLSConnection(client: pki.clientConfig(), serverName: "localhost"),
            server: try TLSConnection(server: pki.serverConfig(chain: chain)))
        pair.run()
        let error = try #require(pair.clientError)
        #expect(!error.isPeerAlert)
        #expect(expected.contains(error.alert ?? .closeNotify), "\(kind): \(error)")
        #expect(pair.client.isClosed)
        #expect(pair.serverError?.isPeerAlert == true, "the server saw the client's alert")
    }
}
