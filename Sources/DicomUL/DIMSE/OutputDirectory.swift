#if canImport(Glibc)
import Glibc
#endif

/// What a storage SCP does when the file name of a received object is already taken.
public enum ExistingFilePolicy: String, Sendable, CaseIterable {
    /// Keep both: the new file gets a numbered suffix (`1.2.3.dcm` → `1.2.3-1.dcm`), as DCMTK's
    /// `storescp --unique-filenames` keeps every received object. The default.
    case keepBoth = "keep-both"
    /// Replace the existing file (atomically: readers see the old or the new one).
    case replace
    /// Keep the existing file, discard the new object and answer with a warning status.
    case refuse
}

/// A folder that received objects are written into, opened once: every file is created
/// relative to this descriptor (`openat`), so renaming or replacing the folder's path later
/// cannot redirect writes (review F6).
///
/// Temporary files get unique, hidden names and are created with
/// `O_CREAT | O_EXCL | O_NOFOLLOW`: a symlink or file planted under any name is never
/// followed or truncated, and two concurrent stores never share a file. Finished files are
/// moved into place with `linkat` (which never replaces) or `renameat` (``ExistingFilePolicy/replace``).
public final class OutputDirectory: Sendable {
    /// The folder's path (for messages and for the paths reported to callers).
    public let path: String
    private let descriptor: Int32

    /// Suffixes tried for ``ExistingFilePolicy/keepBoth`` before giving up.
    static let maximumSuffix = 9999

    /// Opens `path`, which must be an existing folder.
    public init(path: String) throws(DicomError) {
        let fd = unsafe open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            throw DicomError(.invalidConfiguration, "output folder \(path) does not exist or is not a folder (\(SystemText.errorText()))")
        }
        self.path = path
        descriptor = fd
    }

    deinit { _ = Glibc.close(descriptor) }

    /// Bytes available to this process on the folder's file system, if known.
    public var availableBytes: UInt64? {
        var info = statvfs()
        guard unsafe fstatvfs(descriptor, &info) == 0 else { return nil }
        return UInt64(info.f_bavail) &* UInt64(info.f_frsize)
    }

    /// Creates a new, empty temporary file for the final name `name`.
    ///
    /// - Returns: the open descriptor (write-only) and the temporary name.
    func createTemporary(for name: String) throws(DicomError) -> (descriptor: Int32, name: String) {
        for _ in 0..<16 {
            let temporary = ".\(name).\(String(UInt64.random(in: 0...UInt64.max), radix: 36)).partial"
            let fd = unsafe openat(descriptor, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            if fd >= 0 { return (fd, temporary) }
            if errno != EEXIST { break }
        }
        throw DicomError(.io, "cannot create a temporary file for \(name) in \(path): \(SystemText.errorText())")
    }

    /// Moves the finished temporary file to `name` under `policy`.
    ///
    /// - Returns: the name it was given; nil when the name was taken and `policy` is
    ///   ``ExistingFilePolicy/refuse`` (the temporary file is then removed).
    func publish(_ temporary: String, as name: String, policy: ExistingFilePolicy) throws(DicomError) -> String? {
        defer { remove(temporary) }
        if policy == .replace {
            guard unsafe renameat(descriptor, temporary, descriptor, name) == 0 else {
                throw DicomError(.io, "cannot rename \(temporary) to \(name) in \(path): \(SystemText.errorText())")
            }
            return name
        }
        // Each numbered name is made only when the one before it is taken: most objects
        // get their first choice, and building all of them costs ~10,000 strings per file.
        let lastSuffix = policy == .refuse ? 0 : Self.maximumSuffix
        for suffix in 0...lastSuffix {
            let candidate = suffix == 0 ? name : Self.name(name, suffix: suffix)
            if unsafe linkat(descriptor, temporary, descriptor, candidate, 0) == 0 { return candidate }
            guard errno == EEXIST else {
                throw DicomError(.io, "cannot link \(temporary) to \(candidate) in \(path): \(SystemText.errorText())")
            }
        }
        if policy == .refuse { return nil }
        throw DicomError(.io, "\(name) and \(Self.maximumSuffix) numbered variants already exist in \(path)")
    }

    /// Removes `name` from the folder (a symlink itself, never its target).
    func remove(_ name: String) {
        _ = unsafe unlinkat(descriptor, name, 0)
    }

    /// `1.2.3.dcm` with suffix 4 → `1.2.3-4.dcm`: never the name of another UID's file
    /// (those hold digits and dots only), where `1.2.3.4.dcm` would be.
    static func name(_ name: String, suffix: Int) -> String {
        guard name.hasSuffix(".dcm") else { return name + "-\(suffix)" }
        return String(name.dropLast(4)) + "-\(suffix).dcm"
    }
}
