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
        AssociateVariableItems(
            applicationContextName: applicationContextName, presentationContexts: presentationContexts,
            userInformation: userInformation
        ).encode(into: &out)
    }

    init(decodingBody reader: inout ByteReader) throws(DicomError) {
        let fixed = try AssociateFixedFields(decoding: &reader)
        let items = try AssociateVariableItems<PresentationContextProposal>(decoding: &reader, pdu: "A-ASSOCIATE-RQ")
        guard !items.presentationContexts.isEmpty else { throw .invalid("A-ASSOCIATE-RQ proposes no presentation context") }
        protocolVersion = fixed.protocolVersion
        calledAETitle = fixed.called
        callingAETitle = fixed.calling
        applicationContextName = items.applicationContextName
        presentationContexts = items.presentationContexts
        userInformation = items.userInformation
    }
}
