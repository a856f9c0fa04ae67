/// Builds DER (X.690 §10) by appending elements; constructed elements are written by a
/// closure so that lengths are always computed, never guessed.
///
/// ```swift
/// var w = DERWriter()
/// w.sequence { w in
///     w.integer(2)
///     w.objectIdentifier([2, 5, 4, 3])
/// }
/// let der = w.bytes
/// ```
public struct DERWriter: Sendable {
    /// The encoding so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty writer.
    public init() {}

    /// Appends an element with the given identifier and contents octets.
    public mutating func element(_ identifier: ASN1Identifier, content: some Collection<UInt8>) {
        bytes += identifier.encoded
        appendLength(content.count)
        bytes += content
    }

    /// Appends a constructed element whose contents `body` writes.
    public mutating func constructed(_ identifier: ASN1Identifier, _ body: (inout DERWriter) -> Void) {
        var inner = DERWriter()
        body(&inner)
        element(identifier, content: inner.bytes)
    }

    /// Appends a constructed element whose contents `body` writes; rethrows its error.
    public mutating func constructed<E: Error>(
        _ identifier: ASN1Identifier, _ body: (inout DERWriter) throws(E) -> Void
    ) throws(E) {
        var inner = DERWriter()
        try body(&inner)
        element(identifier, content: inner.bytes)
    }

    /// Appends a SEQUENCE.
    public mutating func sequence(_ body: (inout DERWriter) -> Void) { constructed(.sequence, body) }

    /// Appends a SET. The caller orders SET OF members (X.690 §11.6); names use one per set.
    public mutating func set(_ body: (inout DERWriter) -> Void) { constructed(.set, body) }

    /// Appends an EXPLICIT context tag `[n]` around what `body` writes.
    public mutating func explicit(_ n: UInt32, _ body: (inout DERWriter) -> Void) {
        constructed(.contextSpecific(n, constructed: true), body)
    }

    /// Appends already-encoded DER (for example a parsed name or a signed tbsCertificate).
    public mutating func raw(_ encoded: some Collection<UInt8>) { bytes += encoded }

    /// Appends a BOOLEAN.
    public mutating func boolean(_ value: Bool) { element(.boolean, content: [value ? 0xFF : 0x00]) }

    /// Appends an INTEGER from an `Int`.
    public mutating func integer(_ value: Int, tag: ASN1Identifier = .integer) {
        var content: [UInt8] = []
        var v = Int64(value)
        repeat {
            content.insert(UInt8(truncatingIfNeeded: v), at: 0)
            v >>= 8
        } while !(v == 0 && content[0] & 0x80 == 0) && !(v == -1 && content[0] & 0x80 != 0)
        element(tag, content: content)
    }

    /// Appends a non-negative INTEGER from big-endian magnitude bytes, minimally encoded
    /// (leading zeros dropped, a `00` added when the top bit is set).
    public mutating func unsignedInteger(_ magnitude: some Collection<UInt8>, tag: ASN1Identifier = .integer) {
        var content = Array(magnitude.drop { $0 == 0 })
        if content.first.map({ $0 & 0x80 != 0 }) ?? true { content.insert(0, at: 0) }
        element(tag, content: content)
    }

    /// Appends a NULL.
    public mutating func null() { element(.null, content: []) }

    /// Appends an OBJECT IDENTIFIER.
    public mutating func objectIdentifier(_ oid: ASN1ObjectIdentifier) {
        element(.objectIdentifier, content: oid.encodedContent)
    }

    /// Appends an OCTET STRING.
    public mutating func octetString(_ value: some Collection<UInt8>, tag: ASN1Identifier = .octetString) {
        element(tag, content: value)
    }

    /// Appends a BIT STRING of whole bytes (as signatures and keys are).
    public mutating func bitString(_ value: some Collection<UInt8>) {
        element(.bitString, content: [0] + Array(value))
    }

    /// Appends a BIT STRING from a named-bit list: bit 0 is the most significant bit of the
    /// first byte; trailing zero bits are dropped as DER requires (X.690 §11.2.2).
    public mutating func namedBits(_ bits: [Int]) {
        let top = bits.filter { $0 >= 0 }.max()
        guard let top else {
            element(.bitString, content: [0])
            return
        }
        var bytes = [UInt8](repeating: 0, count: top / 8 + 1)
        for b in bits where b >= 0 { bytes[b / 8] |= 0x80 >> UInt8(b % 8) }
        element(.bitString, content: [UInt8(7 - top % 8)] + bytes)
    }

    /// Appends a character string of the given kind.
    public mutating func string(_ value: ASN1String) {
        let units: [UInt8]
        switch value.kind {
        case .bmp: units = value.value.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        case .universal:
            units = value.value.unicodeScalars.flatMap { s in (0..<4).map { UInt8(truncatingIfNeeded: s.value >> (24 - 8 * $0)) } }
        case .teletex: units = value.value.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        default: units = Array(value.value.utf8)
        }
        element(value.kind.identifier, content: units)
    }

    /// Appends a time as UTCTime for 1950–2049 and GeneralizedTime otherwise (RFC 5280 §4.1.2.5).
    public mutating func time(_ value: ASN1Time) {
        let utc = value.fitsUTCTime
        element(utc ? .utcTime : .generalizedTime, content: value.encodedContent(utc: utc))
    }

    /// Length octets in the shortest form (X.690 §10.1).
    private mutating func appendLength(_ length: Int) {
        if length < 0x80 {
            bytes.append(UInt8(length))
            return
        }
        var digits: [UInt8] = []
        var n = length
        while n > 0 {
            digits.insert(UInt8(n & 0xFF), at: 0)
            n >>= 8
        }
        bytes.append(0x80 | UInt8(digits.count))
        bytes += digits
    }
}
