/// The P-DATA-TF PDU: one or more presentation data values (PS3.8 §9.3.5, Table 9-22).
public struct PDataTF: Sendable, Equatable {
    /// The PDVs in order.
    public var values: [PresentationDataValue]

    /// Creates a P-DATA-TF.
    public init(values: [PresentationDataValue]) { self.values = values }

    /// Bytes each PDV adds before its fragment: item length (4), context ID (1), control header (1).
    public static let pdvOverhead = 6

    func encodeBody(into out: inout [UInt8]) {
        for value in values {
            out.appendUInt32(UInt32(truncatingIfNeeded: value.data.count + 2))
            out.append(value.contextID)
            out.append(value.messageControlHeader)
            out += value.data
        }
    }

    init(decodingBody reader: inout ByteReader) throws(DicomError) {
        values = []
        guard !reader.isAtEnd else { throw .invalid("P-DATA-TF carries no presentation data value") }
        while !reader.isAtEnd {
            let length = Int(try reader.readUInt32("PDV item length"))
            guard length >= 2 else { throw .invalid("PDV item length \(length) is shorter than its 2-byte header") }
            var item = try reader.subReader(length, context: "PDV item of length \(length)")
            let contextID = try item.readUInt8("PDV presentation context ID")
            let header = try item.readUInt8("PDV message control header")
            guard header & 0xFC == 0 else {
                throw .invalid("PDV message control header 0x\(hex2(header)) sets reserved bits (PS3.8 Annex E.2)")
            }
            guard contextID & 1 == 1 else { throw .invalid("PDV presentation context ID \(contextID) is even") }
            let data = try item.readBytes(item.remaining, "PDV fragment")
            values.append(PresentationDataValue(contextID: contextID, isCommand: header & 1 != 0, isLast: header & 2 != 0, data: data))
        }
    }
}

/// One presentation data value: a fragment of a command or data set (PS3.8 §9.3.5.1, Annex E).
public struct PresentationDataValue: Sendable, Equatable {
    /// The presentation context the fragment belongs to.
    public var contextID: UInt8
    /// Whether the fragment is part of a command (else of a data set).
    public var isCommand: Bool
    /// Whether this is the last fragment of its command or data set.
    public var isLast: Bool
    /// The fragment bytes (a slice of the received PDU; no copy).
    public var data: ArraySlice<UInt8>

    /// Creates a PDV.
    public init(contextID: UInt8, isCommand: Bool, isLast: Bool, data: ArraySlice<UInt8>) {
        self.contextID = contextID
        self.isCommand = isCommand
        self.isLast = isLast
        self.data = data
    }

    /// The message control header byte (PS3.8 Annex E.2): bit 0 command, bit 1 last.
    public var messageControlHeader: UInt8 { (isCommand ? 1 : 0) | (isLast ? 2 : 0) }
}
