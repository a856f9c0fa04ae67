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
