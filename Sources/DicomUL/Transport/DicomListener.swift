import TLSHandshake
import TLSSockets

/// The accept side of ``DicomServer``: TLSSockets' `AcceptLoop` (transient `accept` errors
/// backed off, admission limits, graceful stop) with DicomUL's errors and types.
package final class DicomListener: Sendable {
    private let loop: AcceptLoop

    /// The bound port (the real one when 0 was asked for).
    package var port: UInt16 { loop.listener.port }

    /// Listens on `host:port` (port 0 picks a free port).
    package init(
        host: String = "0.0.0.0", port: UInt16, limits: AdmissionLimits = AdmissionLimits(), log: @escaping @Sendable (String) -> Void = { _ in }
    ) throws(DicomError) {
        do {
            loop = AcceptLoop(listener: try TCPListener(host: host, port: port), limits: limits, log: log)
        } catch {
            throw DicomError(.io, error.message)
        }
    }

    /// Accepts on the calling thread until ``stop(gracePeriod:)``, calling `serve` on a
    /// thread of its own for each admitted connection.
    package func run(_ serve: @escaping @Sendable (AcceptedSocket) -> Void) {
        loop.run { connection in serve(AcceptedSocket(connection)) }
    }

    /// Accepts one connection directly, outside the accept loop (tests and one-connection
    /// tools): waits up to `timeout` seconds (nil: until a client comes or ``close()``);
    /// nil when the time passes with none.
    ///
    /// - Throws: `.connectionClosed` once the listener is closed, `.io` on other failures.
    package func accept(timeout: Double?) throws(DicomError) -> AcceptedSocket? {
        do {
            return AcceptedSocket(try loop.listener.accept(timeout: timeout.map { .seconds($0) }))
        } catch where error.code == .timedOut {
            return nil
        } catch where error.code == .closed {
            throw DicomError(.connectionClosed, "listener is closed")
        } catch {
            throw DicomError(.io, error.message)
        }
    }

    /// Stops listening and releases the port (as ``stop()``).
    package func close() { loop.stop() }

    /// Stops accepting; associations in progress go on.
    package func stop() { loop.stop() }

    /// Stops accepting, waits up to `gracePeriod` for the connections, then closes the rest.
    /// - Returns: how many were cut off.
    package func stop(gracePeriod: Duration) -> Int { loop.stop(gracePeriod: gracePeriod) }

    /// The accept loop's counters.
    package var statistics: AcceptLoop.Statistics { loop.statistics }
}
