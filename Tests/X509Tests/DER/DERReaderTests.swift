import Testing
import TestSupport
@testable import X509

/// Strictness of the DER reader (X.690 §10): every rule it enforces has a failing input here.
@Suite struct DERReaderTests {
    func code(_ bytes: [UInt8]) -> X509Error.Code? {
        do {
            _ = try DER.parse(bytes)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func acceptsMinimalSequence() throws {
        let node = try DER.parse([0x30, 0x06, 0x02, 0x01, 0x05, 0x01, 0x01, 0xFF])
        var children = try node.children()
        #expect(try children.read(.integer, "a").integerValue() == 5)
        #expect(try children.read(.boolean, "b").booleanValue() == true)
        try children.finish()
    }

    @Test func rejectsNonMinimalLengths() {
        #expect(code([0x02, 0x81, 0x01, 0x05]) == .invalidLength)  // long form for a short length
        #expect(code([0x04, 0x82, 0x00, 0x80] + [UInt8](repeating: 0, count: 128)) == .invalidLength)  // leading zero
        #expect(code([0x04, 0x85, 1, 0, 0, 0, 0]) == .invalidLength)  // absurdly long length field
        #expect(code([0x04, 0xFF]) == .invalidLength)
    }

    @Test func rejectsIndefiniteLength() {
        #expect(code([0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00]) == .invalidLength)
    }

    @Test func rejectsTrailingBytes() throws {
        #expect(code([0x02, 0x01, 0x05, 0x00]) == .trailingBytes)
        let node = try DER.parse([0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x06])
        var children = try node.children()
        _ = try children.read(.integer, "first")
        #expect(throws: X509Error(.trailingBytes, "")) { try children.finish() }
    }

    @Test func rejectsLengthsPastTheEnd() {
        #expect(code([0x30, 0x05, 0x02, 0x01, 0x05]) == .truncated)
        #expect(code([0x30, 0x03, 0x02, 0x05, 0x05]) == .truncated)  // child overruns parent
        #expect(code([0x04, 0x84, 0x7F, 0xFF, 0xFF, 0xFF]) == .truncated)
        #expect(code([]) == .truncated)
    }

    @Test func boundsNestingDepth() {
        func nested(_ levels: Int) -> [UInt8] {
            var bytes: [UInt8] = [0x05, 0x00]
            for _ in 0..<levels { bytes = [0x30, UInt8(bytes.count)] + bytes }
            return bytes
        }
        #expect(code(nested(DERReader.maximumDepth)) == nil)
        #expect(code(nested(DERReader.maximumDepth + 1)) == .nestingTooDeep)
        // A very deep input (long-form lengths) fails cleanly instead of exhausting the stack.
        var deep: [UInt8] = [0x05, 0x00]
        for _ in 0..<5000 {
            let n = deep.count
            deep = [0x30, 0x83, UInt8(n >> 16), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + deep
        }
        #expect(code(deep) != nil)
    }

    @Test func rejectsMalformedTags() {
        #expect(code([0x1F, 0x80, 0x01, 0x00]) == .invalidTag)  // leading zero digit
        #expect(code([0x1F, 0x05, 0x00]) == .invalidTag)  // long form for a small number
        #expect(code([0x1F, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x00]) == .invalidTag)  // too large
        #expect(code([0x9F, 0x1F, 0x00]) == nil)  // [31] in the long form is fine
    }

    @Test func truncationAtEveryByteOfACertificate() throws {
        let cert = Array(try Vectors.data("x509/pkits/certs/GoodCACert.crt"))
        #expect(cert.count > 500)
        #expect(code(cert) == nil)
        for n in 0..<cert.count {
            let c = code(Array(cert[0..<n]))
            #expect(c == .truncated, "prefix of \(n) bytes gave \(String(describing: c))")
        }
    }

    @Test func errorsCarryOffsets() {
        do {
            _ = try DER.parse([0x30, 0x05, 0x02, 0x01, 0x05, 0x02, 0x80])
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidLength)
            #expect(error.offset == 6)  // the length octet
            #expect(error.description.contains("offset 6"))
        }
    }
}
