#if canImport(Glibc)
import Glibc
#endif

/// Writes a DICOM Part 10 file incrementally: the header first, then data set fragments as
/// they arrive, so a received object is never held in memory whole (PS3.10 §7.1).
///
/// The file is written under a temporary name and renamed when ``finish()`` succeeds, so an
/// aborted transfer never leaves a truncated `.dcm` behind.
public final class Part10Writer {
    private let writer: FileWriter
    private let temporaryPath: String
    /// The final path of the file.
    public let path: String
    private var finished = false

    /// Creates the file and writes preamble, "DICM" and the file meta information.
    public init(
        path: String, sopClassUID: String, sopInstanceUID: String, transferSyntaxUID: String,
        sourceAETitle: String? = nil
    ) throws(DicomError) {
        self.path = path
        temporaryPath = path + ".partial"
        writer = try FileWriter(path: temporaryPath)
        try writer.write(Self.header(
            sopClassUID: sopClassUID, sopInstanceUID: sopInstanceUID, transferSyntaxUID: transferSyntaxUID,
            sourceAETitle: sourceAETitle))
    }

    deinit {
        if !finished {
            writer.close()
            _ = unsafe unlink(temporaryPath)
        }
    }

    /// Appends data set bytes.
    public func append(_ bytes: some Collection<UInt8>) throws(DicomError) {
        try writer.write(bytes)
    }

    /// Closes the file and moves it to its final name.
    public func finish() throws(DicomError) {
        writer.close()
        guard unsafe rename(temporaryPath, path) == 0 else {
            throw DicomError(.io, "cannot rename \(temporaryPath) to \(path): \(SystemText.errorText())")
        }
        finished = true
    }

    /// Abandons the file.
    public func discard() {
        writer.close()
        _ = unsafe unlink(temporaryPath)
        finished = true
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
