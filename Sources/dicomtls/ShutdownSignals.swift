import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// SIGINT and SIGTERM for the long-running servers (`storescp`, `tls-server`): the first
/// one starts a graceful stop (stop accepting, a grace period for the connections in
/// progress, then abort the rest); the process then exits 0.
final class ShutdownSignals {
    private let sources: [any DispatchSourceSignal]
    private let finished = DispatchSemaphore(value: 0)

    /// Catches SIGINT and SIGTERM and runs `stop` once, off the main thread, for the first.
    init(_ stop: @escaping @Sendable (_ signalName: String) -> Void) {
        let queue = DispatchQueue(label: "shutdown-signals")
        let once = Once()
        let done = finished
        sources = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")].map { number, name in
            signal(number, SIG_IGN)  // delivered to the dispatch source instead
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                guard once.claim() else { return }
                stop(name)
                done.signal()
            }
            source.resume()
            return source
        }
    }

    /// Waits until the stop started by a signal has finished (call after the accept loop returned).
    func waitForStop() { finished.wait() }

    /// True for the first caller only.
    private final class Once: Sendable {
        private let claimed = Mutex(false)
        func claim() -> Bool { claimed.withLock { c in defer { c = true }; return !c } }
    }
}
