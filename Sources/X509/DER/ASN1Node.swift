/// One DER element (tag, length and contents) found by a ``DERReader``.
///
/// Nodes are views into the parsed bytes: ``encodedBytes`` is the whole element as it
/// appeared (needed, for example, to hash a certificate's `tbsCertificate` exactly) and
/// ``content`` its contents octets.
public struct ASN1Node: Sendable {
    /// The element's identifier.
    public let identifier: ASN1Identifier
    /// The whole element, identifier and length octets included.
    public let encodedBytes: ArraySlice<UInt8>
    /// The contents octets.
    public let content: ArraySlice<UInt8>
    /// The byte offset of the element in the top-level input, for error messages.
    public let offset: Int
    /// The byte offset of the contents in the top-level input.
    public let contentOffset: Int
    /// How many constructed elements enclose this one (0 at the top level).
    public let depth: Int

    /// A reader over the children of a constructed element.
    ///
    /// - Throws: ``X509Error/Code/unexpectedTag`` when the element is primitive,
    ///   ``X509Error/Code/nestingTooDeep`` when children would exceed the depth limit.
    public func children() throws(X509Error) -> DERReader {
        guard identifier.isConstructed else {
            throw X509Error(.unexpectedTag, "expected a constructed element, found \(identifier)", offset: offset)
        }
        return try DERReader(content, origin: content.startIndex - contentOffset, depth: depth + 1)
    }

    /// Checks that the element has the identifier `expected`.
    public func expect(_ expected: ASN1Identifier, _ what: String) throws(X509Error) {
        guard identifier == expected else {
            throw X509Error(.unexpectedTag, "\(what): expected \(expected), found \(identifier)", offset: offset)
        }
    }

    /// An error about this element's contents, located at its offset.
    func error(_ code: X509Error.Code, _ message: String) -> X509Error {
        X509Error(code, message, offset: offset)
    }
}
