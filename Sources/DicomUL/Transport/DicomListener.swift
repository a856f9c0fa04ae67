import TLSHandshake
import TLSSockets

/// The listening socket of ``DicomServer``: TLSHandshake's `TCPListener` with DicomUL's
/// errors, so the server code need not import TLSHandshake (STYLE.md: only `Transport/` does).
package final class DicomListener: Sendable {
    private let listener: TCPListener

    /// The bound port (the real one when 0 was asked for).
    package var port: UInt16 { listener.port }

    /// Listens on `host:port` (port 0 picks a free port).
    package init(host: String = "0.0.0.0", port: UInt16) throws(DicomError) {
        do {
            listener = try TCPListener(host: host, port: port)
        } catch {
            throw DicomError(.io, error.message)
        }
    }

    /// Waits up to `timeout` seconds (nil: until a client comes or ``close()``) for a
    /// connection; nil when the time passes with none.
    ///
    /// - Throws: `.connectionClosed` once the listener is closed, `.io` on other failures.
    package func accept(timeout: Double?) throws(DicomError) -> AcceptedSocket? {
        do {
            return AcceptedSocket(try listener.accept(timeout: timeout.map { .seconds($0) }))
        } catch where error.code == .timedOut {
            return nil
        } catch where error.code == .closed {
            throw DicomError(.connectionClosed, "listener is closed")
        } catch {
            throw DicomError(.io, error.message)
        }
    }

    /// Stops listening and releases the port. Safe from any thread, and more than once: a
    /// thread blocked in ``accept(timeout:)`` wakes up and gets `.connectionClosed`.
    package func close() { listener.close() }
}
