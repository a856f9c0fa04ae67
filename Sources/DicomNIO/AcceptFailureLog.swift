import NIOCore
import Synchronization
import TLSNIO

/// Logs a listening socket's `accept` failures as the blocking accept loop does (review F2,
/// F10): one `accept failed` line per burst, then `accepting again` once a connection is
/// accepted. Sits after ``AcceptPauseHandler`` in the server channel's pipeline, which does
/// the pausing; this handler only speaks.
final class AcceptFailureLog: ChannelInboundHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    private let burst: AcceptFailureBurst
    private let log: @Sendable (String) -> Void

    /// `burst` is shared by every listening socket of one server.
    init(_ burst: AcceptFailureBurst, log: @escaping @Sendable (String) -> Void) {
        self.burst = burst
        self.log = log
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let line = burst.failed(error) else { return }
        log(line)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if let line = burst.accepted() { log(line) }
        context.fireChannelRead(data)
    }
}

@available(*, unavailable)
extension AcceptFailureLog: Sendable {}

/// The failed `accept` calls since the last one that succeeded.
final class AcceptFailureBurst: Sendable {
    private let failures = Mutex(0)

    /// The line for a failure that starts a burst; nil within one.
    func failed(_ error: any Error) -> String? {
        let first = failures.withLock { count in
            count += 1
            return count == 1
        }
        guard first else { return nil }
        let retry = AcceptPauseHandler.isResourceShortage(error) ? "accepting paused for 1 s at a time" : "retrying"
        return "accept failed: \(error); \(retry) (repeats not logged until an accept succeeds)"
    }

    /// The line for the first success after a burst; nil otherwise.
    func accepted() -> String? {
        let ended = failures.withLock { count in
            defer { count = 0 }
            return count
        }
        return ended > 0 ? "accepting again after \(ended) failed accept(s)" : nil
    }
}
