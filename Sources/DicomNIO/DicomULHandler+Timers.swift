import DicomUL
import NIOCore

/// The driver's timers, all on the channel's event loop (PS3.8 §9.1.5 ARTIM; reply, idle
/// and message limits as the blocking `Association` has them).
extension DicomULHandler {
    /// Arms or cancels ARTIM as the machine says, and the read timer for what is awaited now.
    func updateTimers(_ context: ChannelHandlerContext) {
        if ul.artimRunning, artimTimer == nil {
            let artim = configuration.timeouts.artim
            artimTimer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: Self.amount(artim)) { [self] in
                artimTimer = nil
                artimExpired(context)
            }
        } else if !ul.artimRunning, let timer = artimTimer {
            timer.cancel()
            artimTimer = nil
        }
        if readTimer != nil, awaited() == nil {
            readTimer?.cancel()
            readTimer = nil
        } else {
            armReadTimer(context)
        }
    }

    /// Starts the read timer if data is awaited, a read is outstanding and none runs: the
    /// timer counts from our asking for the next PDU, never from a peer's last byte, so a
    /// peer trickling a PDU cannot extend it, and a slow consumer is not blamed on the peer.
    func armReadTimer(_ context: ChannelHandlerContext) {
        guard readPending, readTimer == nil, let (seconds, what) = awaited() else { return }
        readTimer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: Self.amount(seconds)) { [self] in
            readTimer = nil
            let text = SystemText.formatSeconds(seconds)
            abort(context, DicomError(.timeout, "no \(what) from \(Self.peer(context)) within \(text) s; association aborted"))
        }
    }

    /// What is awaited now and for how long, or nil when nothing is.
    func awaited() -> (Double, String)? {
        let timeouts = configuration.timeouts
        switch ul.state {
        case .awaitingAssociateAC: return (timeouts.reply, "A-ASSOCIATE-AC")
        case .awaitingReleaseRP, .collisionAcceptorAwaitingReleaseRP, .collisionRequestorAwaitingReleaseRP:
            return (timeouts.reply, "A-RELEASE-RP")
        case .established:
            if reassembler?.isInsideMessage ?? false { return (timeouts.reply, "next fragment of the message") }
            if ul.role == .acceptor { return timeouts.idle.map { ($0, "request") } }
            return awaitingReply ? (timeouts.reply, "response") : nil
        default:
            return nil  // ARTIM covers Sta2 and Sta13
        }
    }

    /// A data set has begun: the whole of it must come within ``DicomTimeouts/message``.
    func startMessageTimer(_ context: ChannelHandlerContext) {
        cancelMessageTimer()
        guard let seconds = configuration.timeouts.message else { return }
        messageTimer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: Self.amount(seconds)) { [self] in
            messageTimer = nil
            let text = SystemText.formatSeconds(seconds)
            abort(context, DicomError(.timeout, "the data set from \(Self.peer(context)) did not arrive within \(text) s; association aborted"))
        }
    }

    func cancelMessageTimer() {
        messageTimer?.cancel()
        messageTimer = nil
    }

    func cancelTimers() {
        artimTimer?.cancel()
        artimTimer = nil
        readTimer?.cancel()
        readTimer = nil
        cancelMessageTimer()
    }

    /// Evt18: Sta2 (no A-ASSOCIATE-RQ in time, TLS handshake included) and Sta13 close.
    private func artimExpired(_ context: ChannelHandlerContext) {
        let waiting = ul.state == .awaitingAssociateRQ
        ul.artimExpired()
        if waiting {
            let text = SystemText.formatSeconds(configuration.timeouts.artim)
            fail(context, DicomError(.timeout, "ARTIM timer expired after \(text) s waiting for the A-ASSOCIATE-RQ from \(Self.peer(context)); connection closed"))
        }
        pump(context)
        if context.channel.isActive { context.close(promise: nil) }
    }

    static func amount(_ seconds: Double) -> TimeAmount {
        .nanoseconds(Int64(max(0, min(seconds, 1e9)) * 1e9))
    }
}
