import DicomUL
import Synchronization

extension DicomAsyncClient {
    /// Sends Part 10 files with C-STORE over `associations` parallel associations that take
    /// the files from one shared queue (one 3DES association is bound to one core; several
    /// use all of them). Each proposes a context per SOP class and transfer syntax found.
    ///
    /// The progress of each file comes as it completes, in completion order (``StoreProgress/index``
    /// is the file's position in `paths`). Unreadable or refused files are failures in the
    /// sequence; it throws only when no association could be made. If an association fails,
    /// the others carry on with the rest of the queue; once all have failed, the files left
    /// are reported failed with the last error. Ending the iteration cancels the work (A-ABORT).
    public func store(files paths: [String], associations: Int = 1) -> AsyncThrowingStream<StoreProgress, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await runStore(paths, associations: max(1, associations)) { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// ``store(files:associations:)`` collected into a summary, `progress` called per file.
    public func store(
        files paths: [String], associations: Int = 1, progress: (StoreProgress) -> Void = { _ in }
    ) async throws -> StoreSummary {
        let start = ContinuousClock.now
        var summary = StoreSummary()
        for try await p in store(files: paths, associations: associations) {
            summary.add(p)
            progress(p)
        }
        let elapsed = (ContinuousClock.now - start).components
        summary.seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        return summary
    }

    private func runStore(_ paths: [String], associations: Int, yield: @escaping @Sendable (StoreProgress) -> Void) async throws {
        var files: [(index: Int, file: Part10File)] = []
        for (i, path) in paths.enumerated() {
            do throws(DicomError) {
                files.append((i + 1, try Part10File(path: path)))
            } catch {
                yield(StoreProgress(path: path, index: i + 1, count: paths.count, bytes: 0, result: .failure(error)))
            }
        }
        guard !files.isEmpty else { return }
        var pairs: [PresentationContextProposal] = []
        for (_, f) in files where !pairs.contains(where: { $0.abstractSyntax == f.sopClassUID && $0.transferSyntaxes == [f.transferSyntaxUID] }) {
            pairs.append(PresentationContextProposal(id: 0, abstractSyntax: f.sopClassUID, transferSyntaxes: [f.transferSyntaxUID]))
        }
        let queue = StoreQueue(files)
        let proposals = pairs
        let count = paths.count
        let workers = min(associations, files.count)
        let errors = await withTaskGroup(of: (any Error)?.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    do {
                        try await withAssociation(proposing: proposals) { association in
                            try await drain(queue, on: association, count: count, yield: yield)
                        }
                        return nil
                    } catch {
                        return error
                    }
                }
            }
            var errors: [any Error] = []
            for await case let error? in group { errors.append(error) }
            return errors
        }
        if Task.isCancelled { throw CancellationError() }
        guard let last = errors.last else { return }
        if !queue.anyTaken, let first = errors.first { throw first }
        let error = last as? DicomError ?? DicomError(.io, "\(last)")
        while let (index, file) = queue.take() {
            yield(StoreProgress(path: file.path, index: index, count: count, bytes: 0, result: .failure(error)))
        }
    }

    /// Stores files from `queue` until it is empty; a failure that leaves the association
    /// unusable reports the file and ends this association (by throwing).
    private func drain(
        _ queue: StoreQueue, on association: AsyncAssociation, count: Int, yield: @Sendable (StoreProgress) -> Void
    ) async throws {
        while let (index, file) = queue.take() {
            do {
                let status = try await association.store(file: file)
                yield(StoreProgress(path: file.path, index: index, count: count, bytes: file.dataSetLength, result: .success(status)))
            } catch let error as DicomError
                where error.code == .dimseFailure || error.code == .noPresentationContext || error.code == .invalidFile {
                yield(StoreProgress(path: file.path, index: index, count: count, bytes: file.dataSetLength, result: .failure(error)))
            } catch {
                let reported = describe(error) as? DicomError ?? DicomError(.io, "\(error)")
                yield(StoreProgress(path: file.path, index: index, count: count, bytes: file.dataSetLength, result: .failure(reported)))
                throw error
            }
        }
    }
}

/// The files of one batch, taken one at a time by the associations storing them.
final class StoreQueue: Sendable {
    private let state: Mutex<(files: [(index: Int, file: Part10File)], next: Int)>

    init(_ files: [(index: Int, file: Part10File)]) {
        state = Mutex((files, 0))
    }

    /// The next file, or nil when all are taken.
    func take() -> (index: Int, file: Part10File)? {
        state.withLock { s in
            guard s.next < s.files.count else { return nil }
            defer { s.next += 1 }
            return s.files[s.next]
        }
    }

    /// Whether any file was taken.
    var anyTaken: Bool { state.withLock { $0.next > 0 } }
}
