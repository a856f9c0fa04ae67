/// One PEM block (RFC 7468, with RFC 1421 headers as OpenSSL writes them for
/// traditional encrypted keys): a label, optional headers, and the DER bytes.
///
/// ```
/// -----BEGIN RSA PRIVATE KEY-----
/// Proc-Type: 4,ENCRYPTED
/// DEK-Info: DES-EDE3-CBC,0123456789ABCDEF
///
/// MIIEpAIBAAKCAQEA…
/// -----END RSA PRIVATE KEY-----
/// ```
public struct PEMDocument: Hashable, Sendable {
    /// The label between `BEGIN ` and the dashes, e.g. `CERTIFICATE`, `PRIVATE KEY`.
    public var label: String
    /// RFC 1421 headers in file order (empty for RFC 7468 blocks).
    public var headers: [Header]
    /// The decoded base64 contents (usually DER).
    public var derBytes: [UInt8]

    /// One `Name: value` header line.
    public struct Header: Hashable, Sendable {
        /// The header name, e.g. `Proc-Type`.
        public var name: String
        /// The value with surrounding spaces removed, e.g. `4,ENCRYPTED`.
        public var value: String

        /// Creates a header.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The largest PEM text accepted, in bytes (a bound on work and memory).
    public static let maximumTextByteCount = 64 << 20

    /// A document from its parts.
    public init(label: String, derBytes: [UInt8], headers: [Header] = []) {
        self.label = label
        self.derBytes = derBytes
        self.headers = headers
    }

    /// Parses text that holds exactly one PEM block (text around it is ignored).
    public init(pemEncoded text: String) throws(X509Error) {
        let all = try Self.parseAll(text)
        guard all.count == 1, let only = all.first else {
            throw X509Error(.invalidPEM, "expected one PEM block, found \(all.count)")
        }
        self = only
    }

    /// The value of the first header called `name` (case-insensitive), if any.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Parses every PEM block in `text` (e.g. a CA bundle), in order. Text outside the
    /// blocks (comments, `openssl x509 -text` output) is ignored; inside a block
    /// everything is checked: matching labels, header syntax, strict base64.
    ///
    /// - Throws: ``X509Error/Code-swift.struct/invalidPEM`` naming the line at fault,
    ///   including when `text` holds no PEM block at all.
    public static func parseAll(_ text: String) throws(X509Error) -> [PEMDocument] {
        guard text.utf8.count <= maximumTextByteCount else {
            throw X509Error(.invalidPEM, "PEM text of \(text.utf8.count) bytes exceeds the \(maximumTextByteCount)-byte limit")
        }
        var documents: [PEMDocument] = []
        var parser = PEMParser(lines: Self.lines(text))
        while let doc = try parser.nextBlock() { documents.append(doc) }
        guard !documents.isEmpty else { throw X509Error(.invalidPEM, "no PEM block (-----BEGIN …-----) found") }
        return documents
    }

    /// The block as PEM text: headers, a blank line after them, and base64 in 64-column
    /// lines (RFC 7468 §2), ending with a newline.
    public var pemEncoded: String {
        var out = "-----BEGIN \(label)-----\n"
        if !headers.isEmpty {
            for h in headers { out += "\(h.name): \(h.value)\n" }
            out += "\n"
        }
        out += Base64.encode(derBytes)
        out += "-----END \(label)-----\n"
        return out
    }

    /// Splits into lines on LF, CRLF or CR, with trailing spaces and tabs removed.
    static func lines(_ text: String) -> [ArraySlice<UInt8>] {
        let bytes = Array(text.utf8)
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var i = 0
        func add(_ end: Int) {
            var e = end
            while e > start, bytes[e - 1] == 0x20 || bytes[e - 1] == 0x09 { e -= 1 }
            lines.append(bytes[start..<e])
        }
        while i < bytes.count {
            if bytes[i] == 0x0A || bytes[i] == 0x0D {
                add(i)
                if bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
                start = i + 1
            }
            i += 1
        }
        if start < bytes.count { add(bytes.count) }
        return lines
    }
}

/// The line-by-line PEM block reader behind ``PEMDocument/parseAll(_:)``.
private struct PEMParser {
    let lines: [ArraySlice<UInt8>]
    var index = 0

    init(lines: [ArraySlice<UInt8>]) {
        self.lines = lines
    }

    /// The next block, or nil when no `-----BEGIN` line is left.
    mutating func nextBlock() throws(X509Error) -> PEMDocument? {
        while index < lines.count {
            let line = lines[index]
            index += 1
            if let label = Self.boundary(line, "BEGIN") {
                return try block(label: label, beginLine: index)
            }
            if Self.boundary(line, "END") != nil {
                throw X509Error(.invalidPEM, "line \(index): END boundary without a BEGIN")
            }
        }
        return nil
    }

    private mutating func block(label: String, beginLine: Int) throws(X509Error) -> PEMDocument {
        var headers: [PEMDocument.Header] = []
        var base64: [UInt8] = []
        var inHeaders = true
        while index < lines.count {
            let line = lines[index]
            index += 1
            if let end = Self.boundary(line, "END") {
                guard end == label else {
                    throw X509Error(.invalidPEM, "line \(index): END label \"\(end)\" does not match BEGIN label \"\(label)\"")
                }
                guard let der = Base64.decode(base64) else {
                    throw X509Error(.invalidPEM, "the \(label) block starting at line \(beginLine) has invalid base64")
                }
                return PEMDocument(label: label, derBytes: der, headers: headers)
            }
            if Self.boundary(line, "BEGIN") != nil {
                throw X509Error(.invalidPEM, "line \(index): BEGIN inside the \(label) block starting at line \(beginLine)")
            }
            if inHeaders, let colon = line.firstIndex(of: UInt8(ascii: ":")) {
                let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
                let value = String(decoding: line[(colon + 1)...], as: UTF8.self)
                guard !name.isEmpty, !name.contains(" ") else {
                    throw X509Error(.invalidPEM, "line \(index): malformed PEM header")
                }
                headers.append(.init(name: name, value: value.trimmingSpaces()))
                continue
            }
            if inHeaders, !headers.isEmpty, let first = line.first, first == 0x20 || first == 0x09 {
                // RFC 1421 §4.4: a header value continues on lines that start with white space.
                let more = String(decoding: line, as: UTF8.self).trimmingSpaces()
                headers[headers.count - 1].value += more
                continue
            }
            if line.isEmpty {
                // The blank line that ends the headers; blank lines elsewhere are tolerated.
                inHeaders = false
                continue
            }
            inHeaders = false
            base64 += line
        }
        throw X509Error(.invalidPEM, "the \(label) block starting at line \(beginLine) has no END line")
    }

    /// The label of a `-----BEGIN label-----` or `-----END label-----` line.
    static func boundary(_ line: ArraySlice<UInt8>, _ kind: String) -> String? {
        let text = String(decoding: line, as: UTF8.self)
        let prefix = "-----\(kind) ", suffix = "-----"
        guard text.hasPrefix(prefix), text.hasSuffix(suffix), text.count > prefix.count + suffix.count else {
            return nil
        }
        return String(text.dropFirst(prefix.count).dropLast(suffix.count))
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        let start = scalars.firstIndex { $0 != " " && $0 != "\t" } ?? scalars.endIndex
        let end = scalars.lastIndex { $0 != " " && $0 != "\t" }.map { scalars.index(after: $0) } ?? start
        return start < end ? String(scalars[start..<end]) : ""
    }
}
