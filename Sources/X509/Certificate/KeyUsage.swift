/// keyUsage (RFC 5280 §4.2.1.3): what the certified key may be used for.
public struct KeyUsage: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// digitalSignature (0).
    public static let digitalSignature = KeyUsage(rawValue: 1 << 0)
    /// nonRepudiation / contentCommitment (1).
    public static let nonRepudiation = KeyUsage(rawValue: 1 << 1)
    /// keyEncipherment (2): RSA key transport, as TLS_RSA suites use.
    public static let keyEncipherment = KeyUsage(rawValue: 1 << 2)
    /// dataEncipherment (3).
    public static let dataEncipherment = KeyUsage(rawValue: 1 << 3)
    /// keyAgreement (4).
    public static let keyAgreement = KeyUsage(rawValue: 1 << 4)
    /// keyCertSign (5): required of every CA key used to verify a certificate.
    public static let keyCertSign = KeyUsage(rawValue: 1 << 5)
    /// cRLSign (6).
    public static let cRLSign = KeyUsage(rawValue: 1 << 6)
    /// encipherOnly (7).
    public static let encipherOnly = KeyUsage(rawValue: 1 << 7)
    /// decipherOnly (8).
    public static let decipherOnly = KeyUsage(rawValue: 1 << 8)

    /// Names as `openssl x509 -text` prints them, in bit order.
    static let names = [
        "Digital Signature", "Non Repudiation", "Key Encipherment", "Data Encipherment",
        "Key Agreement", "Certificate Sign", "CRL Sign", "Encipher Only", "Decipher Only",
    ]

    /// Parses the named-bit BIT STRING.
    init(_ node: ASN1Node) throws(X509Error) {
        let bits = try node.bitString()
        var value: UInt16 = 0
        for n in 0..<9 where bits.bit(n) { value |= 1 << UInt16(n) }
        self.init(rawValue: value)
    }

    /// The bit numbers set, for encoding.
    var bitNumbers: [Int] { (0..<9).filter { rawValue & (1 << UInt16($0)) != 0 } }

    /// The DER of the extension value.
    var encoded: [UInt8] {
        var w = DERWriter()
        w.namedBits(bitNumbers)
        return w.bytes
    }

    public var description: String { bitNumbers.map { Self.names[$0] }.joined(separator: ", ") }
}
