import Testing
import TestSupport
@testable import X509

/// RFC 5280 §4.2.1.10 matching for each name form, beyond what PKITS 4.13 covers
/// (iPAddress, leading-period DNS bases, URI hosts, excluded subtrees, unprocessed forms).
/// The certificates are unsigned: only their names are looked at.
@Suite struct NameConstraintsTests {
    typealias S = NameConstraints.Subtree

    static func certificate(subject: DistinguishedName = DistinguishedName([]), names: [GeneralName]?) throws -> Certificate {
        var extensions: [[UInt8]] = []
        if let names {
            var w = DERWriter()
            w.sequence { w in for n in names { n.write(to: &w) } }
            extensions.append(Extension(oid: .subjectAltName, isCritical: false, value: w.bytes).encodedForTest)
        }
        let der = ReviewCertificates.cert(ReviewCertificates.tbs(
            1, issuer: ReviewCertificates.name("CA"), subject: subject.encodedBytes,
            spki: ReviewCertificates.spkiRSA(ReviewCertificates.modulus(3, shift: 8)),
            extensions: extensions.isEmpty ? nil : extensions))
        return try Certificate(derEncoded: der)
    }

    static func allowed(_ names: [GeneralName], subject: DistinguishedName = DistinguishedName([]),
                        permitted: [S] = [], excluded: [S] = []) throws -> Bool {
        var check = NameConstraintsCheck()
        check.add(NameConstraints(permitted: permitted, excluded: excluded))
        var cost = PathSearchCost()
        return check.violation(try certificate(subject: subject, names: names.isEmpty ? nil : names), isEndEntity: true, cost: &cost) == nil
    }

    @Test func dnsNames() throws {
        let p: [S] = [.dnsName("example.org")]
        #expect(try Self.allowed([.dnsName("example.org")], permitted: p))
        #expect(try Self.allowed([.dnsName("PACS.Example.ORG.")], permitted: p))
        #expect(try !Self.allowed([.dnsName("evilexample.org")], permitted: p))  // label boundary
        #expect(try !Self.allowed([.dnsName("example.org.evil.com")], permitted: p))
        #expect(try Self.allowed([.dnsName("a.example.org")], permitted: [.dnsName(".example.org")]))
        #expect(try !Self.allowed([.dnsName("example.org")], permitted: [.dnsName(".example.org")]))
        #expect(try !Self.allowed([.dnsName("x.bad.example.org")], permitted: p, excluded: [.dnsName("bad.example.org")]))
        // Names of other forms are not restricted by DNS subtrees.
        #expect(try Self.allowed([.email("a@b.com")], permitted: p))
        // Every name must pass: one outside is enough to refuse.
        #expect(try !Self.allowed([.dnsName("a.example.org"), .dnsName("evil.com")], permitted: p))
    }

    /// Without a dNSName, host-name matching uses the commonName: so do DNS constraints.
    @Test func commonNameOfAnEndEntityWithoutDNSNames() throws {
        let p: [S] = [.dnsName("example.org")]
        #expect(try !Self.allowed([], subject: DistinguishedName([.commonName("evil.com")]), permitted: p))
        #expect(try Self.allowed([], subject: DistinguishedName([.commonName("pacs.example.org")]), permitted: p))
        #expect(try Self.allowed([], subject: DistinguishedName([.commonName("Modality 1")]), permitted: p))  // not a host name
        #expect(try Self.allowed([.dnsName("a.example.org")], subject: DistinguishedName([.commonName("evil.com")]), permitted: p))
        var check = NameConstraintsCheck()
        check.add(NameConstraints(permitted: p, excluded: []))
        var cost = PathSearchCost()
        let ca = try Self.certificate(subject: DistinguishedName([.commonName("ca.other.net")]), names: nil)
        #expect(check.violation(ca, isEndEntity: false, cost: &cost) == nil)
    }

    @Test func ipAddresses() throws {
        let net: S = .ipAddress(address: [10, 1, 0, 0], mask: [255, 255, 0, 0])
        #expect(try Self.allowed([.ipAddress([10, 1, 200, 3])], permitted: [net]))
        #expect(try !Self.allowed([.ipAddress([10, 2, 0, 1])], permitted: [net]))
        #expect(try !Self.allowed([.ipAddress([UInt8](repeating: 0, count: 15) + [1])], permitted: [net]))  // IPv6 outside IPv4 ranges
        let v6: S = .ipAddress(address: [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 12),
                               mask: [UInt8](repeating: 0xFF, count: 4) + [UInt8](repeating: 0, count: 12))
        #expect(try Self.allowed([.ipAddress([0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 7, count: 12))], permitted: [v6]))
        #expect(try !Self.allowed([.ipAddress([127, 0, 0, 1])], excluded: [.ipAddress(address: [127, 0, 0, 0], mask: [255, 0, 0, 0])]))
    }

    @Test func mailboxes() throws {
        #expect(try Self.allowed([.email("ann@host.example")], permitted: [.email("host.example")]))
        #expect(try !Self.allowed([.email("ann@sub.host.example")], permitted: [.email("host.example")]))
        #expect(try Self.allowed([.email("ann@sub.host.example")], permitted: [.email(".host.example")]))
        #expect(try Self.allowed([.email("ann@HOST.example")], permitted: [.email("ann@host.example")]))
        #expect(try !Self.allowed([.email("bob@host.example")], permitted: [.email("ann@host.example")]))
        #expect(try !Self.allowed([.email("no-at-sign")], permitted: [.email("host.example")]))
        // Without subjectAltName, emailAddress attributes of the subject are rfc822Names.
        let subject = DistinguishedName([.commonName("x"), .init(.emailAddress, ASN1String(.ia5, "eve@evil.example"))])
        #expect(try !Self.allowed([], subject: subject, permitted: [.email("host.example")]))
    }

    @Test func uriHosts() throws {
        #expect(try Self.allowed([.uri("https://pacs.example:443/wado?x=1")], permitted: [.uri("pacs.example")]))
        #expect(try Self.allowed([.uri("ldap://user@a.pacs.example/")], permitted: [.uri(".pacs.example")]))
        #expect(try !Self.allowed([.uri("https://evil.example/")], permitted: [.uri("pacs.example")]))
        #expect(try !Self.allowed([.uri("urn:oid:1.2.3")], permitted: [.uri("pacs.example")]))  // no host: fail closed
        #expect(try !Self.allowed([.uri("urn:oid:1.2.3")], excluded: [.uri("evil.example")]))
    }

    @Test func directoryNamesAndUnprocessedForms() throws {
        let base = DistinguishedName([.country("US"), .organization("Acme")])
        let inside = DistinguishedName([.country("US"), .organization("ACME"), .commonName("pacs")])
        let outside = DistinguishedName([.country("US"), .organization("Other"), .commonName("pacs")])
        #expect(try Self.allowed([], subject: inside, permitted: [.directoryName(base)]))
        #expect(try !Self.allowed([], subject: outside, permitted: [.directoryName(base)]))
        #expect(try !Self.allowed([.directoryName(outside)], subject: inside, permitted: [.directoryName(base)]))
        #expect(try !Self.allowed([], subject: inside, excluded: [.directoryName(base)]))
        // A constraint on a form this module does not process refuses names of that form.
        let registeredID = GeneralName.other(tag: 8, encoded: [0x88, 0x01, 0x2A])
        #expect(try !Self.allowed([registeredID], permitted: [.other(tag: 8)]))
        #expect(try Self.allowed([registeredID], permitted: [.dnsName("example.org")]))
    }

    @Test func encodingRoundTripsAndProfileRules() throws {
        let nc = NameConstraints(permitted: [.dnsName("example.org"), .ipAddress(address: [10, 0, 0, 0], mask: [255, 0, 0, 0])],
                                 excluded: [.email(".evil.example")])
        #expect(try NameConstraints(DER.parse(nc.encoded)) == nc)
        // maximum is not used in this profile (RFC 5280 §4.2.1.10).
        let withMaximum: [UInt8] = [0x30, 0x0C, 0xA0, 0x0A, 0x30, 0x08, 0x82, 0x03] + Array("a.b".utf8) + [0x81, 0x01, 0x01]
        #expect(throws: X509Error.self) { try NameConstraints(DER.parse(withMaximum)) }
    }

    @Test func comparisonsAreBounded() throws {
        let names = (0..<600).map { GeneralName.dnsName("h\($0).example.org") }
        let subtrees = (0..<600).map { S.dnsName("d\($0).example.org") }
        var check = NameConstraintsCheck()
        check.add(NameConstraints(permitted: [], excluded: subtrees))
        var cost = PathSearchCost()
        let violation = check.violation(try Self.certificate(names: names), isEndEntity: true, cost: &cost)
        #expect(violation?.contains("comparisons") == true)
        #expect(cost.nameConstraintComparisons <= PathValidator.maximumNameConstraintComparisons)
        #expect(cost.nameConstraintComparisons > PathValidator.maximumNameConstraintComparisons - subtrees.count)
    }
}

extension Extension {
    var encodedForTest: [UInt8] {
        var w = DERWriter()
        write(to: &w)
        return w.bytes
    }
}
