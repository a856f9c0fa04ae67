/// CRLReason (RFC 5280 §5.3.1): why a certificate was revoked. An open set, so that
/// unknown values survive parsing.
public struct RevocationReason: Hashable, Sendable, CustomStringConvertible {
    /// The ENUMERATED value.
    public let rawValue: Int

    /// The reason with this value.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// unspecified (0).
    public static let unspecified = Self(rawValue: 0)
    /// keyCompromise (1).
    public static let keyCompromise = Self(rawValue: 1)
    /// cACompromise (2).
    public static let caCompromise = Self(rawValue: 2)
    /// affiliationChanged (3).
    public static let affiliationChanged = Self(rawValue: 3)
    /// superseded (4).
    public static let superseded = Self(rawValue: 4)
    /// cessationOfOperation (5).
    public static let cessationOfOperation = Self(rawValue: 5)
    /// certificateHold (6).
    public static let certificateHold = Self(rawValue: 6)
    /// removeFromCRL (8): only meaningful in delta CRLs.
    public static let removeFromCRL = Self(rawValue: 8)
    /// privilegeWithdrawn (9).
    public static let privilegeWithdrawn = Self(rawValue: 9)
    /// aACompromise (10).
    public static let aaCompromise = Self(rawValue: 10)

    /// Names as `openssl crl -text` prints them.
    public var description: String {
        switch rawValue {
        case 0: "Unspecified"
        case 1: "Key Compromise"
        case 2: "CA Compromise"
        case 3: "Affiliation Changed"
        case 4: "Superseded"
        case 5: "Cessation Of Operation"
        case 6: "Certificate Hold"
        case 8: "Remove From CRL"
        case 9: "Privilege Withdrawn"
        case 10: "AA Compromise"
        default: "reason \(rawValue)"
        }
    }
}

/// ReasonFlags (RFC 5280 §4.2.1.13): the reasons a CRL or distribution point covers.
public struct ReasonFlags: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// keyCompromise (1).
    public static let keyCompromise = Self(rawValue: 1 << 1)
    /// cACompromise (2).
    public static let caCompromise = Self(rawValue: 1 << 2)
    /// affiliationChanged (3).
    public static let affiliationChanged = Self(rawValue: 1 << 3)
    /// superseded (4).
    public static let superseded = Self(rawValue: 1 << 4)
    /// cessationOfOperation (5).
    public static let cessationOfOperation = Self(rawValue: 1 << 5)
    /// certificateHold (6).
    public static let certificateHold = Self(rawValue: 1 << 6)
    /// privilegeWithdrawn (7).
    public static let privilegeWithdrawn = Self(rawValue: 1 << 7)
    /// aACompromise (8).
    public static let aaCompromise = Self(rawValue: 1 << 8)
    /// Every reason (bit 0, `unused`, is not a reason): RFC 5280 §6.3.3 `all-reasons`.
    public static let all = Self(rawValue: 0x1FE)

    /// Parses the named-bit BIT STRING.
    init(_ node: ASN1Node, tag: ASN1Identifier) throws(X509Error) {
        let bits = try node.bitString(tag: tag)
        var value: UInt16 = 0
        for n in 0..<9 where bits.bit(n) { value |= 1 << UInt16(n) }
        self.init(rawValue: value)
    }

    /// The bit numbers set, for encoding.
    var bitNumbers: [Int] { (0..<9).filter { rawValue & (1 << UInt16($0)) != 0 } }

    public var description: String {
        let names = ["unused", "keyCompromise", "cACompromise", "affiliationChanged", "superseded",
                     "cessationOfOperation", "certificateHold", "privilegeWithdrawn", "aACompromise"]
        return bitNumbers.map { names[$0] }.joined(separator: ", ")
    }
}
