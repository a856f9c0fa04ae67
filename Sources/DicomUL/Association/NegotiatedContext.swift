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
}
