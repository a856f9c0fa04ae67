/// A DICOM upper-layer protocol data unit (PS3.8 §9.3).
///
/// Every PDU starts with a 6-byte header: type (1), reserved (1), big-endian length (4) of
/// what follows. ``encode()`` writes header and body together so the transport can send a
/// PDU in one write; ``decode(type:body:)`` is strict: every length is checked against its
/// container and trailing bytes are an error.
public enum PDU: Sendable, Equatable {
    /// A-ASSOCIATE-RQ.
    case associateRQ(AssociateRQ)
    /// A-ASSOCIATE-AC.
    case associateAC(AssociateAC)
    /// A-ASSOCIATE-RJ.
    case associateRJ(AssociateRJ)
    /// P-DATA-TF.
    case dataTF(PDataTF)
    /// A-RELEASE-RQ.
    case releaseRQ
    /// A-RELEASE-RP.
    case releaseRP
    /// A-ABORT.
    case abort(Abort)

    /// The length of the fixed PDU header.
    public static let headerLength = 6

    /// The PDU's type byte.
    public var type: PDUType {
        switch self {
        case .associateRQ: .associateRQ
        case .associateAC: .associateAC
        case .associateRJ: .associateRJ
        case .dataTF: .dataTF
        case .releaseRQ: .releaseRQ
        case .releaseRP: .releaseRP
        case .abort: .abort
        }
    }

    /// The complete PDU, header included.
    public func encode() -> [UInt8] {
        var out: [UInt8] = [type.rawValue, 0, 0, 0, 0, 0]
        switch self {
        case .associateRQ(let rq): rq.encodeBody(into: &out)
        case .associateAC(let ac): ac.encodeBody(into: &out)
        case .associateRJ(let rj): rj.encodeBody(into: &out)
        case .dataTF(let data): data.encodeBody(into: &out)
        case .releaseRQ, .releaseRP: out += [0, 0, 0, 0]
        case .abort(let abort): abort.encodeBody(into: &out)
        }
        out.patchUInt32Length(at: 2)
        return out
    }

    /// Decodes a PDU whose header is already parsed: `body` holds exactly `length` bytes.
    public static func decode(type: PDUType, body: ArraySlice<UInt8>) throws(DicomError) -> PDU {
        var reader = ByteReader(body)
        let pdu: PDU
        switch type {
        case .associateRQ: pdu = .associateRQ(try AssociateRQ(decodingBody: &reader))
        case .associateAC: pdu = .associateAC(try AssociateAC(decodingBody: &reader))
        case .associateRJ: pdu = .associateRJ(try AssociateRJ(decodingBody: &reader))
        case .dataTF: pdu = .dataTF(try PDataTF(decodingBody: &reader))
        case .releaseRQ, .releaseRP:
            try reader.skip(4, "\(type) reserved field")
            pdu = type == .releaseRQ ? .releaseRQ : .releaseRP
        case .abort: pdu = .abort(try Abort(decodingBody: &reader))
        default: throw .unrecognizedPDU(type.rawValue)
        }
        try reader.expectEnd("\(type)")
        return pdu
    }

    /// Decodes one complete PDU (header and body); `bytes` must hold exactly one PDU.
    public static func decode(_ bytes: [UInt8], maximumLength: Int = PDUHeader.defaultMaximumLength) throws(DicomError) -> PDU {
        let header = try PDUHeader(bytes.prefix(headerLength), maximumLength: maximumLength)
        guard bytes.count - headerLength == header.length else {
            throw .invalid("\(header.type) declares \(header.length) byte(s) but \(bytes.count - headerLength) follow the header")
        }
        return try decode(type: header.type, body: bytes[headerLength...])
    }
}

/// The 6-byte PDU header, checked before anything is allocated for the body.
public struct PDUHeader: Sendable, Equatable {
    /// The largest PDU body accepted by default for non-data PDUs (1 MiB).
    public static let defaultMaximumLength = 1 << 20

    /// The PDU type.
    public let type: PDUType
    /// The body length declared by the peer.
    public let length: Int

    /// Parses and bounds a header. Throws `.protocolMismatch` when the bytes look like a TLS
    /// record, `.invalidPDU` for an unknown type and `.pduTooLarge` past `maximumLength`.
    public init(_ bytes: ArraySlice<UInt8>, maximumLength: Int) throws(DicomError) {
        guard bytes.count == PDU.headerLength else {
            throw .invalid("PDU header needs \(PDU.headerLength) bytes, got \(bytes.count)")
        }
        if ProtocolSniffer.looksLikeTLSRecord(bytes) {
            throw ProtocolSniffer.tlsOnPlainPortError
        }
        var reader = ByteReader(bytes)
        let type = PDUType(rawValue: try reader.readUInt8("PDU type"))
        _ = try reader.readUInt8("PDU reserved byte")
        let length = Int(try reader.readUInt32("PDU length"))
        guard (0x01...0x07).contains(type.rawValue) else { throw .unrecognizedPDU(type.rawValue) }
        guard length <= maximumLength else {
            throw DicomError(
                .pduTooLarge, "\(type) of \(length) bytes exceeds the maximum of \(maximumLength) we accept",
                abortReason: .invalidPDUParameterValue)
        }
        self.type = type
        self.length = length
    }
}
