/// A DICOM Part 10 file's header as read from disk: where the data set starts and what it is
/// (PS3.10 §7.1: 128-byte preamble, "DICM", File Meta Information in Explicit VR Little Endian).
public struct Part10File: Sendable, Equatable {
    /// The file path.
    public var path: String
    /// Media Storage SOP Class UID (0002,0002).
    public var sopClassUID: String
    /// Media Storage SOP Instance UID (0002,0003).
    public var sopInstanceUID: String
    /// Transfer Syntax UID (0002,0010) of the data set.
    public var transferSyntaxUID: String
    /// Byte offset of the data set (just after the file meta information).
    public var dataSetOffset: Int
    /// Length of the data set in bytes.
    public var dataSetLength: Int

    /// The largest file meta information accepted (it is a few hundred bytes in practice).
    public static let maximumMetaLength = 64 * 1024

    /// Reads and validates the header of the Part 10 file at `path`.
    public init(path: String) throws(DicomError) {
        let file = try FileReader(path: path)
        defer { file.close() }
        guard file.size >= 132 else { throw Self.invalid(path, "is \(file.size) bytes, too short for a preamble and DICM prefix") }
        let head = try file.read(count: min(file.size, 132 + Self.maximumMetaLength), fileOffset: 0)
        guard head[128..<132].elementsEqual("DICM".utf8) else {
            throw Self.invalid(path, "has no DICM prefix at offset 128 (not a DICOM Part 10 file)")
        }
        var meta: [UInt16: [UInt8]] = [:]
        var i = 132
        var metaEnd: Int?
        while i < head.count {
            guard head.count - i >= 8 else { break }
            let group = UInt16(head[i]) | UInt16(head[i + 1]) << 8
            guard group == 0x0002 else { break }
            let element = UInt16(head[i + 2]) | UInt16(head[i + 3]) << 8
            let vr = String(decoding: head[i + 4..<i + 6], as: UTF8.self)
            var length: Int
            if ExplicitVR.hasLongLength(vr) {
                guard head.count - i >= 12 else { throw Self.invalid(path, "truncated file meta element") }
                length = Int(UInt32(head[i + 8]) | UInt32(head[i + 9]) << 8 | UInt32(head[i + 10]) << 16 | UInt32(head[i + 11]) << 24)
                i += 12
            } else {
                length = Int(UInt16(head[i + 6]) | UInt16(head[i + 7]) << 8)
                i += 8
            }
            guard length <= head.count - i else {
                throw Self.invalid(path, "file meta element (0002,\(hex4(element))) claims \(length) bytes past the end of the meta information")
            }
            meta[element] = Array(head[i..<i + length])
            i += length
            if element == 0x0000, length == 4, let v = meta[0] {
                let groupLength = Int(UInt32(v[0]) | UInt32(v[1]) << 8 | UInt32(v[2]) << 16 | UInt32(v[3]) << 24)
                metaEnd = i + groupLength
            }
        }
        if let metaEnd {
            guard metaEnd == i || (metaEnd <= head.count && metaEnd >= i) else {
                throw Self.invalid(path, "file meta group length does not match its elements")
            }
            i = metaEnd
        }
        func text(_ element: UInt16, _ name: String) throws(DicomError) -> String {
            guard let v = meta[element] else { throw Self.invalid(path, "has no \(name) (0002,\(hex4(element))) in its file meta information") }
            var end = v.count
            while end > 0, v[end - 1] == 0 || v[end - 1] == 0x20 { end -= 1 }
            guard end > 0 else { throw Self.invalid(path, "has an empty \(name)") }
            return String(decoding: v[..<end], as: UTF8.self)
        }
        self.path = path
        sopClassUID = try text(0x0002, "Media Storage SOP Class UID")
        sopInstanceUID = try text(0x0003, "Media Storage SOP Instance UID")
        transferSyntaxUID = try text(0x0010, "Transfer Syntax UID")
        dataSetOffset = i
        dataSetLength = file.size - i
    }

    private static func invalid(_ path: String, _ message: String) -> DicomError {
        DicomError(.invalidFile, "\(path) \(message)")
    }
}

/// Explicit VR encoding rules (PS3.5 §7.1.2).
enum ExplicitVR {
    /// VRs with a 2-byte reserved field and a 4-byte length.
    static func hasLongLength(_ vr: String) -> Bool {
        ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"].contains(vr)
    }

    /// Appends one Explicit VR Little Endian element; the value is padded to even length
    /// (NUL for UI and binary VRs, space for text VRs).
    static func append(_ group: UInt16, _ element: UInt16, _ vr: String, _ value: [UInt8], to out: inout [UInt8]) {
        var v = value
        if v.count % 2 == 1 { v.append(["UI", "OB", "UN"].contains(vr) ? 0 : 0x20) }
        out += [UInt8(group & 0xFF), UInt8(group >> 8), UInt8(element & 0xFF), UInt8(element >> 8)]
        out += Array(vr.utf8)
        if hasLongLength(vr) {
            out += [0, 0]
            let n = UInt32(v.count)
            out += [UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF), UInt8((n >> 16) & 0xFF), UInt8(n >> 24)]
        } else {
            // Callers keep short-VR values under 64 KiB (UIDs are checked to be ≤ 64 characters).
            out += [UInt8(truncatingIfNeeded: v.count), UInt8(truncatingIfNeeded: v.count >> 8)]
        }
        out += v
    }
}
