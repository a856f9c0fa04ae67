#if canImport(Glibc)
import Glibc
#endif

/// Writes a DICOM Part 10 file incrementally: the header first, then data set fragments as
/// they arrive, so a received object is never held in memory whole (PS3.10 §7.1).
///
/// The file is written under a unique temporary name in its ``OutputDirectory`` (created
/// `O_EXCL | O_NOFOLLOW`, see there) and moved to its final name when ``finish()``
/// succeeds, so an aborted transfer never leaves a truncated `.dcm` behind; the temporary
/// file is removed by ``discard()``, by a failed ``finish()``, or when the writer is released
/// unfinished.
public final class Part10Writer {
    private let writer: FileWriter
    private let directory: OutputDirectory
    private let temporaryName: String
    private let fileName: String
    private let existing: ExistingFilePolicy
    private var finished = false
    /// The final path of the file: the one asked for, or (``ExistingFilePolicy/keepBoth``)
    /// the numbered variant ``finish()`` chose.
    public private(set) var path: String
    /// Bytes written so far, header included.
    public var bytesWritten: Int { writer.bytesWritten }

    /// Creates the file at `path` (replacing an existing file there on ``finish()``) and
    /// writes preamble, "DICM" and the file meta information.
    public convenience init(
        path: String, sopClassUID: String, sopInstanceUID: String, transferSyntaxUID: String,
        sourceAETitle: String? = nil
    ) throws(DicomError) {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        try self.init(
            directory: OutputDirectory(path: folder.isEmpty ? "/" : folder), fileName: name, existing: .replace,
            sopClassUID: sopClassUID, sopInstanceUID: sopInstanceUID, transferSyntaxUID: transferSyntaxUID,
            sourceAETitle: sourceAETitle)
    }

    /// Creates the file `fileName` in `directory` under the policy `existing`, and writes
    /// preamble, "DICM" and the file meta information.
    public init(
        directory: OutputDirectory, fileName: String, existing: ExistingFilePolicy = .keepBoth,
        sopClassUID: String, sopInstanceUID: String, transferSyntaxUID: String, sourceAETitle: String? = nil
    ) throws(DicomError) {
        self.directory = directory
        self.fileName = fileName
        self.existing = existing
        path = directory.path + "/" + fileName
        let (fd, temporary) = try directory.createTemporary(for: fileName)
        temporaryName = temporary
        writer = FileWriter(descriptor: fd, path: directory.path + "/" + temporary)
        do {
            try writer.write(Self.header(
                sopClassUID: sopClassUID, sopInstanceUID: sopInstanceUID, transferSyntaxUID: transferSyntaxUID,
                sourceAETitle: sourceAETitle))
        } catch {
            discard()
            throw error
        }
    }

    deinit { discard() }

    /// Appends data set bytes.
    public func append(_ bytes: some Collection<UInt8>) throws(DicomError) {
        try writer.write(bytes)
    }

    /// Closes the file and moves it to its final name (see ``path``).
    ///
    /// - Returns: false when the name was taken and the policy is
    ///   ``ExistingFilePolicy/refuse``: the new file is then removed and the old one kept.
    @discardableResult
    public func finish() throws(DicomError) -> Bool {
        writer.close()
        finished = true
        guard let name = try directory.publish(temporaryName, as: fileName, policy: existing) else { return false }
        path = directory.path + "/" + name
        return true
    }

    /// Abandons the file: closes and removes the temporary file. Later calls do nothing.
    public func discard() {
        writer.close()
        guard !finished else { return }
        finished = true
        directory.remove(temporaryName)
    }

    /// Preamble, prefix and file meta information (PS3.10 Table 7.1-1).
    public static func header(sopClassUID: String, sopInstanceUID: String, transferSyntaxUID: String, sourceAETitle: String? = nil) -> [UInt8] {
        var meta: [UInt8] = []
        ExplicitVR.append(0x0002, 0x0001, "OB", [0x00, 0x01], to: &meta)
        ExplicitVR.append(0x0002, 0x0002, "UI", Array(sopClassUID.utf8), to: &meta)
        ExplicitVR.append(0x0002, 0x0003, "UI", Array(sopInstanceUID.utf8), to: &meta)
        ExplicitVR.append(0x0002, 0x0010, "UI", Array(transferSyntaxUID.utf8), to: &meta)
        ExplicitVR.append(0x0002, 0x0012, "UI", Array(DicomUID.implementationClassUID.utf8), to: &meta)
        ExplicitVR.append(0x0002, 0x0013, "SH", Array(DicomUID.implementationVersionName.utf8), to: &meta)
        if let sourceAETitle, AETitle.isValid(sourceAETitle) {
            ExplicitVR.append(0x0002, 0x0016, "AE", Array(sourceAETitle.utf8), to: &meta)
        }
        var out = [UInt8](repeating: 0, count: 128) + Array("DICM".utf8)
        let n = UInt32(meta.count)
        ExplicitVR.append(0x0002, 0x0000, "UL", [UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF), UInt8((n >> 16) & 0xFF), UInt8(n >> 24)], to: &out)
        return out + meta
    }
}

@available(*, unavailable)
extension Part10Writer: Sendable {}
