import CryptoPrimitives
import Testing

@Suite struct ConstantTimeTests {
    @Test func masks() {
        let values: [UInt32] = [0, 1, 2, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFE, 0xFFFF_FFFF]
        for a in values {
            #expect(ConstantTime.isZeroMask(a) == (a == 0 ? 0xFFFF_FFFF : 0))
            for b in values {
                #expect(ConstantTime.equalMask(a, b) == (a == b ? 0xFFFF_FFFF : 0))
                #expect(ConstantTime.lessThanMask(a, b) == (a < b ? 0xFFFF_FFFF : 0), "\(a) < \(b)")
                #expect(ConstantTime.greaterOrEqualMask(a, b) == (a >= b ? 0xFFFF_FFFF : 0))
                #expect(ConstantTime.select(0xFFFF_FFFF, a, b) == a)
                #expect(ConstantTime.select(0, a, b) == b)
            }
        }
    }

    @Test func equalityAndConditionalCopy() {
        #expect(ConstantTime.equal([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2]))
        #expect(ConstantTime.equal([], []))
        var dst: [UInt8] = [9, 9, 9]
        let src: [UInt8] = [1, 2, 3]
        dst.withUnsafeMutableBytes { d in src.withUnsafeBytes { s in
            ConstantTime.conditionalCopy(mask: 0, to: d.baseAddress!, from: s.baseAddress!, count: 3)
        } }
        #expect(dst == [9, 9, 9])
        dst.withUnsafeMutableBytes { d in src.withUnsafeBytes { s in
            ConstantTime.conditionalCopy(mask: 0xFFFF_FFFF, to: d.baseAddress!, from: s.baseAddress!, count: 3)
        } }
        #expect(dst == [1, 2, 3])
    }

    @Test func wipe() {
        var secret: [UInt8] = [1, 2, 3, 4]
        SecureMemory.wipe(&secret)
        #expect(secret == [0, 0, 0, 0])
    }
}

@Suite struct RandomTests {
    @Test func systemRandomFillsAndDiffers() {
        let a = SystemRandom().bytes(64), b = SystemRandom().bytes(64)
        #expect(a.count == 64 && a != b)
        #expect(a != [UInt8](repeating: 0, count: 64))
    }

    @Test func deterministicRandomIsReproducible() {
        #expect(DeterministicRandom(seed: 7).bytes(100) == DeterministicRandom(seed: 7).bytes(100))
        #expect(DeterministicRandom(seed: 7).bytes(100) != DeterministicRandom(seed: 8).bytes(100))
        let r = DeterministicRandom(seed: 1)
        #expect(r.bytes(32) != r.bytes(32))
    }
}
