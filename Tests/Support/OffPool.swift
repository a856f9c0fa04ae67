import Foundation

/// Runs blocking code (a blocking client, a peer process being waited for) on a thread of
/// its own, off the concurrency pool: an in-process async server needs the pool's few
/// threads (two on a 2-core machine) while the test blocks.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
