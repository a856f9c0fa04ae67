/// Where the bytes of a data set to send come from, read piecewise into PDU buffers so a
/// large object is never copied whole (a file region, or bytes in memory).
public protocol DataSetSource {
    /// Total length in bytes.
    var length: Int { get }
    /// Copies `count` bytes starting at `offset` of the data set into `buffer[index...]`.
    func read(into buffer: inout [UInt8], at index: Int, count: Int, offset: Int) throws(DicomError)
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
}

@available(*, unavailable)
extension FileDataSet: Sendable {}
