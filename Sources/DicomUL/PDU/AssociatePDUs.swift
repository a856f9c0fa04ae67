/// The A-ASSOCIATE-RQ PDU (PS3.8 §9.3.2, Table 9-11).
public struct AssociateRQ: Sendable, Equatable {
    /// Protocol version bit field; bit 0 set means version 1 (the only one defined).
    public var protocolVersion: UInt16
    /// The called AE title (1–16 characters).
    public var calledAETitle: String
    /// The calling AE title (1–16 characters).
    public var callingAETitle: String
    /// The application context name (the DICOM one is ``applicationContextName``).
    public var applicationContextName: String
    /// Proposed presentation contexts.
    public var presentationContexts: [PresentationContextProposal]
    /// User information.
    public var userInformation: UserInformation

    /// The DICOM Application Context Name (PS3.7 Annex A.2.1).
    public static let dicomApplicationContextName = "1.2.840.10008.3.1.1.1"

    /// Creates a request.
    public init(
        calledAETitle: String, callingAETitle: String, presentationContexts: [PresentationContextProposal],
        userInformation: UserInformation, protocolVersion: UInt16 = 1,
        applicationContextName: String = AssociateRQ.dicomApplicationContextName
    ) {
        self.protocolVersion = protocolVersion
        self.calledAETitle = calledAETitle
        self.callingAETitle = callingAETitle
        self.applicationContextName = applicationContextName
        self.presentationContexts = presentationContexts
        self.userInformation = userInformation
    }

    func encodeBody(into out: inout [UInt8]) {
        AssociateFixedFields(protocolVersion: protocolVersion, called: calledAETitle, calling: callingAETitle).encode(into: &out)
        out.appendTextItem(.applicationContext, applicationContextName)
        for pc in presentationContexts { pc.encode(into: &out) }
        userInformation.encode(into: &out)
    }

    init(decodingBody reader: inout ByteReader) throws(DicomError) {
        let fixed = try AssociateFixedFields(decoding: &reader)
        protocolVersion = fixed.protocolVersion
        calledAETitle = fixed.called
        callingAETitle = fixed.calling
        var context: String?
        var contexts: [PresentationContextProposal] = []
        var user: UserInformation?
        while !reader.isAtEnd {
            var (type, value) = try reader.readItem("A-ASSOCIATE-RQ")
            switch type {
            case .applicationContext:
                guard context == nil else { throw .invalid("A-ASSOCIATE-RQ has two application context items") }
                context = try value.readText("application context name")
            case .presentationContextRQ:
                let pc = try PresentationContextProposal(decoding: &value)
                guard !contexts.contains(where: { $0.id == pc.id }) else {
                    throw .invalid("A-ASSOCIATE-RQ proposes presentation context ID \(pc.id) twice")
                }
                contexts.append(pc)
            case .userInformation:
                guard user == nil else { throw .invalid("A-ASSOCIATE-RQ has two user information items") }
                user = try UserInformation(decoding: &value)
            default:
                throw DicomError(.invalidPDU, "A-ASSOCIATE-RQ has unknown item 0x\(hex2(type.rawValue))",
                                 abortReason: .unrecognizedPDUParameter)
            }
        }
        guard let context else { throw .invalid("A-ASSOCIATE-RQ has no application context item") }
        guard !contexts.isEmpty else { throw .invalid("A-ASSOCIATE-RQ proposes no presentation context") }
        guard let user else { throw .invalid("A-ASSOCIATE-RQ has no user information item") }
        applicationContextName = context
        presentationContexts = contexts
        userInformation = user
    }
}

/// The A-ASSOCIATE-AC PDU (PS3.8 §9.3.3, Table 9-17).
public struct AssociateAC: Sendable, Equatable {
    /// Protocol version bit field.
    public var protocolVersion: UInt16
    /// The called AE title as received in the request (PS3.8 Table 9-17: not tested).
    public var calledAETitle: String
    /// The calling AE title as received in the request.
    public var callingAETitle: String
    /// The application context name.
    public var applicationContextName: String
    /// One result per proposed context.
    public var presentationContexts: [PresentationContextResult]
    /// User information.
    public var userInformation: UserInformation

    /// Creates an acceptance.
    public init(
        calledAETitle: String, callingAETitle: String, presentationContexts: [PresentationContextResult],
        userInformation: UserInformation, protocolVersion: UInt16 = 1,
        applicationContextName: String = AssociateRQ.dicomApplicationContextName
    ) {
        self.protocolVersion = protocolVersion
        self.calledAETitle = calledAETitle
        self.callingAETitle = callingAETitle
        self.applicationContextName = applicationContextName
        self.presentationContexts = presentationContexts
        self.userInformation = userInformation
    }

    func encodeBody(into out: inout [UInt8]) {
        AssociateFixedFields(protocolVersion: protocolVersion, called: calledAETitle, calling: callingAETitle).encode(into: &out)
        out.appendTextItem(.applicationContext, applicationContextName)
        for pc in presentationContexts { pc.encode(into: &out) }
        userInformation.encode(into: &out)
    }

    init(decodingBody reader: inout ByteReader) throws(DicomError) {
        let fixed = try AssociateFixedFields(decoding: &reader)
        protocolVersion = fixed.protocolVersion
        calledAETitle = fixed.called
        callingAETitle = fixed.calling
        var context: String?
        var contexts: [PresentationContextResult] = []
        var user: UserInformation?
        while !reader.isAtEnd {
            var (type, value) = try reader.readItem("A-ASSOCIATE-AC")
            switch type {
            case .applicationContext:
                guard context == nil else { throw .invalid("A-ASSOCIATE-AC has two application context items") }
                context = try value.readText("application context name")
            case .presentationContextAC:
                let pc = try PresentationContextResult(decoding: &value)
                guard !contexts.contains(where: { $0.id == pc.id }) else {
                    throw .invalid("A-ASSOCIATE-AC answers presentation context ID \(pc.id) twice")
                }
                contexts.append(pc)
            case .userInformation:
                guard user == nil else { throw .invalid("A-ASSOCIATE-AC has two user information items") }
                user = try UserInformation(decoding: &value)
            default:
                throw DicomError(.invalidPDU, "A-ASSOCIATE-AC has unknown item 0x\(hex2(type.rawValue))",
                                 abortReason: .unrecognizedPDUParameter)
            }
        }
        guard let context else { throw .invalid("A-ASSOCIATE-AC has no application context item") }
        guard let user else { throw .invalid("A-ASSOCIATE-AC has no user information item") }
        applicationContextName = context
        presentationContexts = contexts
        userInformation = user
    }
}

/// The fixed fields that open both A-ASSOCIATE-RQ and -AC: protocol version (2), reserved (2),
/// called AE (16), calling AE (16), reserved (32) (PS3.8 Tables 9-11 and 9-17).
struct AssociateFixedFields {
    var protocolVersion: UInt16
    var called: String
    var calling: String

    func encode(into out: inout [UInt8]) {
        out.appendUInt16(protocolVersion)
        out += [0, 0]
        out += AETitle.padded(called)
        out += AETitle.padded(calling)
        out += [UInt8](repeating: 0, count: 32)
    }

    init(protocolVersion: UInt16, called: String, calling: String) {
        self.protocolVersion = protocolVersion
        self.called = called
        self.calling = calling
    }

    init(decoding reader: inout ByteReader) throws(DicomError) {
        protocolVersion = try reader.readUInt16("protocol version")
        try reader.skip(2, "reserved")
        called = try AETitle.decode(try reader.readBytes(16, "called AE title"), field: "called AE title")
        calling = try AETitle.decode(try reader.readBytes(16, "calling AE title"), field: "calling AE title")
        try reader.skip(32, "reserved")
    }
}

/// Application Entity titles: up to 16 characters of the Default Character Repertoire without
/// backslash or control characters, space padded on the wire (PS3.5 §6.2 "AE").
public enum AETitle {
    /// Whether `title` is a valid AE title (1–16 characters, not all spaces).
    public static func isValid(_ title: String) -> Bool {
        let bytes = Array(title.utf8)
        return !bytes.isEmpty && bytes.count <= 16 && bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != 0x5C }
            && bytes.contains { $0 != 0x20 }
    }

    /// The 16-byte space-padded wire form (callers validate with ``isValid(_:)`` first).
    static func padded(_ title: String) -> [UInt8] {
        var bytes = Array(title.utf8.prefix(16))
        bytes += [UInt8](repeating: 0x20, count: 16 - bytes.count)
        return bytes
    }

    /// Decodes a 16-byte field, trimming leading and trailing spaces (PS3.5: not significant).
    static func decode(_ field: ArraySlice<UInt8>, field name: String) throws(DicomError) -> String {
        guard field.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0 }) else {
            throw .invalid("\(name) contains non-ASCII or control bytes")
        }
        let text = String(decoding: field.filter { $0 != 0 }, as: UTF8.self)
        return text.trimmingSpaces()
    }
}

extension String {
    /// The string without leading and trailing spaces.
    func trimmingSpaces() -> String {
        let u = Array(utf8)
        guard let first = u.firstIndex(where: { $0 != 0x20 }), let last = u.lastIndex(where: { $0 != 0x20 }) else { return "" }
        return String(decoding: u[first...last], as: UTF8.self)
    }
}
