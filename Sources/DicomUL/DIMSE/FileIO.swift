#if canImport(Glibc)
import Glibc
#endif

/// A file opened for reading with POSIX calls, so data can be read straight into a PDU buffer.
public final class FileReader {
    private var fd: Int32
    /// The path.
    public let path: String
    /// The file size in bytes at open time.
    public let size: Int

    /// Opens `path` for reading.
    public init(path: String) throws(DicomError) {
        let fd = unsafe open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw DicomError(.io, "cannot open \(path): \(SystemText.errorText())") }
        var st = stat()
        guard unsafe fstat(fd, &st) == 0 else {
            _ = Glibc.close(fd)
            throw DicomError(.io, "cannot stat \(path): \(SystemText.errorText())")
        }
        guard st.st_mode & S_IFMT == S_IFREG else {
            _ = Glibc.close(fd)
            throw DicomError(.invalidFile, "\(path) is not a regular file")
        }
        self.fd = fd
        self.path = path
        self.size = Int(st.st_size)
    }

    deinit { close() }

    /// Reads exactly `count` bytes at file offset `offset` into `buffer[at...]`.
    public func read(into buffer: inout [UInt8], at index: Int, count: Int, fileOffset: Int) throws(DicomError) {
        guard index >= 0, count >= 0, index + count <= buffer.count else {
            throw DicomError(.invalidState, "read of \(count) bytes does not fit the buffer")
        }
        let outcome: Result<Void, DicomError> = unsafe buffer.withUnsafeMutableBytes { raw in
            // Bounds: index + count <= buffer.count, checked above.
            do throws(DicomError) {
                try unsafe read(into: UnsafeMutableRawBufferPointer(rebasing: raw[index..<(index + count)]), fileOffset: fileOffset)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try outcome.get()
    }

    /// Reads exactly `destination.count` bytes at file offset `fileOffset` into `destination`
    /// (memory that need not be initialised first).
    public func read(into destination: UnsafeMutableRawBufferPointer, fileOffset: Int) throws(DicomError) {
        let count = destination.count
        var done = 0
        while done < count {
            let n = unsafe pread(fd, destination.baseAddress.map { unsafe $0 + done }, count - done, off_t(fileOffset + done))
            if n > 0 {
                done += n
            } else if n == 0 {
                throw DicomError(.invalidFile, "\(path) ended after \(fileOffset + done) bytes (expected \(fileOffset + count))")
            } else if errno != EINTR {
                throw DicomError(.io, "reading \(path) failed: \(SystemText.errorText())")
            }
        }
    }

    /// Reads `count` bytes at `fileOffset` into a new array.
    public func read(count: Int, fileOffset: Int) throws(DicomError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        try read(into: &buffer, at: 0, count: count, fileOffset: fileOffset)
        return buffer
    }

    /// Closes the file.
    public func close() {
        guard fd >= 0 else { return }
        _ = Glibc.close(fd)
        fd = -1
    }
}

@available(*, unavailable)
extension FileReader: Sendable {}

/// A file written sequentially with POSIX calls.
public final class FileWriter {
    private var fd: Int32
    /// The path.
    public let path: String
    /// Bytes written so far.
    public private(set) var bytesWritten = 0

    /// Creates `path`, which must not exist yet (`O_EXCL`; a symlink there is not followed).
    public init(path: String) throws(DicomError) {
        let fd = unsafe open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw DicomError(.io, "cannot create \(path): \(SystemText.errorText())") }
        self.fd = fd
        self.path = path
    }

    /// Adopts a descriptor opened for writing (``OutputDirectory`` creates them).
    init(descriptor: Int32, path: String) {
        self.fd = descriptor
        self.path = path
    }

    deinit { close() }

    /// Appends `bytes`.
    public func write(_ bytes: some Collection<UInt8>) throws(DicomError) {
        let written: Int? = bytes.withContiguousStorageIfAvailable { buffer in
            var done = 0
            while done < buffer.count {
                let n = unsafe Glibc.write(fd, buffer.baseAddress.map { unsafe $0 + done }, buffer.count - done)
                if n > 0 { done += n } else if n < 0, errno == EINTR { continue } else { return -1 }
            }
            return done
        }
        if let written {
            guard written >= 0 else { throw DicomError(.io, "writing \(path) failed: \(SystemText.errorText())") }
            bytesWritten += written
        } else {
            try write(Array(bytes))
        }
    }

    /// Closes the file.
    public func close() {
        guard fd >= 0 else { return }
        _ = Glibc.close(fd)
        fd = -1
    }
}

@available(*, unavailable)
extension FileWriter: Sendable {}
