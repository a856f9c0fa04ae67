/// UIDs this module uses (PS3.6 Annex A) and our own implementation identity.
public enum DicomUID {
    /// Verification SOP Class (PS3.4 Annex A).
    public static let verification = "1.2.840.10008.1.1"
    /// Secondary Capture Image Storage (PS3.4 Annex B).
    public static let secondaryCaptureImageStorage = "1.2.840.10008.5.1.4.1.1.7"
    /// Implicit VR Little Endian, the default transfer syntax (PS3.5 §10.1).
    public static let implicitVRLittleEndian = "1.2.840.10008.1.2"
    /// Explicit VR Little Endian (PS3.5 §10.2).
    public static let explicitVRLittleEndian = "1.2.840.10008.1.2.1"
    /// Deflated Explicit VR Little Endian (PS3.5 §10.3).
    public static let deflatedExplicitVRLittleEndian = "1.2.840.10008.1.2.1.99"
    /// Explicit VR Big Endian (retired, PS3.5 §A.3).
    public static let explicitVRBigEndian = "1.2.840.10008.1.2.2"
    /// The prefix of the storage SOP classes (PS3.4 Annex B.5).
    public static let storagePrefix = "1.2.840.10008.5.1.4."

    /// Our implementation class UID: `2.25.` followed by the decimal value of the fixed UUID
    /// 7d3f9a52-1c4b-4e8d-9a06-3b5e2f71c8d4 (PS3.5 Annex B.2, ISO/IEC 9834-8).
    public static let implementationClassUID = "2.25.166483744171747087448638235296266307796"
    /// Our implementation version name (at most 16 characters, PS3.7 D.3.3.2).
    public static let implementationVersionName = "DICOMTLS_010"

    /// A fresh UID under `2.25.` from 128 random bits (PS3.5 Annex B.2), with the version
    /// and variant bits of a version-4 UUID.
    public static func make() -> String {
        var g = SystemRandomNumberGenerator()
        var hi = g.next() as UInt64, lo = g.next() as UInt64
        hi = (hi & ~0xF000) | 0x4000                 // version 4
        lo = (lo & ~(0xC000_0000_0000_0000)) | 0x8000_0000_0000_0000  // RFC 4122 variant
        return "2.25." + decimal(hi: hi, lo: lo)
    }

    /// Whether `uid` is a valid UID: 1–64 characters of digits and dots, components without
    /// leading zeros, no empty component (PS3.5 §9.1).
    public static func isValid(_ uid: String) -> Bool {
        let bytes = Array(uid.utf8)
        guard !bytes.isEmpty, bytes.count <= 64 else { return false }
        for component in bytes.split(separator: 0x2E, omittingEmptySubsequences: false) {
            guard !component.isEmpty, component.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
            if component.count > 1, component.first == 0x30 { return false }
        }
        return true
    }

    /// The decimal digits of the 128-bit integer `hi·2^64 + lo`.
    public static func decimal(hi: UInt64, lo: UInt64) -> String {
        var limbs: [UInt32] = [UInt32(hi >> 32), UInt32(hi & 0xFFFF_FFFF), UInt32(lo >> 32), UInt32(lo & 0xFFFF_FFFF)]
        var digits: [UInt8] = []
        while limbs.contains(where: { $0 != 0 }) {
            var remainder: UInt64 = 0
            for i in limbs.indices {
                let value = remainder << 32 | UInt64(limbs[i])
                limbs[i] = UInt32(value / 10)
                remainder = value % 10
            }
            digits.append(UInt8(remainder) + 0x30)
        }
        return digits.isEmpty ? "0" : String(decoding: digits.reversed(), as: UTF8.self)
    }
}
