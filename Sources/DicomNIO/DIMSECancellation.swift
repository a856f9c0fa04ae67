import DicomUL
import NIOCore
import Synchronization

/// The requests of one association that a C-CANCEL-RQ can stop (PS3.7 §9.3.2.3; C-FIND,
/// C-GET, C-MOVE): the dispatcher registers each ``DIMSEServiceHandler`` while it runs, and
/// ``CancelRequestHandler`` on the event loop cancels the one a C-CANCEL-RQ names.
final class DIMSECancellations: Sendable {
    private struct Running {
        /// Stops the handler; nil while the request waits for its handler to start.
        var cancel: (@Sendable () -> Void)?
        var cancelled = false
    }

    /// Command Fields a C-CANCEL-RQ applies to: C-FIND-RQ, C-GET-RQ, C-MOVE-RQ (PS3.7 §9.3.2–4).
    static let cancellable: Set<UInt16> = [0x0020, 0x0010, 0x0021]

    private let running = Mutex<[UInt16: Running]>([:])

    /// A cancellable request has arrived (on the event loop, ahead of the serving loop): a
    /// C-CANCEL-RQ for it counts from now, even if it comes before the handler starts.
    func arrived(_ messageID: UInt16) {
        running.withLock { $0[messageID] = Running() }
    }

    /// Registers the request `messageID` as running; `cancel` stops it.
    ///
    /// - Returns: whether a C-CANCEL-RQ for it came before: the caller stops it at once.
    func register(_ messageID: UInt16, cancel: @escaping @Sendable () -> Void) -> Bool {
        running.withLock { running in
            let cancelled = running[messageID]?.cancelled ?? false
            running[messageID] = Running(cancel: cancel, cancelled: cancelled)
            return cancelled
        }
    }

    /// Stops the request `messageID` if it has arrived and not ended. A C-CANCEL-RQ for any
    /// other request (already answered, or never sent) is ignored: C-CANCEL has no response.
    func cancel(_ messageID: UInt16) {
        let cancel = running.withLock { running -> (@Sendable () -> Void)? in
            guard let request = running[messageID], !request.cancelled else { return nil }
            running[messageID]?.cancelled = true
            return request.cancel
        }
        cancel?()  // outside the lock: cancelling runs the task's cancellation handlers at once
    }

    /// Ends the request `messageID`; whether a C-CANCEL-RQ cancelled it.
    @discardableResult
    func finish(_ messageID: UInt16) -> Bool {
        running.withLock { $0.removeValue(forKey: messageID)?.cancelled ?? false }
    }

    /// Runs `body` in a task of its own, registered as the request `messageID`, so a
    /// C-CANCEL-RQ for it cancels that task; the caller's cancellation cancels it too.
    ///
    /// - Returns: whether a C-CANCEL-RQ cancelled it, and how it ended.
    func run(
        _ messageID: UInt16, _ body: @escaping @Sendable () async throws -> Void
    ) async -> (cancelledByPeer: Bool, result: Result<Void, any Error>) {
        let task = Task { try await body() }
        if register(messageID, cancel: { task.cancel() }) { task.cancel() }
        let result = await withTaskCancellationHandler { await task.result } onCancel: { task.cancel() }
        return (finish(messageID), result)
    }
}

/// Takes C-CANCEL-RQ commands out of an acceptor's inbound stream on the event loop and
/// cancels the request they name (``DIMSECancellations``), so a C-CANCEL-RQ acts while the
/// handler it stops is still running; it never reaches the serving loop, which would
/// otherwise read it only after that handler had finished.
final class CancelRequestHandler: ChannelInboundHandler {
    typealias InboundIn = DicomInbound
    typealias InboundOut = DicomInbound

    private let cancellations: DIMSECancellations

    init(_ cancellations: DIMSECancellations) {
        self.cancellations = cancellations
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .command(_, let command) = unwrapInboundIn(data), let field = command.commandField {
            if field == .cCancelRQ {
                if let messageID = command.messageIDBeingRespondedTo { cancellations.cancel(messageID) }
                return
            }
            if DIMSECancellations.cancellable.contains(field.rawValue), let messageID = command.messageID {
                cancellations.arrived(messageID)
            }
        }
        context.fireChannelRead(data)
    }
}

@available(*, unavailable)
extension CancelRequestHandler: Sendable {}
