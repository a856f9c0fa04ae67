/// An accepted presentation context: what may be sent on it and how it is encoded.
public struct NegotiatedContext: Sendable, Equatable {
    /// The presentation context ID.
    public var id: UInt8
    /// The abstract syntax (SOP class) UID.
    public var abstractSyntax: String
    /// The accepted transfer syntax UID.
    public var transferSyntax: String

    /// Creates a context.
    public init(id: UInt8, abstractSyntax: String, transferSyntax: String) {
        self.id = id
        self.abstractSyntax = abstractSyntax
        self.transferSyntax = transferSyntax
    }

    /// The contexts an A-ASSOCIATE-AC accepted from an A-ASSOCIATE-RQ, by ID (PS3.8 §9.3.3.2).
    public static func accepted(request: AssociateRQ?, acceptance: AssociateAC) -> [UInt8: NegotiatedContext] {
        var contexts: [UInt8: NegotiatedContext] = [:]
        for result in acceptance.presentationContexts where result.result == .acceptance {
            if let proposal = request?.presentationContexts.first(where: { $0.id == result.id }) {
                contexts[result.id] = NegotiatedContext(id: result.id, abstractSyntax: proposal.abstractSyntax, transferSyntax: result.transferSyntax)
            }
        }
        return contexts
    }
}
