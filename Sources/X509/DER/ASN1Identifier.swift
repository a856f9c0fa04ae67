/// The identifier octets of a BER/DER element: class, constructed bit and tag number
/// (X.690 §8.1.2).
public struct ASN1Identifier: Hashable, Sendable, CustomStringConvertible {
    /// The four tag classes (X.690 §8.1.2.2, bits 8 and 7).
    public enum TagClass: UInt8, Sendable {
        /// Universal types of X.680 (INTEGER, SEQUENCE, ...).
        case universal = 0
        /// Application-wide tags.
        case application = 1
        /// Context-specific tags (`[0]`, `[1]`, ... in ASN.1 modules).
        case contextSpecific = 2
        /// Private-use tags.
        case `private` = 3
    }

    /// The tag class.
    public var tagClass: TagClass
    /// Whether the contents are a sequence of elements (bit 6 of the first octet).
    public var isConstructed: Bool
    /// The tag number.
    public var tagNumber: UInt32

    /// An identifier from its parts.
    public init(tagClass: TagClass, tagNumber: UInt32, constructed: Bool) {
        self.tagClass = tagClass
        self.tagNumber = tagNumber
        self.isConstructed = constructed
    }

    /// A context-specific tag `[n]`; explicit tagging and implicitly tagged constructed
    /// types are constructed, implicitly tagged primitive types are not.
    public static func contextSpecific(_ n: UInt32, constructed: Bool) -> ASN1Identifier {
        ASN1Identifier(tagClass: .contextSpecific, tagNumber: n, constructed: constructed)
    }

    /// A universal primitive type.
    static func universal(_ n: UInt32) -> ASN1Identifier {
        ASN1Identifier(tagClass: .universal, tagNumber: n, constructed: false)
    }

    /// BOOLEAN (universal 1).
    public static let boolean = universal(1)
    /// INTEGER (universal 2).
    public static let integer = universal(2)
    /// BIT STRING (universal 3), primitive as DER requires.
    public static let bitString = universal(3)
    /// OCTET STRING (universal 4), primitive as DER requires.
    public static let octetString = universal(4)
    /// NULL (universal 5).
    public static let null = universal(5)
    /// OBJECT IDENTIFIER (universal 6).
    public static let objectIdentifier = universal(6)
    /// ENUMERATED (universal 10).
    public static let enumerated = universal(10)
    /// UTF8String (universal 12).
    public static let utf8String = universal(12)
    /// NumericString (universal 18).
    public static let numericString = universal(18)
    /// PrintableString (universal 19).
    public static let printableString = universal(19)
    /// TeletexString / T61String (universal 20).
    public static let teletexString = universal(20)
    /// IA5String (universal 22).
    public static let ia5String = universal(22)
    /// UTCTime (universal 23).
    public static let utcTime = universal(23)
    /// GeneralizedTime (universal 24).
    public static let generalizedTime = universal(24)
    /// VisibleString (universal 26).
    public static let visibleString = universal(26)
    /// UniversalString (universal 28).
    public static let universalString = universal(28)
    /// BMPString (universal 30).
    public static let bmpString = universal(30)
    /// SEQUENCE and SEQUENCE OF (universal 16, constructed).
    public static let sequence = ASN1Identifier(tagClass: .universal, tagNumber: 16, constructed: true)
    /// SET and SET OF (universal 17, constructed).
    public static let set = ASN1Identifier(tagClass: .universal, tagNumber: 17, constructed: true)

    public var description: String {
        let form = isConstructed ? "constructed" : "primitive"
        switch tagClass {
        case .universal: return "UNIVERSAL \(tagNumber) (\(form))"
        case .application: return "[APPLICATION \(tagNumber)] (\(form))"
        case .contextSpecific: return "[\(tagNumber)] (\(form))"
        case .private: return "[PRIVATE \(tagNumber)] (\(form))"
        }
    }

    /// The identifier octets (X.690 §8.1.2): one octet for tag numbers below 31, otherwise
    /// the high-tag-number form with base-128 digits.
    var encoded: [UInt8] {
        let lead = tagClass.rawValue << 6 | (isConstructed ? 0x20 : 0)
        if tagNumber < 31 { return [lead | UInt8(tagNumber)] }
        var digits: [UInt8] = []
        var n = tagNumber
        repeat {
            digits.append(UInt8(n & 0x7F))
            n >>= 7
        } while n > 0
        digits.reverse()
        for i in 0..<(digits.count - 1) { digits[i] |= 0x80 }
        return [lead | 0x1F] + digits
    }
}
