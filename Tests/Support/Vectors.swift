import Foundation

/// Finds and parses the files in the repository's `Vectors/` folder.
///
/// `Vectors/` is located by walking up from this source file (as swift-crypto's
/// `RFCVectorDecoder` does), so tests need no resource bundles. Every loader throws
/// when its file is missing or holds no vectors, so an emptied file fails its test.
public enum Vectors {
    /// An error loading a vector file.
    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
        public init(_ d: String) { description = d }
    }

    /// The `Vectors/` folder.
    public static let root: URL = {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("Vectors")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("README.md").path) {
                return candidate
            }
            dir = dir.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: "/nonexistent/Vectors")
    }()

    /// The URL of a file below `Vectors/`.
    public static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    /// The bytes of a file below `Vectors/`; throws if it is missing or empty.
    public static func data(_ relativePath: String) throws -> Data {
        let u = url(relativePath)
        guard let d = FileManager.default.contents(atPath: u.path) else {
            throw LoadError("vector file \(relativePath) is missing (looked in \(root.path))")
        }
        guard !d.isEmpty else { throw LoadError("vector file \(relativePath) is empty") }
        return d
    }

    /// The text of a file below `Vectors/`.
    public static func text(_ relativePath: String) throws -> String {
        String(decoding: try data(relativePath), as: UTF8.self)
    }

    /// Decodes a JSON file below `Vectors/`.
    public static func json<T: Decodable>(_ type: T.Type, _ relativePath: String) throws -> T {
        try JSONDecoder().decode(T.self, from: data(relativePath))
    }

    /// Parses a NIST CAVP `.rsp`-style file into blocks (see ``RSPBlock``); throws when
    /// the file holds no blocks.
    public static func rsp(_ relativePath: String) throws -> [RSPBlock] {
        let blocks = RSPBlock.parse(try text(relativePath))
        guard !blocks.isEmpty else { throw LoadError("\(relativePath) holds no vectors") }
        return blocks
    }
}

/// One `KEY = value` block of a NIST CAVP response file, with the `[SECTION]` headers
/// in force where it appears (e.g. `ENCRYPT`, `L=20`).
public struct RSPBlock: Sendable, CustomStringConvertible {
    /// The bracketed headers in force, in order, without brackets.
    public var sections: [String]
    /// The block's fields. Keys keep their case; a repeated key keeps its last value.
    public var fields: [String: String]
    /// The line number of the block's first field, for messages.
    public var line: Int

    /// The field `key`, or an empty string when absent.
    public subscript(_ key: String) -> String { fields[key] ?? "" }

    /// The field `key` decoded from hex.
    public func hex(_ key: String) -> [UInt8] { Hex.decode(fields[key] ?? "") }

    public var description: String { "line \(line) \(sections) \(fields.keys.sorted())" }

    /// Splits text into blocks separated by blank lines; `#` lines are comments.
    public static func parse(_ text: String) -> [RSPBlock] {
        var blocks: [RSPBlock] = []
        var sections: [String] = []
        var current: [String: String] = [:]
        var start = 0
        func flush() {
            if !current.isEmpty { blocks.append(RSPBlock(sections: sections, fields: current, line: start)) }
            current = [:]
        }
        for (n, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { flush(); continue }
            if line.hasPrefix("#") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                flush()
                let name = String(line.dropFirst().dropLast())
                // A header of the same kind (same key before "=") replaces the previous one.
                let kind = name.split(separator: "=").first.map(String.init) ?? name
                sections.removeAll { ($0.split(separator: "=").first.map(String.init) ?? $0) == kind
                    || ["ENCRYPT", "DECRYPT"].contains($0) && ["ENCRYPT", "DECRYPT"].contains(name) }
                sections.append(name)
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { continue }
            if current.isEmpty { start = n + 1 }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            current[key] = value
        }
        flush()
        return blocks
    }
}

/// Hex encoding and decoding for tests.
public enum Hex {
    /// Decodes hex, ignoring whitespace; invalid digits decode as zero nibbles.
    public static func decode(_ s: String) -> [UInt8] {
        let digits = s.unicodeScalars.filter { !$0.properties.isWhitespace }.map { Character($0) }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var i = 0
        while i + 1 < digits.count {
            out.append(UInt8((digits[i].hexDigitValue ?? 0) << 4 | (digits[i + 1].hexDigitValue ?? 0)))
            i += 2
        }
        return out
    }

    /// Lower-case hex.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
