/// A presentation context item as it appears in an A-ASSOCIATE-RQ (a proposal, item 0x20)
/// or an A-ASSOCIATE-AC (a result, item 0x21).
protocol PresentationContextItem: Sendable, Equatable {
    /// The item type that carries this kind of context.
    static var itemType: ItemType { get }
    /// The presentation context ID (odd, 1–255).
    var id: UInt8 { get }
    init(decoding reader: inout ByteReader) throws(DicomError)
    func encode(into out: inout [UInt8])
}

extension PresentationContextProposal: PresentationContextItem {
    static var itemType: ItemType { .presentationContextRQ }
}

extension PresentationContextResult: PresentationContextItem {
    static var itemType: ItemType { .presentationContextAC }
}

/// The variable items shared by A-ASSOCIATE-RQ and -AC (PS3.8 Tables 9-11 and 9-17): one
/// application context, the presentation contexts, one user information item, in any order.
struct AssociateVariableItems<Context: PresentationContextItem> {
    var applicationContextName: String
    var presentationContexts: [Context]
    var userInformation: UserInformation

    init(applicationContextName: String, presentationContexts: [Context], userInformation: UserInformation) {
        self.applicationContextName = applicationContextName
        self.presentationContexts = presentationContexts
        self.userInformation = userInformation
    }

    func encode(into out: inout [UInt8]) {
        out.appendTextItem(.applicationContext, applicationContextName)
        for pc in presentationContexts { pc.encode(into: &out) }
        userInformation.encode(into: &out)
    }

    /// Decodes the items that follow the fixed fields; `pdu` names the PDU in error messages.
    init(decoding reader: inout ByteReader, pdu: String) throws(DicomError) {
        var context: String?
        var contexts: [Context] = []
        var user: UserInformation?
        while !reader.isAtEnd {
            var (type, value) = try reader.readItem(pdu)
            switch type {
            case .applicationContext:
                guard context == nil else { throw .invalid("\(pdu) has two application context items") }
                context = try value.readText("application context name")
            case Context.itemType:
                let pc = try Context(decoding: &value)
                guard !contexts.contains(where: { $0.id == pc.id }) else {
                    throw .invalid("\(pdu) has presentation context ID \(pc.id) twice")
                }
                contexts.append(pc)
            case .userInformation:
                guard user == nil else { throw .invalid("\(pdu) has two user information items") }
                user = try UserInformation(decoding: &value)
            default:
                throw DicomError(.invalidPDU, "\(pdu) has unknown item 0x\(hex2(type.rawValue))",
                                 abortReason: .unrecognizedPDUParameter)
            }
        }
        guard let context else { throw .invalid("\(pdu) has no application context item") }
        guard let user else { throw .invalid("\(pdu) has no user information item") }
        applicationContextName = context
        presentationContexts = contexts
        userInformation = user
    }
}
