/// The A-ABORT PDU (PS3.8 §9.3.8, Table 9-26).
public struct Abort: Sendable, Equatable, CustomStringConvertible {
    /// The abort's originator.
    public var source: AbortSource
    /// The reason (significant only for a service-provider source).
    public var reason: AbortReason

    /// Creates an abort.
    public init(source: AbortSource, reason: AbortReason) {
        self.source = source
        self.reason = reason
    }

    /// An abort by the service user (no reason).
    public static let byUser = Abort(source: .serviceUser, reason: .reasonNotSpecified)

    /// "A-ABORT from <source>: <reason>".
    public var description: String {
        source == .serviceProvider ? "A-ABORT from \(source): \(reason)" : "A-ABORT from \(source)"
    }

    func encodeBody(into out: inout [UInt8]) {
        out += [0, 0, source.rawValue, reason.rawValue]
    }

    init(decodingBody reader: inout ByteReader) throws(DicomError) {
        try reader.skip(2, "A-ABORT reserved bytes")
        source = AbortSource(rawValue: try reader.readUInt8("A-ABORT source"))
        reason = AbortReason(rawValue: try reader.readUInt8("A-ABORT reason"))
    }
}

/// The source field of an A-ABORT (PS3.8 Table 9-26).
public struct AbortSource: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The byte on the wire.
    public let rawValue: UInt8
    /// Wraps a byte.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// 0: DICOM UL service-user (initiated abort).
    public static let serviceUser = AbortSource(rawValue: 0)
    /// 2: DICOM UL service-provider (initiated abort).
    public static let serviceProvider = AbortSource(rawValue: 2)
    /// The PS3.8 name.
    public var description: String {
        switch rawValue {
        case 0: "service-user"
        case 2: "service-provider"
        default: "source \(rawValue)"
        }
    }
}

/// The reason/diagnostic field of an A-ABORT from the service provider (PS3.8 Table 9-26).
public struct AbortReason: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The byte on the wire.
    public let rawValue: UInt8
    /// Wraps a byte.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// 0: reason-not-specified.
    public static let reasonNotSpecified = AbortReason(rawValue: 0)
    /// 1: unrecognized-PDU.
    public static let unrecognizedPDU = AbortReason(rawValue: 1)
    /// 2: unexpected-PDU.
    public static let unexpectedPDU = AbortReason(rawValue: 2)
    /// 4: unrecognized-PDU parameter.
    public static let unrecognizedPDUParameter = AbortReason(rawValue: 4)
    /// 5: unexpected-PDU parameter.
    public static let unexpectedPDUParameter = AbortReason(rawValue: 5)
    /// 6: invalid-PDU-parameter value.
    public static let invalidPDUParameterValue = AbortReason(rawValue: 6)
    /// The PS3.8 name.
    public var description: String {
        switch rawValue {
        case 0: "reason-not-specified"
        case 1: "unrecognized-PDU"
        case 2: "unexpected-PDU"
        case 4: "unrecognized-PDU parameter"
        case 5: "unexpected-PDU parameter"
        case 6: "invalid-PDU-parameter value"
        default: "reason \(rawValue)"
        }
    }
}
