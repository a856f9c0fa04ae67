import Testing
@testable import X509

/// The typed decoders for primitive types and their DER rules.
@Suite struct DERPrimitiveTests {
    func node(_ bytes: [UInt8]) throws -> ASN1Node { try DER.parse(bytes) }

    @Test func integers() throws {
        #expect(try node([0x02, 0x01, 0x00]).integerValue() == 0)
        #expect(try node([0x02, 0x01, 0xFF]).integerValue() == -1)
        #expect(try node([0x02, 0x02, 0x00, 0x80]).integerValue() == 128)
        #expect(try node([0x02, 0x02, 0xFF, 0x7F]).integerValue() == -129)
        #expect(try Array(node([0x02, 0x02, 0x00, 0x80]).unsignedIntegerBytes()) == [0x80])
        #expect(throws: X509Error(.invalidInteger, "")) { try node([0x02, 0x02, 0x00, 0x05]).integerBytes() }
        #expect(throws: X509Error(.invalidInteger, "")) { try node([0x02, 0x02, 0xFF, 0x80]).integerBytes() }
        #expect(throws: X509Error(.invalidInteger, "")) { try node([0x02, 0x00]).integerBytes() }
        #expect(throws: X509Error(.invalidInteger, "")) { try node([0x02, 0x01, 0x80]).unsignedIntegerBytes() }
        #expect(throws: X509Error(.invalidInteger, "")) { try node([0x02, 0x09, 1, 0, 0, 0, 0, 0, 0, 0, 0]).integerValue() }
        #expect(throws: X509Error(.unexpectedTag, "")) { try node([0x04, 0x01, 0x00]).integerValue() }
    }

    @Test func booleansNullsAndBitStrings() throws {
        #expect(try node([0x01, 0x01, 0x00]).booleanValue() == false)
        #expect(throws: X509Error(.invalidPrimitive, "")) { try node([0x01, 0x01, 0x01]).booleanValue() }
        #expect(throws: X509Error(.invalidPrimitive, "")) { try node([0x05, 0x01, 0x00]).nullValue() }
        let bits = try node([0x03, 0x02, 0x05, 0xA0]).bitString()
        #expect(bits.bitCount == 3 && bits.bit(0) && !bits.bit(1) && bits.bit(2) && !bits.bit(3))
        #expect(throws: X509Error(.invalidPrimitive, "")) { try node([0x03, 0x02, 0x05, 0xA1]).bitString() }
        #expect(throws: X509Error(.invalidPrimitive, "")) { try node([0x03, 0x01, 0x01]).bitString() }
        #expect(throws: X509Error(.invalidPrimitive, "")) { try node([0x03, 0x02, 0x08, 0x00]).bitString() }
        // DER forbids the constructed form of string types.
        #expect(throws: X509Error(.unexpectedTag, "")) { try node([0x24, 0x03, 0x04, 0x01, 0x00]).octetString() }
    }

    @Test func objectIdentifiers() throws {
        // sha256WithRSAEncryption, RFC 4055 §5.
        let oid = try node([0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B]).objectIdentifier()
        #expect(oid.description == "1.2.840.113549.1.1.11")
        #expect(ASN1ObjectIdentifier(dotted: "1.2.840.113549.1.1.11") == oid)
        #expect(ASN1ObjectIdentifier(dotted: "2.999.3")?.encodedContent == [0x88, 0x37, 0x03])
        #expect(try node([0x06, 0x03, 0x88, 0x37, 0x03]).objectIdentifier().description == "2.999.3")
        #expect(ASN1ObjectIdentifier(dotted: "1..2") == nil)
        #expect(ASN1ObjectIdentifier(dotted: "1.40") == nil)
        #expect(throws: X509Error(.invalidObjectIdentifier, "")) { try node([0x06, 0x02, 0x2A, 0x80]).objectIdentifier() }
        #expect(throws: X509Error(.invalidObjectIdentifier, "")) { try node([0x06, 0x02, 0x80, 0x01]).objectIdentifier() }
        #expect(throws: X509Error(.invalidObjectIdentifier, "")) { try node([0x06, 0x00]).objectIdentifier() }
        let huge: [UInt8] = [0x06, 0x0B, 0x2A] + [UInt8](repeating: 0xFF, count: 9) + [0x7F]
        #expect(throws: X509Error(.invalidObjectIdentifier, "")) { try node(huge).objectIdentifier() }
    }

    @Test func times() throws {
        func t(_ tag: UInt8, _ s: String) throws -> ASN1Time {
            try node([tag, UInt8(s.utf8.count)] + Array(s.utf8)).time()
        }
        #expect(try t(0x17, "491231235959Z").description == "2049-12-31T23:59:59Z")
        #expect(try t(0x17, "500101000000Z").description == "1950-01-01T00:00:00Z")
        #expect(try t(0x18, "20500101000000Z").year == 2050)
        #expect(try t(0x17, "700101000000Z").secondsSince1970 == 0)
        #expect(try t(0x18, "20000229120000Z").secondsSince1970 == 951_825_600)
        for bad in ["0001010000Z", "000101000000", "000101000000+0100", "000230000000Z", "001301000000Z", "000101240000Z"] {
            #expect(throws: X509Error(.invalidTime, ""), "\(bad)") { try t(0x17, bad) }
        }
        for bad in ["20000101000000.5Z", "2000010100000Z", "20010229000000Z", "200001010000Z"] {
            #expect(throws: X509Error(.invalidTime, ""), "\(bad)") { try t(0x18, bad) }
        }
        let back = ASN1Time(secondsSince1970: -1)
        #expect(back?.description == "1969-12-31T23:59:59Z")
    }

    @Test func strings() throws {
        #expect(try node([0x13, 0x02, 0x41, 0x42]).string() == ASN1String(.printable, "AB"))
        #expect(throws: X509Error(.invalidString, "")) { try node([0x13, 0x01, 0x40]).string() }
        #expect(throws: X509Error(.invalidString, "")) { try node([0x16, 0x01, 0xC3]).string() }
        #expect(throws: X509Error(.invalidString, "")) { try node([0x0C, 0x01, 0xC3]).string() }
        #expect(try node([0x0C, 0x02, 0xC3, 0xA9]).string().value == "é")
        #expect(try node([0x1E, 0x02, 0x00, 0xE9]).string().value == "é")
        #expect(throws: X509Error(.invalidString, "")) { try node([0x1E, 0x02, 0xD8, 0x00]).string() }
        #expect(try node([0x14, 0x01, 0xE9]).string().value == "é")
        #expect(try node([0x1C, 0x04, 0x00, 0x01, 0xF6, 0x00]).string().value == "😀")
    }

    @Test func writerRoundTrip() throws {
        var w = DERWriter()
        w.sequence { w in
            w.integer(0)
            w.integer(-129)
            w.integer(65_537)
            w.unsignedInteger([0x00, 0x00, 0x80, 0x01])
            w.boolean(true)
            w.null()
            w.objectIdentifier([1, 2, 840, 113_549, 1, 1, 11])
            w.namedBits([0, 5, 6])
            w.string(ASN1String(.bmp, "ok😀"))
            w.time(ASN1Time(year: 2049, month: 12, day: 31) ?? ASN1Time(year: 1970, month: 1, day: 1)!)
            w.time(ASN1Time(year: 2050, month: 1, day: 1) ?? ASN1Time(year: 1970, month: 1, day: 1)!)
            w.explicit(3) { $0.octetString([UInt8](repeating: 7, count: 300)) }
        }
        var r = try DER.parse(w.bytes).children()
        #expect(try r.read(.integer, "").integerValue() == 0)
        #expect(try r.read(.integer, "").integerValue() == -129)
        #expect(try r.read(.integer, "").integerValue() == 65_537)
        #expect(try Array(r.read(.integer, "").unsignedIntegerBytes()) == [0x80, 0x01])
        #expect(try r.read(.boolean, "").booleanValue())
        try r.read(.null, "").nullValue()
        #expect(try r.read(.objectIdentifier, "").objectIdentifier().description == "1.2.840.113549.1.1.11")
        let bits = try r.read(.bitString, "").bitString()
        #expect(bits.bitCount == 7 && bits.bit(0) && bits.bit(5) && bits.bit(6) && !bits.bit(1))
        #expect(try r.read(.bmpString, "").string().value == "ok😀")
        #expect(try r.read(.utcTime, "").time().year == 2049)
        #expect(try r.read(.generalizedTime, "").time().year == 2050)
        var inner = try r.read(.contextSpecific(3, constructed: true), "").children()
        #expect(try inner.read(.octetString, "").octetString().count == 300)
        try inner.finish()
        try r.finish()
    }
}
