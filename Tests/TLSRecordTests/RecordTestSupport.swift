import CryptoPrimitives
import TestSupport
import TLSRecord

/// Helpers shared by the record tests.
enum RecordTestSupport {
    /// Parameters for a suite with fixed, arbitrary key material.
    static func parameters(
        _ cipher: BulkCipherAlgorithm, compression: CompressionMethod = .null, seed: UInt8 = 1
    ) -> RecordProtectionParameters {
        func bytes(_ n: Int, _ s: UInt8) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ Int(s)) } }
        return RecordProtectionParameters(
            cipher: cipher, mac: .sha1, compression: compression,
            macSecret: bytes(20, seed), key: bytes(cipher.keyByteCount, seed &+ 50), iv: bytes(cipher.ivByteCount, seed &+ 100))
    }

    /// Seals `plaintext` with `protection` into a fresh record array.
    static func seal(
        _ protection: inout RecordProtection, _ type: ContentType, _ plaintext: [UInt8],
        version: ProtocolVersion = .tls10, extraPaddingBlocks: Int = 0
    ) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 5 + plaintext.count + 20 + 256)
        buffer.replaceSubrange(5..<(5 + plaintext.count), with: plaintext)
        let n = try buffer.withUnsafeMutableBytes { raw in
            try protection.seal(raw, contentType: type, version: version, fragmentLength: plaintext.count,
                                extraPaddingBlocks: extraPaddingBlocks)
        }
        return Array(buffer[0..<n])
    }

    /// Opens a whole record (header included) with `protection`; returns the plaintext.
    static func open(_ protection: inout RecordProtection, _ record: [UInt8]) throws(RecordError) -> [UInt8] {
        var copy = record
        var result: Result<Int, RecordError> = .success(0)
        copy.withUnsafeMutableBytes { raw in
            do throws(RecordError) { result = .success(try protection.open(raw)) } catch { result = .failure(error) }
        }
        let n = try result.get()
        return Array(copy[5..<(5 + n)])
    }

    /// A record header.
    static func header(_ type: ContentType, _ version: ProtocolVersion, _ length: Int) -> [UInt8] {
        [type.rawValue, version.major, version.minor, UInt8(length >> 8), UInt8(length & 0xFF)]
    }

    /// Deterministic pseudo-random bytes.
    static func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }
}
