import NIOCore
import NIOPosix
import TLSHandshake

/// Where a ``TLSChannelHandler`` runs RSA private-key operations (the server's premaster
/// decryption, about 1 ms for RSA-2048; a client's CertificateVerify signature).
///
/// Inline, they block the event loop and every other connection on it for that long. On a
/// thread pool or an async key (an HSM, a smart card), the engine suspends the handshake
/// (``TLSEvent/privateKeyOperationNeeded(_:)``) and the loop serves other channels meanwhile.
public struct TLSPrivateKeyOffload: Sendable {
    enum Storage: Sendable {
        case inline
        case threadPool(NIOThreadPool)
        case async(@Sendable (PrivateKeyOperation) async throws -> [UInt8])
    }

    let storage: Storage

    /// On the event loop, inside the handshake step (the default; right for clients and
    /// for servers whose loops carry few connections).
    public static let inline = TLSPrivateKeyOffload(storage: .inline)

    /// On `pool`'s threads, with the configured key (``PrivateKeyOperation/perform()``).
    /// The pool must be started and outlive the channels.
    public static func threadPool(_ pool: NIOThreadPool) -> TLSPrivateKeyOffload {
        TLSPrivateKeyOffload(storage: .threadPool(pool))
    }

    /// In `operation`, an async function that computes the result however it likes (a key
    /// in an HSM); a thrown error ends the handshake with `internal_error`.
    public static func async(
        _ operation: @escaping @Sendable (PrivateKeyOperation) async throws -> [UInt8]
    ) -> TLSPrivateKeyOffload {
        TLSPrivateKeyOffload(storage: .async(operation))
    }

    var defers: Bool {
        if case .inline = storage { return false }
        return true
    }

    /// Starts `operation` and returns its result on `eventLoop`.
    func run(_ operation: PrivateKeyOperation, on eventLoop: any EventLoop) -> EventLoopFuture<[UInt8]> {
        switch storage {
        case .inline:
            return eventLoop.makeCompletedFuture { () throws(TLSError) in try operation.perform() }
        case .threadPool(let pool):
            return pool.runIfActive(eventLoop: eventLoop) { () throws(TLSError) in try operation.perform() }
        case .async(let body):
            let promise = eventLoop.makePromise(of: [UInt8].self)
            promise.completeWithTask { try await body(operation) }
            return promise.futureResult
        }
    }
}

extension TLSChannelHandler {
    /// Hands `operation` to the offload; the engine waits, input meanwhile stays buffered in
    /// it, and the handshake continues on the event loop with the result.
    func runPrivateKeyOperation(_ operation: PrivateKeyOperation, _ context: ChannelHandlerContext) {
        keyOperationInFlight = true
        offload.run(operation, on: context.eventLoop).assumeIsolated().whenComplete { [self] result in
            keyOperationInFlight = false
            guard lifecycle != .closed, let context = storedContext else { return }
            let outcome = result.mapError { error in
                (error as? TLSError) ?? TLSError.privateKeyOperationFailed("\(error)")
            }
            do throws(TLSError) {
                try engine.completePrivateKeyOperation(outcome)
            } catch {
                fail(context, TLSChannelError.tls(error))
                return
            }
            driveEngine(context)
            if lifecycle == .handshaking { context.read() }
        }
    }
}
