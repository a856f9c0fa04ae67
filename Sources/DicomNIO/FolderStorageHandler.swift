import DicomUL
import NIOPosix
import TLSSockets

/// The built-in storage: each C-STORE object becomes a Part 10 file in one folder, with the
/// safe writes and limits of the blocking `storescp` (``FolderStore``: unique `O_EXCL`
/// temporaries renamed into place, size and free-space limits answered with A700, partial
/// files removed). It is one ``StoreHandler`` among others.
///
/// File writes run on a thread pool, never on the event loops or the concurrency pool, so a
/// slow disk delays only the associations writing to it.
public struct FolderStorageHandler: StoreHandler {
    /// The folder store (checks and writes).
    public let store: FolderStore
    let pool: NIOThreadPool
    let log: (@Sendable (String) -> Void)?
    /// Received bytes held per association before they go to the pool to be written.
    static let batchBytes = 256 << 10

    /// Opens `directory` for storing.
    ///
    /// - Parameters:
    ///   - threadPool: where file writes run; the NIO singleton pool by default.
    ///   - log: receives one line per stored object (as the blocking server logs them).
    public init(
        directory: String, existingFiles: ExistingFilePolicy = .keepBoth, maximumObjectSize: Int? = nil,
        minimumFreeSpace: UInt64 = 64 << 20, threadPool: NIOThreadPool = .singleton, log: (@Sendable (String) -> Void)? = nil
    ) throws(DicomError) {
        store = FolderStore(
            output: try OutputDirectory(path: directory), existingFiles: existingFiles, maximumObjectSize: maximumObjectSize,
            minimumFreeSpace: minimumFreeSpace)
        pool = threadPool
        self.log = log
    }

    /// Streams the data set into a file, fragment by fragment, and answers.
    public func store(_ request: StoreRequest, dataSet: DataSetChunks) async throws -> DIMSEOutcome {
        let store = store
        let sopClass = request.sopClassUID, sopInstance = request.sopInstanceUID
        let context = request.context, calling = request.association.callingAETitle
        let write = try await pool.runIfActive {
            WriteHandle(store.begin(sopClassUID: sopClass, sopInstanceUID: sopInstance, context: context, callingAETitle: calling))
        }
        var outcome: (status: DIMSEStatus, comment: String?)?
        do {
            // Fragments are written in batches of up to `batchBytes`: one hop to the pool
            // per batch instead of per PDV (each hop is a thread switch both ways); the last
            // batch and the file's completion share one.
            var batch: [ArraySlice<UInt8>] = []
            var batched = 0
            while let chunk = try await dataSet.nextChunk() {
                guard write.isWriting else { continue }
                batch.append(chunk)
                batched += chunk.count
                guard batched >= Self.batchBytes || dataSet.isComplete else { continue }
                let fragments = batch, last = dataSet.isComplete
                batch.removeAll(keepingCapacity: true)
                batched = 0
                outcome = try await pool.runIfActive {
                    for fragment in fragments { write.append(fragment) }
                    return last ? write.finish() : nil
                }
            }
        } catch {
            try? await pool.runIfActive { write.discard() }
            throw error
        }
        let (status, comment): (DIMSEStatus, String?)
        if let outcome { (status, comment) = outcome } else { (status, comment) = try await pool.runIfActive { write.finish() } }
        log?("\(request.association.peer): C-STORE \(LogText.quoted(sopInstance)) → \(status)\(comment.map { ": " + $0 } ?? "")")
        return DIMSEOutcome(status, comment: comment)
    }
}

/// Hands one ``FolderStoreWrite`` between the storing task and the pool thread doing each
/// write. `@unchecked`: the task awaits every pool job before it starts the next, so the
/// write is only ever used by one thread at a time.
final class WriteHandle: @unchecked Sendable {
    private let write: FolderStoreWrite
    init(_ write: FolderStoreWrite) { self.write = write }
    var isWriting: Bool { write.isWriting }
    func append(_ fragment: ArraySlice<UInt8>) { write.append(fragment) }
    func finish() -> (status: DIMSEStatus, comment: String?) { write.finish() }
    func discard() { write.discard() }
}
