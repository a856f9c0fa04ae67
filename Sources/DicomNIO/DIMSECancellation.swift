import DicomUL
import NIOCore
import Synchronization

/// The requests of one association that a C-CANCEL-RQ can stop (PS3.7 §9.3.2.3; C-FIND,
/// C-GET, C-MOVE): the dispatcher registers each ``DIMSEServiceHandler`` while it runs, and
/// ``CancelRequestHandler`` on the event loop cancels the one a C-CANCEL-RQ names.
final class DIMSECancellations: Sendable {
    private struct Running {
        var cancel: @Sendable () -> Void
        var cancelled = false
    }

    private let running = Mutex<[UInt16: Running]>([:])

    /// Registers the request `messageID`; `cancel` stops it.
    func register(_ messageID: UInt16, cancel: @escaping @Sendable () -> Void) {
        running.withLock { $0[messageID] = Running(cancel: cancel) }
    }

    /// Stops the request `messageID` if it is running. A C-CANCEL-RQ for any other request
    /// (already answered, or never sent) is ignored: C-CANCEL has no response.
    ///
    /// - Returns: whether a running request was cancelled.
    @discardableResult
    func cancel(_ messageID: UInt16) -> Bool {
        let cancel = running.withLock { running -> (@Sendable () -> Void)? in
            guard running[messageID] != nil, running[messageID]?.cancelled == false else { return nil }
            running[messageID]?.cancelled = true
            return running[messageID]?.cancel
        }
        cancel?()  // outside the lock: cancelling runs the task's cancellation handlers at once
        return cancel != nil
    }

    /// Ends the registration of `messageID`; whether a C-CANCEL-RQ cancelled it.
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
        register(messageID) { task.cancel() }
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
        if case .command(_, let command) = unwrapInboundIn(data), command.commandField == .cCancelRQ {
            if let messageID = command.messageIDBeingRespondedTo { cancellations.cancel(messageID) }
            return
        }
        context.fireChannelRead(data)
    }
}

@available(*, unavailable)
extension CancelRequestHandler: Sendable {}
