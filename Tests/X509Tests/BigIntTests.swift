import CGMP
import TestSupport
import Testing
@testable import X509

@Suite struct BigIntTests {
    @Test func bytesRoundTrip() {
        let bytes: [UInt8] = [0x00, 0x00, 0x01, 0x02, 0xFF]
        let x = BigInt(bigEndian: bytes)
        #expect(x.bigEndianBytes == [0x01, 0x02, 0xFF])
        #expect(x.bitWidth == 17)
        #expect(x.bigEndianBytes(count: 5) == bytes)
        #expect(x.bigEndianBytes(count: 2) == nil)
        #expect(BigInt(bigEndian: []).isZero)
        #expect(BigInt().bigEndianBytes(count: 3) == [0, 0, 0])
    }

    @Test func arithmeticAndCopyOnWrite() {
        let a = BigInt(1000), b = BigInt(7)
        #expect((a * b).equals(7000))
        #expect((a - b).equals(993))
        #expect(a.modulo(b)?.equals(6) == true)
        #expect(b.inverse(modulus: BigInt(10))?.equals(3) == true)
        #expect(BigInt(4).inverse(modulus: BigInt(10)) == nil)
        #expect(BigInt(3).power(BigInt(5), modulus: BigInt(7))?.equals(5) == true)   // 243 mod 7
        #expect(BigInt(3).secretPower(BigInt(5), modulus: BigInt(7))?.equals(5) == true)
        #expect(BigInt(3).secretPower(BigInt(5), modulus: BigInt(8)) == nil)          // even modulus refused
        var c = a
        c.withUnsafeMutableMPZ { unsafe __gmpz_add_ui($0, $0, 1) }
        #expect(c.equals(1001) && a.equals(1000))   // the copy was written, not the original
        #expect(BigInt(97).isProbablePrime(rounds: 40) && !BigInt(91).isProbablePrime(rounds: 40))
        #expect((BigInt(96) >> 5).equals(3) && BigInt(96).trailingZeroBitCount == 5)
    }
}
