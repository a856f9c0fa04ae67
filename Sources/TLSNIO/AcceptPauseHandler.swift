import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Stops a server channel from accepting for a while when `accept` fails for want of
/// descriptors or memory (`EMFILE`, `ENFILE`, `ENOBUFS`, `ENOMEM`), then accepts again
/// (review F10: no busy loop, no log flood under `ulimit -n`).
///
/// NIO's `AcceptBackoffHandler` only holds back the *next* `read()`. When `accept` fails
/// before any connection was accepted in a read, the server channel's read stays pending, the
/// listening socket stays registered for readability, and level-triggered epoll wakes the
/// loop at once for the same queued connection: thousands of failed `accept` calls a second.
/// This handler turns `autoRead` off instead, which takes the socket out of epoll's read
/// interest, and turns it back on after ``delay``. Put it first in the server channel's
/// pipeline (`serverChannelInitializer`); errors are passed on, so a later handler can log
/// them. For server channels that keep `autoRead` on (NIO's default).
public final class AcceptPauseHandler: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = any Channel
    public typealias InboundOut = any Channel

    /// How long accepting stays paused after such an error.
    public let delay: TimeAmount
    private var resume: Scheduled<Void>?

    /// A handler that pauses accepting for `delay` (one second by default).
    public init(delay: TimeAmount = .seconds(1)) {
        self.delay = delay
    }

    /// Whether `error` is a shortage that waiting can cure, rather than a broken socket.
    public static func isResourceShortage(_ error: any Error) -> Bool {
        guard let io = error as? IOError else { return false }
        return [EMFILE, ENFILE, ENOBUFS, ENOMEM].contains(io.errnoCode)
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if Self.isResourceShortage(error), resume == nil { pause(context) }
        context.fireErrorCaught(error)
    }

    public func channelInactive(context: ChannelHandlerContext) {
        resume?.cancel()
        resume = nil
        context.fireChannelInactive()
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        guard let scheduled = resume else { return }
        scheduled.cancel()
        resume = nil
        setAutoRead(context, true)
    }

    private func pause(_ context: ChannelHandlerContext) {
        setAutoRead(context, false)
        resume = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in
            resume = nil
            setAutoRead(context, true)
        }
    }

    /// On the channel's loop the option takes effect at once: off unregisters the socket
    /// from read interest, on issues a read.
    private func setAutoRead(_ context: ChannelHandlerContext, _ on: Bool) {
        guard context.channel.isActive else { return }
        try? context.channel.syncOptions?.setOption(ChannelOptions.autoRead, value: on)
    }
}

@available(*, unavailable)
extension AcceptPauseHandler: Sendable {}
