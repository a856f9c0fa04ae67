/// A strict, safe reader of consecutive DER elements (X.690 §10).
///
/// It accepts only what DER allows: definite lengths in their shortest form, minimal
/// high tag numbers, and no bytes beyond the elements the caller expects (``finish(_:)``).
/// Every length is checked against the bytes left before use, and constructed elements
/// may nest at most ``maximumDepth`` levels, so hostile input cannot trap, hang, or make
/// the reader allocate. Errors carry the byte offset where the problem was found.
///
/// ```swift
/// let cert = try DER.parse(bytes)          // one element, whole tree checked
/// var fields = try cert.children()
/// let tbs = try fields.read(.sequence, "tbsCertificate")
/// try fields.finish()
/// ```
public struct DERReader: Sendable {
    /// The deepest nesting of constructed elements accepted (certificates need about 10).
    public static let maximumDepth = 32

    private let bytes: ArraySlice<UInt8>
    private var position: Int
    /// The index in `bytes`' base that corresponds to offset 0 of the top-level input.
    private let origin: Int
    /// The depth of the elements this reader yields.
    let depth: Int

    /// A reader over a top-level input.
    public init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
        self.origin = bytes.startIndex
        self.depth = 0
    }

    /// A reader over the contents of an element at `depth - 1`.
    init(_ bytes: ArraySlice<UInt8>, origin: Int, depth: Int) throws(X509Error) {
        guard depth <= Self.maximumDepth else {
            throw X509Error(
                .nestingTooDeep, "constructed elements nested deeper than \(Self.maximumDepth) levels",
                offset: bytes.startIndex - origin)
        }
        self.bytes = bytes
        self.position = bytes.startIndex
        self.origin = origin
        self.depth = depth
    }

    /// Whether every element has been read.
    public var isAtEnd: Bool { position == bytes.endIndex }

    /// The current offset in the top-level input.
    public var offset: Int { position - origin }

    /// The identifier of the next element, without consuming it; nil at the end or when
    /// the identifier is malformed (``next()`` then reports why).
    public func peekIdentifier() -> ASN1Identifier? {
        var copy = self
        return try? copy.readIdentifier()
    }

    /// Reads the next element, whatever its tag.
    public mutating func next() throws(X509Error) -> ASN1Node {
        let start = position
        let identifier = try readIdentifier()
        let length = try readLength()
        let contentStart = position
        guard length <= bytes.endIndex - position else {
            throw X509Error(
                .truncated,
                "element \(identifier) declares \(length) content bytes but only \(bytes.endIndex - position) remain",
                offset: start - origin)
        }
        position += length
        return ASN1Node(
            identifier: identifier, encodedBytes: bytes[start..<position],
            content: bytes[contentStart..<position], offset: start - origin,
            contentOffset: contentStart - origin, depth: depth)
    }

    /// Reads the next element and checks its identifier; `what` names it in errors.
    public mutating func read(_ identifier: ASN1Identifier, _ what: String) throws(X509Error) -> ASN1Node {
        guard !isAtEnd else {
            throw X509Error(.truncated, "\(what): missing (expected \(identifier))", offset: offset)
        }
        let node = try next()
        try node.expect(identifier, what)
        return node
    }

    /// Reads the next element if it has `identifier` (for OPTIONAL and DEFAULT fields).
    public mutating func readIfPresent(_ identifier: ASN1Identifier) throws(X509Error) -> ASN1Node? {
        guard peekIdentifier() == identifier else { return nil }
        return try next()
    }

    /// Checks that nothing follows the elements read; `what` names the enclosing structure.
    public func finish(_ what: String = "element") throws(X509Error) {
        guard isAtEnd else {
            throw X509Error(
                .trailingBytes, "\(what): \(bytes.endIndex - position) unexpected bytes after the last field",
                offset: offset)
        }
    }

    // MARK: Header parsing (X.690 §8.1.2, §8.1.3, §10.1)

    private mutating func readByte(_ what: String) throws(X509Error) -> UInt8 {
        guard position < bytes.endIndex else {
            throw X509Error(.truncated, "input ends inside the \(what)", offset: offset)
        }
        defer { position += 1 }
        return bytes[position]
    }

    private mutating func readIdentifier() throws(X509Error) -> ASN1Identifier {
        let start = offset
        let first = try readByte("identifier octets")
        let tagClass = ASN1Identifier.TagClass(rawValue: first >> 6) ?? .universal
        let constructed = first & 0x20 != 0
        var number = UInt32(first & 0x1F)
        if number == 0x1F {
            // High tag number form: base-128 digits, no leading 0x80, value at least 31.
            number = 0
            var digit = try readByte("identifier octets")
            guard digit != 0x80 else {
                throw X509Error(.invalidTag, "high tag number has a leading zero digit", offset: start)
            }
            while true {
                guard number < 1 << 24 else {
                    throw X509Error(.invalidTag, "tag number too large", offset: start)
                }
                number = number << 7 | UInt32(digit & 0x7F)
                if digit & 0x80 == 0 { break }
                digit = try readByte("identifier octets")
            }
            guard number >= 31 else {
                throw X509Error(.invalidTag, "tag number \(number) uses the long form needlessly", offset: start)
            }
        }
        return ASN1Identifier(tagClass: tagClass, tagNumber: number, constructed: constructed)
    }

    private mutating func readLength() throws(X509Error) -> Int {
        let start = offset
        let first = try readByte("length octets")
        if first < 0x80 { return Int(first) }
        if first == 0x80 {
            throw X509Error(.invalidLength, "indefinite length is not allowed in DER", offset: start)
        }
        let count = Int(first & 0x7F)
        guard count <= 4 else {
            throw X509Error(.invalidLength, "length field of \(count) bytes is too large", offset: start)
        }
        var length = 0
        for i in 0..<count {
            let b = try readByte("length octets")
            if i == 0 && b == 0 {
                throw X509Error(.invalidLength, "length has a leading zero byte (not minimal)", offset: start)
            }
            length = length << 8 | Int(b)
        }
        guard length >= 0x80 else {
            throw X509Error(.invalidLength, "length \(length) must use the short form in DER", offset: start)
        }
        return length
    }
}
