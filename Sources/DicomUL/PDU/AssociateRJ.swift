/// The A-ASSOCIATE-RJ PDU (PS3.8 §9.3.4, Table 9-21): result, source and reason/diagnostic.
public struct AssociateRJ: Sendable, Equatable, CustomStringConvertible {
    /// 1 rejected-permanent, 2 rejected-transient.
    public var result: UInt8
    /// 1 service-user, 2 service-provider (ACSE related), 3 service-provider (presentation related).
    public var source: UInt8
    /// Reason/diagnostic, interpreted by `source`.
    public var reason: UInt8

    /// Creates a rejection.
    public init(result: UInt8, source: UInt8, reason: UInt8) {
        self.result = result
        self.source = source
        self.reason = reason
    }

    /// rejected-permanent.
    public static let rejectedPermanent: UInt8 = 1
    /// rejected-transient.
    public static let rejectedTransient: UInt8 = 2

    /// Service-user: no reason given.
    public static let noReasonGiven = AssociateRJ(result: 1, source: 1, reason: 1)
    /// Service-user: application context name not supported.
    public static let applicationContextNameNotSupported = AssociateRJ(result: 1, source: 1, reason: 2)
    /// Service-user: calling AE title not recognized.
    public static let callingAETitleNotRecognized = AssociateRJ(result: 1, source: 1, reason: 3)
    /// Service-user: called AE title not recognized.
    public static let calledAETitleNotRecognized = AssociateRJ(result: 1, source: 1, reason: 7)
    /// Service-provider (ACSE): protocol version not supported.
    public static let protocolVersionNotSupported = AssociateRJ(result: 1, source: 2, reason: 2)
    /// Service-provider (presentation): temporary congestion.
    public static let temporaryCongestion = AssociateRJ(result: 2, source: 3, reason: 1)
    /// Service-provider (presentation): local limit exceeded.
    public static let localLimitExceeded = AssociateRJ(result: 2, source: 3, reason: 2)

    /// A sentence naming result, source and reason as PS3.8 Table 9-21 does.
    public var description: String {
        let resultText = result == 1 ? "rejected-permanent" : result == 2 ? "rejected-transient" : "result \(result)"
        let sourceText: String
        let reasonText: String
        switch source {
        case 1:
            sourceText = "DICOM UL service-user"
            switch reason {
            case 1: reasonText = "no-reason-given"
            case 2: reasonText = "application-context-name-not-supported"
            case 3: reasonText = "calling-AE-title-not-recognized"
            case 7: reasonText = "called-AE-title-not-recognized"
            default: reasonText = "reason \(reason)"
            }
        case 2:
            sourceText = "DICOM UL service-provider (ACSE related function)"
            reasonText = reason == 1 ? "no-reason-given" : reason == 2 ? "protocol-version-not-supported" : "reason \(reason)"
        case 3:
            sourceText = "DICOM UL service-provider (presentation related function)"
            reasonText = reason == 1 ? "temporary-congestion" : reason == 2 ? "local-limit-exceeded" : "reason \(reason)"
        default:
            sourceText = "source \(source)"
            reasonText = "reason \(reason)"
        }
        return "\(resultText), source: \(sourceText), reason: \(reasonText)"
    }

    func encodeBody(into out: inout [UInt8]) {
        out += [0, result, source, reason]
    }

    init(decodingBody reader: inout ByteReader) throws(DicomError) {
        _ = try reader.readUInt8("A-ASSOCIATE-RJ reserved byte")
        result = try reader.readUInt8("A-ASSOCIATE-RJ result")
        source = try reader.readUInt8("A-ASSOCIATE-RJ source")
        reason = try reader.readUInt8("A-ASSOCIATE-RJ reason")
        guard (1...2).contains(result), (1...3).contains(source) else {
            throw .invalid("A-ASSOCIATE-RJ has result \(result) / source \(source) outside PS3.8 Table 9-21")
        }
    }
}
