/// A DIMSE command set: group 0000 elements in Implicit VR Little Endian, led by the
/// Command Group Length (0000,0000) (PS3.7 §6.3, §9.3; PS3.5 §7.1.3).
public struct CommandSet: Sendable, Equatable {
    /// Element values by tag (group 0000), without the group length.
    public private(set) var elements: [UInt16: [UInt8]] = [:]

    /// Largest command set accepted when reassembling (commands are small; PS3.7 E.1).
    public static let maximumLength = 64 * 1024

    /// An empty command set.
    public init() {}

    // MARK: Typed accessors (PS3.7 Annex E)

    /// Command Field (0000,0100).
    public var commandField: CommandField? { uint16(0x0100).map(CommandField.init(rawValue:)) }
    /// Message ID (0000,0110).
    public var messageID: UInt16? { uint16(0x0110) }
    /// Message ID Being Responded To (0000,0120).
    public var messageIDBeingRespondedTo: UInt16? { uint16(0x0120) }
    /// Affected SOP Class UID (0000,0002).
    public var affectedSOPClassUID: String? { text(0x0002) }
    /// Affected SOP Instance UID (0000,1000).
    public var affectedSOPInstanceUID: String? { text(0x1000) }
    /// Status (0000,0900).
    public var status: DIMSEStatus? { uint16(0x0900).map(DIMSEStatus.init(rawValue:)) }
    /// Error Comment (0000,0902).
    public var errorComment: String? { text(0x0902) }
    /// Whether a data set follows: Command Data Set Type (0000,0800) ≠ 0x0101.
    public var hasDataSet: Bool { (uint16(0x0800) ?? 0x0101) != 0x0101 }

    /// Sets a US (unsigned short) element.
    public mutating func set(_ element: UInt16, uint16 value: UInt16) {
        elements[element] = [UInt8(value & 0xFF), UInt8(value >> 8)]
    }

    /// Sets a UI element: ASCII padded with NUL to even length (PS3.5 §9.1).
    public mutating func set(_ element: UInt16, uid value: String) {
        var bytes = Array(value.utf8)
        if bytes.count % 2 == 1 { bytes.append(0) }
        elements[element] = bytes
    }

    /// Sets a text element (AE, LO, ST): ASCII padded with space to even length.
    public mutating func set(_ element: UInt16, text value: String) {
        var bytes = Array(value.utf8)
        if bytes.count % 2 == 1 { bytes.append(0x20) }
        elements[element] = bytes
    }

    /// A US element's value.
    public func uint16(_ element: UInt16) -> UInt16? {
        guard let v = elements[element], v.count == 2 else { return nil }
        return UInt16(v[0]) | UInt16(v[1]) << 8
    }

    /// A text element without its padding.
    public func text(_ element: UInt16) -> String? {
        guard let v = elements[element] else { return nil }
        var end = v.count
        while end > 0, v[end - 1] == 0 || v[end - 1] == 0x20 { end -= 1 }
        return String(decoding: v[..<end], as: UTF8.self)
    }

    // MARK: Encoding

    /// The encoded command set, group length first, elements in ascending tag order.
    public func encode() -> [UInt8] {
        var body: [UInt8] = []
        for (element, value) in elements.sorted(by: { $0.key < $1.key }) where element != 0 {
            Self.appendElement(element, value, to: &body)
        }
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 12)
        let length = UInt32(body.count)
        Self.appendElement(0x0000, [UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF), UInt8((length >> 16) & 0xFF), UInt8(length >> 24)], to: &out)
        out += body
        return out
    }

    /// Decodes a command set strictly: group 0000 only, lengths within the buffer, a group
    /// length that matches, and a Command Field present.
    public init(decoding bytes: [UInt8]) throws(DicomError) {
        var i = 0
        var groupLength: Int?
        while i < bytes.count {
            guard bytes.count - i >= 8 else { throw Self.invalid("truncated element header at offset \(i)") }
            let group = UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8
            let element = UInt16(bytes[i + 2]) | UInt16(bytes[i + 3]) << 8
            let length = Int(UInt32(bytes[i + 4]) | UInt32(bytes[i + 5]) << 8 | UInt32(bytes[i + 6]) << 16 | UInt32(bytes[i + 7]) << 24)
            i += 8
            guard group == 0x0000 else { throw Self.invalid("element (\(hex4(group)),\(hex4(element))) is not in the command group") }
            guard length <= bytes.count - i else {
                throw Self.invalid("element (0000,\(hex4(element))) claims \(length) bytes, only \(bytes.count - i) remain")
            }
            let value = Array(bytes[i..<i + length])
            i += length
            if element == 0x0000 {
                guard length == 4 else { throw Self.invalid("command group length has length \(length)") }
                groupLength = Int(UInt32(value[0]) | UInt32(value[1]) << 8 | UInt32(value[2]) << 16 | UInt32(value[3]) << 24)
                guard groupLength == bytes.count - i else {
                    throw Self.invalid("command group length says \(groupLength ?? 0) but \(bytes.count - i) bytes follow")
                }
            } else {
                elements[element] = value
            }
        }
        guard commandField != nil else { throw Self.invalid("command set has no Command Field (0000,0100)") }
    }

    private static func appendElement(_ element: UInt16, _ value: [UInt8], to out: inout [UInt8]) {
        out += [0, 0, UInt8(element & 0xFF), UInt8(element >> 8)]
        let n = UInt32(value.count)
        out += [UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF), UInt8((n >> 16) & 0xFF), UInt8(n >> 24)]
        out += value
    }

    private static func invalid(_ message: String) -> DicomError {
        DicomError(.invalidDIMSE, "invalid DIMSE command set: \(message)")
    }
}

/// Command Field values (PS3.7 Annex E).
public struct CommandField: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The value on the wire.
    public let rawValue: UInt16
    /// Wraps a value.
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// C-STORE-RQ.
    public static let cStoreRQ = CommandField(rawValue: 0x0001)
    /// C-STORE-RSP.
    public static let cStoreRSP = CommandField(rawValue: 0x8001)
    /// C-ECHO-RQ.
    public static let cEchoRQ = CommandField(rawValue: 0x0030)
    /// C-ECHO-RSP.
    public static let cEchoRSP = CommandField(rawValue: 0x8030)
    /// C-FIND-RQ.
    public static let cFindRQ = CommandField(rawValue: 0x0020)
    /// C-FIND-RSP.
    public static let cFindRSP = CommandField(rawValue: 0x8020)
    /// C-CANCEL-RQ: stops the C-FIND, C-GET or C-MOVE whose Message ID it carries in
    /// Message ID Being Responded To (PS3.7 §9.3.2.3); it has no response.
    public static let cCancelRQ = CommandField(rawValue: 0x0FFF)
    /// The PS3.7 name.
    public var description: String {
        switch self {
        case .cStoreRQ: "C-STORE-RQ"
        case .cStoreRSP: "C-STORE-RSP"
        case .cEchoRQ: "C-ECHO-RQ"
        case .cEchoRSP: "C-ECHO-RSP"
        case .cFindRQ: "C-FIND-RQ"
        case .cFindRSP: "C-FIND-RSP"
        case .cCancelRQ: "C-CANCEL-RQ"
        default: "command 0x\(hex4(rawValue))"
        }
    }
}

/// DIMSE status codes (PS3.7 Annex C; C-STORE specifics in PS3.4 B.2.3).
public struct DIMSEStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The value on the wire.
    public let rawValue: UInt16
    /// Wraps a value.
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// 0x0000 Success.
    public static let success = DIMSEStatus(rawValue: 0x0000)
    /// Pending: matches are continuing (C-FIND, PS3.4 Table C.4-1).
    public static let pending = DIMSEStatus(rawValue: 0xFF00)
    /// 0xA700 Refused: out of resources (C-STORE).
    public static let outOfResources = DIMSEStatus(rawValue: 0xA700)
    /// 0xA900 Error: data set does not match SOP class (C-STORE).
    public static let dataSetDoesNotMatchSOPClass = DIMSEStatus(rawValue: 0xA900)
    /// 0xC000 Error: cannot understand (C-STORE).
    public static let cannotUnderstand = DIMSEStatus(rawValue: 0xC000)
    /// 0xB000 Warning: coercion of data elements (C-STORE).
    public static let coercionOfDataElements = DIMSEStatus(rawValue: 0xB000)
    /// 0xB006 Warning: elements discarded (C-STORE). Our SCP also answers it, with an
    /// error comment, when it keeps an earlier object of the same SOP Instance UID and
    /// discards the new one (``ExistingFilePolicy/refuse``).
    public static let elementsDiscarded = DIMSEStatus(rawValue: 0xB006)
    /// 0x0110 Processing failure.
    public static let processingFailure = DIMSEStatus(rawValue: 0x0110)
    /// 0x0122 Refused: SOP class not supported.
    public static let sopClassNotSupported = DIMSEStatus(rawValue: 0x0122)
    /// 0x0211 Unrecognized operation.
    public static let unrecognizedOperation = DIMSEStatus(rawValue: 0x0211)
    /// 0xFE00 Cancel: matching or sub-operations terminated due to a C-CANCEL-RQ (PS3.4
    /// C.4.1.1.4, C.4.2.1.5, C.4.3.1.4).
    public static let cancel = DIMSEStatus(rawValue: 0xFE00)

    /// Whether more responses follow: Pending (FF00, FF01).
    public var isPending: Bool { rawValue == 0xFF00 || rawValue == 0xFF01 }

    /// Whether the status is Success.
    public var isSuccess: Bool { rawValue == 0 }
    /// Whether the status is a Warning (0001, 0107, 0116, Bxxx).
    public var isWarning: Bool { rawValue & 0xF000 == 0xB000 || rawValue == 0x0001 || rawValue == 0x0107 || rawValue == 0x0116 }

    /// "0x0000 (Success)" etc.
    public var description: String {
        let name: String
        switch rawValue {
        case 0x0000: name = "Success"
        case 0xA700...0xA7FF: name = "Refused: Out of Resources"
        case 0xA900...0xA9FF: name = "Error: Data Set Does Not Match SOP Class"
        case 0xC000...0xCFFF: name = "Error: Cannot Understand"
        case 0xB000...0xBFFF: name = "Warning"
        case 0x0110: name = "Processing Failure"
        case 0x0122: name = "Refused: SOP Class Not Supported"
        case 0x0211: name = "Unrecognized Operation"
        case 0xFE00: name = "Cancel"
        case 0xFF00, 0xFF01: name = "Pending"
        default: name = "Failure"
        }
        return "0x\(hex4(rawValue)) (\(name))"
    }
}
