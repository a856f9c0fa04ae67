import Testing
@testable import X509

/// RFC 4514 printing and RFC 5280 §7.1 matching of names.
@Suite struct DistinguishedNameTests {
    func name(_ pairs: [(ASN1ObjectIdentifier, ASN1String)]) -> DistinguishedName {
        DistinguishedName(pairs.map { DistinguishedName.Attribute($0.0, $0.1) })
    }

    @Test func matchingFoldsCaseWhitespaceAndStringType() throws {
        let a = name([(.countryName, ASN1String(.printable, "US")), (.commonName, ASN1String(.printable, "Good  CA"))])
        let b = name([(.countryName, ASN1String(.printable, "us")), (.commonName, ASN1String(.utf8, " good ca "))])
        let c = name([(.commonName, ASN1String(.printable, "Good CA")), (.countryName, ASN1String(.printable, "US"))])
        let d = name([(.countryName, ASN1String(.printable, "US")), (.commonName, ASN1String(.printable, "Good CA2"))])
        #expect(a.matches(b) && a == b && a.hashValue == b.hashValue)
        #expect(!a.matches(c))  // RDN order matters
        #expect(!a.matches(d))
        #expect(name([(.commonName, ASN1String(.utf8, "ÉCOLE"))]).matches(name([(.commonName, ASN1String(.bmp, "école"))])))
        // Encoding and re-parsing keeps the name.
        #expect(try DistinguishedName(DER.parse(a.encodedBytes)) == a)
        #expect(try DistinguishedName(DER.parse(a.encodedBytes)).encodedBytes == a.encodedBytes)
    }

    @Test func multiValuedRDNsCompareAsSets() {
        let x = DistinguishedName.Attribute(.organizationalUnitName, ASN1String(.utf8, "Unit"))
        let y = DistinguishedName.Attribute(.commonName, ASN1String(.utf8, "Name"))
        #expect(DistinguishedName(rdns: [[x, y]]).matches(DistinguishedName(rdns: [[y, x]])))
        #expect(!DistinguishedName(rdns: [[x, y]]).matches(DistinguishedName(rdns: [[x], [y]])))
        #expect(DistinguishedName(rdns: [[x, y]]).description == "CN=Name+OU=Unit")
    }

    @Test func rfc4514Escaping() {
        let n = name([
            (.organizationName, ASN1String(.utf8, "Acme, Inc.")),
            (.commonName, ASN1String(.utf8, " #lead+trail ")),
            ([1, 2, 3, 4], ASN1String(.utf8, "#x")),
        ])
        // Only a first '#' and first or last spaces are escaped (RFC 4514 §2.4).
        #expect(n.description == "1.2.3.4=\\#x,CN=\\ #lead\\+trail\\ ,O=Acme\\, Inc.")
        #expect(n.opensslDescription == "O = \"Acme, Inc.\", CN = \" #lead+trail \", 1.2.3.4 = \"#x\"")
        let odd = name([(.commonName, ASN1String(.utf8, "a\"b\\cé\u{1}"))])
        #expect(odd.opensslDescription == "CN = a\\\"b\\\\c\\C3\\A9\\01")
    }
}
