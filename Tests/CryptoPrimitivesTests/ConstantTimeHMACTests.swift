import CryptoPrimitives
import Testing

/// The constant-time HMAC-SHA1 used by the CBC record check (Lucky 13) equals the ordinary
/// HMAC for every secret length in its window, across block boundaries and prefix sizes.
@Suite struct ConstantTimeHMACTests {
    @Test(arguments: [0, 13, 64])
    func matchesOrdinaryHMAC(prefixLength: Int) {
        let key: [UInt8] = (0..<20).map { UInt8($0 * 7 + 1) }
        let hmac = HMAC<SHA1>(key: key)
        let prefix: [UInt8] = (0..<prefixLength).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) }
        var checked = 0
        for maxLength in [0, 1, 55, 56, 63, 64, 119, 120, 300, 1000] {
            let data: [UInt8] = (0..<maxLength).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 3) }
            let minLength = max(0, maxLength - 255)
            for length in minLength...maxLength {
                var out = [UInt8](repeating: 0, count: 20)
                prefix.withUnsafeBytes { p in
                    data.withUnsafeBytes { d in
                        out.withUnsafeMutableBytes { o in
                            hmac.constantTimeAuthenticationCode(
                                prefix: p, data: d, secretLength: length, minimumLength: minLength, into: o)
                        }
                    }
                }
                #expect(out == hmac.authenticationCode(for: prefix + data[0..<length]), "max \(maxLength) len \(length)")
                checked += 1
            }
        }
        #expect(checked == 1 + 2 + 56 + 57 + 64 + 65 + 120 + 121 + 256 + 256)
    }
}
