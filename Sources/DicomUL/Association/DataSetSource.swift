/// Where the bytes of a data set to send come from, read piecewise into PDU buffers so a
/// large object is never copied whole (a file region, or bytes in memory).
public protocol DataSetSource {
    /// Total length in bytes.
    var length: Int { get }
    /// Copies `count` bytes starting at `offset` of the data set into `buffer[index...]`.
    func read(into buffer: inout [UInt8], at index: Int, count: Int, offset: Int) throws(DicomError)
    /// Copies `destination.count` bytes starting at `offset` of the data set into
    /// `destination`, which need not be initialised. A default implementation goes through
    /// ``read(into:at:count:offset:)``; the library's sources read straight into it.
    func read(into destination: UnsafeMutableRawBufferPointer, offset: Int) throws(DicomError)
}

extension DataSetSource {
    /// Reads through a temporary array (for sources that implement only the array form).
    public func read(into destination: UnsafeMutableRawBufferPointer, offset: Int) throws(DicomError) {
        var bytes = [UInt8](repeating: 0, count: destination.count)
        try read(into: &bytes, at: 0, count: destination.count, offset: offset)
        unsafe bytes.withUnsafeBytes { unsafe destination.copyMemory(from: $0) }
    }

    /// `count` bytes starting at `offset`, read into a new array without zero-filling it first.
    public func chunk(count: Int, offset: Int) throws(DicomError) -> [UInt8] {
        guard count >= 0 else { throw DicomError(.invalidState, "data set read of \(count) bytes") }
        var failure: DicomError?
        let bytes = unsafe [UInt8](unsafeUninitializedCapacity: count) { storage, initialized in
            do throws(DicomError) {
                try unsafe read(into: UnsafeMutableRawBufferPointer(storage), offset: offset)
                initialized = count
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return bytes
    }
}

/// A data set held in memory.
public struct MemoryDataSet: DataSetSource, Sendable {
    /// The bytes.
    public var bytes: [UInt8]
    /// Wraps bytes.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    /// The length.
    public var length: Int { bytes.count }
    /// Copies a range into `buffer`.
    public func read(into buffer: inout [UInt8], at index: Int, count: Int, offset: Int) throws(DicomError) {
        guard offset >= 0, count >= 0, offset + count <= bytes.count, index + count <= buffer.count else {
            throw DicomError(.invalidState, "data set read out of range")
        }
        buffer.replaceSubrange(index..<index + count, with: bytes[offset..<offset + count])
    }
    /// Copies a range into `destination`.
    public func read(into destination: UnsafeMutableRawBufferPointer, offset: Int) throws(DicomError) {
        guard offset >= 0, offset + destination.count <= bytes.count else {
            throw DicomError(.invalidState, "data set read out of range")
        }
        // Bounds: offset + destination.count <= bytes.count, checked above.
        unsafe bytes.withUnsafeBytes { unsafe destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + destination.count)])) }
    }
}

/// The data set of a Part 10 file, read from disk as it is sent.
public final class FileDataSet: DataSetSource {
    private let reader: FileReader
    private let start: Int
    /// The data set length.
    public let length: Int

    /// The data set region of `file`.
    public init(_ file: Part10File) throws(DicomError) {
        reader = try FileReader(path: file.path)
        guard file.dataSetOffset + file.dataSetLength <= reader.size else {
            throw DicomError(.invalidFile, "\(file.path) changed size since it was read")
        }
        start = file.dataSetOffset
        length = file.dataSetLength
    }

    /// Reads a range straight into `buffer`.
    public func read(into buffer: inout [UInt8], at index: Int, count: Int, offset: Int) throws(DicomError) {
        try reader.read(into: &buffer, at: index, count: count, fileOffset: start + offset)
    }

    /// Reads a range straight into `destination`.
    public func read(into destination: UnsafeMutableRawBufferPointer, offset: Int) throws(DicomError) {
        guard offset >= 0, offset + destination.count <= length else {
            throw DicomError(.invalidState, "data set read out of range")
        }
        try unsafe reader.read(into: destination, fileOffset: start + offset)
    }
}

@available(*, unavailable)
extension FileDataSet: Sendable {}
