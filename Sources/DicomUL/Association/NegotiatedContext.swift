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

extension Dictionary where Key == UInt8, Value == NegotiatedContext {
    /// The accepted context for an abstract syntax (the lowest ID first), preferring
    /// `transferSyntax` when given: what both the blocking and the async association use.
    public func context(for abstractSyntax: String, transferSyntax: String? = nil) -> NegotiatedContext? {
        let matches = values.filter { $0.abstractSyntax == abstractSyntax }.sorted { $0.id < $1.id }
        if let transferSyntax { return matches.first { $0.transferSyntax == transferSyntax } }
        return matches.first
    }
}

/// The Message IDs one association hands out (PS3.7 §9.3.1): counting up from 1, never 0.
public struct MessageIDCounter: Sendable {
    private var last: UInt16 = 0

    /// A counter whose first ID is 1.
    public init() {}

    /// The next Message ID (after 65,535 it wraps to 1).
    public mutating func next() -> UInt16 {
        last = last &+ 1
        if last == 0 { last = 1 }
        return last
    }
}
