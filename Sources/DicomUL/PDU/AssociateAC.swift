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
