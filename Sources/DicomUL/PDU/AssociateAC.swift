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
        AssociateVariableItems(
            applicationContextName: applicationContextName, presentationContexts: presentationContexts,
            userInformation: userInformation
        ).encode(into: &out)
    }

    init(decodingBody reader: inout ByteReader) throws(DicomError) {
        let fixed = try AssociateFixedFields(decoding: &reader)
        let items = try AssociateVariableItems<PresentationContextResult>(decoding: &reader, pdu: "A-ASSOCIATE-AC")
        protocolVersion = fixed.protocolVersion
        calledAETitle = fixed.called
        callingAETitle = fixed.calling
        applicationContextName = items.applicationContextName
        presentationContexts = items.presentationContexts
        userInformation = items.userInformation
    }
}
