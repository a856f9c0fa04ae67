/// Entry points for parsing whole DER documents.
public enum DER {
    /// Parses exactly one DER element from `bytes` and checks the structure of every
    /// constructed element inside it (headers, lengths, depth, no trailing bytes).
    ///
    /// - Throws: ``X509Error`` with the offset of the first problem.
    public static func parse(_ bytes: [UInt8]) throws(X509Error) -> ASN1Node {
        try parse(bytes[...])
    }

    /// Parses exactly one DER element from a slice; offsets count from its start.
    public static func parse(_ bytes: ArraySlice<UInt8>) throws(X509Error) -> ASN1Node {
        var reader = DERReader(bytes)
        guard !reader.isAtEnd else { throw X509Error(.truncated, "empty input", offset: 0) }
        let node = try reader.next()
        try reader.finish("DER document")
        try validate(node)
        return node
    }

    /// Walks the tree so that malformed constructed contents fail up front, even where the
    /// decoder would later skip them. Recursion is bounded by ``DERReader/maximumDepth``.
    private static func validate(_ node: ASN1Node) throws(X509Error) {
        guard node.identifier.isConstructed else { return }
        var children = try node.children()
        while !children.isAtEnd { try validate(children.next()) }
    }
}
