/// Item and sub-item type bytes of the association PDUs (PS3.8 §9.3.2–9.3.3, PS3.7 Annex D).
public struct ItemType: RawRepresentable, Hashable, Sendable {
    /// The byte on the wire.
    public let rawValue: UInt8
    /// Wraps a byte.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Application Context Item (PS3.8 §9.3.2.1).
    public static let applicationContext = ItemType(rawValue: 0x10)
    /// Presentation Context Item in an A-ASSOCIATE-RQ (PS3.8 §9.3.2.2).
    public static let presentationContextRQ = ItemType(rawValue: 0x20)
    /// Presentation Context Item in an A-ASSOCIATE-AC (PS3.8 §9.3.3.2).
    public static let presentationContextAC = ItemType(rawValue: 0x21)
    /// Abstract Syntax Sub-Item (PS3.8 §9.3.2.2.1).
    public static let abstractSyntax = ItemType(rawValue: 0x30)
    /// Transfer Syntax Sub-Item (PS3.8 §9.3.2.2.2).
    public static let transferSyntax = ItemType(rawValue: 0x40)
    /// User Information Item (PS3.8 §9.3.2.3).
    public static let userInformation = ItemType(rawValue: 0x50)
    /// Maximum Length Sub-Item (PS3.8 Annex D.1).
    public static let maximumLength = ItemType(rawValue: 0x51)
    /// Implementation Class UID Sub-Item (PS3.7 D.3.3.2).
    public static let implementationClassUID = ItemType(rawValue: 0x52)
    /// Asynchronous Operations Window Sub-Item (PS3.7 D.3.3.3).
    public static let asynchronousOperationsWindow = ItemType(rawValue: 0x53)
    /// SCP/SCU Role Selection Sub-Item (PS3.7 D.3.3.4).
    public static let roleSelection = ItemType(rawValue: 0x54)
    /// Implementation Version Name Sub-Item (PS3.7 D.3.3.2).
    public static let implementationVersionName = ItemType(rawValue: 0x55)
}

/// Reading and writing the item framing shared by all items: type (1), reserved (1),
/// big-endian length (2), value (PS3.8 §9.3.2).
extension ByteReader {
    /// Reads one item header and returns its type and a sub-reader over exactly its value.
    mutating func readItem(_ container: String) throws(DicomError) -> (ItemType, ByteReader) {
        let type = ItemType(rawValue: try readUInt8("\(container) item type"))
        _ = try readUInt8("\(container) item reserved byte")
        let length = Int(try readUInt16("\(container) item length"))
        let value = try subReader(length, context: "\(container) item 0x\(hex2(type.rawValue)) of length \(length)")
        return (type, value)
    }

    /// Reads the rest of this reader as an ASCII UID or name, dropping trailing NUL/space padding.
    mutating func readText(_ context: String, maximumLength: Int = 64) throws(DicomError) -> String {
        let raw = try readBytes(remaining, context)
        var end = raw.endIndex
        while end > raw.startIndex, raw[end - 1] == 0 || raw[end - 1] == 0x20 { end -= 1 }
        let text = raw[raw.startIndex..<end]
        guard text.count <= maximumLength else {
            throw .invalid("\(context) is \(text.count) characters, more than \(maximumLength)")
        }
        guard text.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            throw .invalid("\(context) contains non-printable or non-ASCII bytes")
        }
        return String(decoding: text, as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    /// Appends an item with the given value bytes.
    mutating func appendItem(_ type: ItemType, _ value: some Collection<UInt8>) {
        append(type.rawValue)
        append(0)
        appendUInt16(UInt16(truncatingIfNeeded: value.count))
        append(contentsOf: value)
    }

    /// Appends an item whose value is an ASCII string (UIDs are sent unpadded, PS3.8 Annex F).
    mutating func appendTextItem(_ type: ItemType, _ text: String) {
        appendItem(type, Array(text.utf8))
    }

    /// Appends an item whose value is written by `body`.
    mutating func appendItem(_ type: ItemType, _ body: (inout [UInt8]) -> Void) {
        append(type.rawValue)
        append(0)
        let lengthOffset = count
        appendUInt16(0)
        body(&self)
        patchUInt16Length(at: lengthOffset)
    }
}
