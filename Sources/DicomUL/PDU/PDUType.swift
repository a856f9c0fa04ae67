/// The PDU type byte (PS3.8 §9.3.1, Table 9-11 onwards): an open set, so an unknown value
/// survives parsing long enough to be reported (STYLE §8).
public struct PDUType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The byte on the wire.
    public let rawValue: UInt8
    /// Wraps a byte.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// A-ASSOCIATE-RQ (PS3.8 §9.3.2).
    public static let associateRQ = PDUType(rawValue: 0x01)
    /// A-ASSOCIATE-AC (PS3.8 §9.3.3).
    public static let associateAC = PDUType(rawValue: 0x02)
    /// A-ASSOCIATE-RJ (PS3.8 §9.3.4).
    public static let associateRJ = PDUType(rawValue: 0x03)
    /// P-DATA-TF (PS3.8 §9.3.5).
    public static let dataTF = PDUType(rawValue: 0x04)
    /// A-RELEASE-RQ (PS3.8 §9.3.6).
    public static let releaseRQ = PDUType(rawValue: 0x05)
    /// A-RELEASE-RP (PS3.8 §9.3.7).
    public static let releaseRP = PDUType(rawValue: 0x06)
    /// A-ABORT (PS3.8 §9.3.8).
    public static let abort = PDUType(rawValue: 0x07)

    /// The PS3.8 name, or the hex value for an unknown type.
    public var description: String {
        switch self {
        case .associateRQ: "A-ASSOCIATE-RQ"
        case .associateAC: "A-ASSOCIATE-AC"
        case .associateRJ: "A-ASSOCIATE-RJ"
        case .dataTF: "P-DATA-TF"
        case .releaseRQ: "A-RELEASE-RQ"
        case .releaseRP: "A-RELEASE-RP"
        case .abort: "A-ABORT"
        default: "PDU type 0x\(hex2(rawValue))"
        }
    }
}
