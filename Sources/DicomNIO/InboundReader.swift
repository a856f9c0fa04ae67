import DicomUL
import NIOCore

/// The association's inbound elements, read by one task (the serving loop, and a C-STORE
/// handler through ``DataSetChunks`` while it runs).
final class InboundReader {
    private var iterator: NIOAsyncChannelInboundStream<DicomInbound>.AsyncIterator

    init(_ stream: NIOAsyncChannelInboundStream<DicomInbound>) {
        iterator = stream.makeAsyncIterator()
    }

    /// The next element; nil when the connection has closed.
    func next() async throws -> DicomInbound? {
        try await iterator.next()
    }
}

@available(*, unavailable)
extension InboundReader: Sendable {}

/// The data set of a C-STORE as it arrives: an `AsyncSequence` of fragments (one per PDV,
/// slices of the received PDU), never the whole object. While the handler does not ask for
/// the next fragment, the channel stops reading and TCP holds the peer back.
///
/// Whatever the handler leaves unread is read and dropped after it returns.
public final class DataSetChunks: AsyncSequence {
    public typealias Element = ArraySlice<UInt8>

    private let reader: InboundReader
    private let contextID: UInt8
    /// Whether the last fragment has been read.
    public private(set) var isComplete = false
    /// Bytes read so far.
    public private(set) var bytesRead = 0

    init(reader: InboundReader, contextID: UInt8) {
        self.reader = reader
        self.contextID = contextID
    }

    /// The next fragment; nil after the last.
    public func nextChunk() async throws -> ArraySlice<UInt8>? {
        guard !isComplete else { return nil }
        guard let element = try await reader.next() else {
            throw DicomError(.connectionClosed, "the connection closed in the middle of a data set")
        }
        guard case .dataFragment(let id, let bytes, let isLast) = element, id == contextID else {
            throw DicomError(.invalidDIMSE, "expected a data set fragment on presentation context \(contextID)")
        }
        isComplete = isLast
        bytesRead += bytes.count
        return bytes
    }

    /// Reads and drops the rest of the data set.
    public func drain() async throws {
        while try await nextChunk() != nil {}
    }

    /// The iterator.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let chunks: DataSetChunks
        /// The next fragment.
        public mutating func next() async throws -> ArraySlice<UInt8>? { try await chunks.nextChunk() }
    }

    /// Iterates the fragments.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(chunks: self) }
}

@available(*, unavailable)
extension DataSetChunks: Sendable {}
