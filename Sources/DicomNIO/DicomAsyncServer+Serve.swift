import DicomUL
import Logging
import NIOCore
import Metrics
import ServiceLifecycle
import Synchronization
import TLSHandshake
import TLSNIO
import X509

/// A server runs inside a swift-service-lifecycle `ServiceGroup`: ``DicomAsyncServer/run()``
/// honours graceful shutdown.
extension DicomAsyncServer: Service {}

extension DicomAsyncServer {
    /// One association from TCP accept to close: TLS handshake, admission, binding and
    /// acceptance decision, then DIMSE dispatch to the handlers until release or abort.
    ///
    /// A handler still running a second after its connection has closed (an abort, a
    /// graceful stop past its grace period, a stalled disk) is cancelled, so nothing outlives
    /// its association.
    func serve(_ accepted: Accepted) async {
        let connection = accepted.connection
        let key = ObjectIdentifier(connection.channel.channel)
        live.withLock { $0[key] = connection }
        let tracker = ServeTracker()
        let started = ContinuousClock.now
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.run(accepted, tracker: tracker) }
            group.addTask {
                try? await connection.channel.channel.closeFuture.get()
                try? await Task.sleep(for: .seconds(1))
            }
            await group.next()
            group.cancelAll()
        }
        let state = tracker.state.withLock { $0 }
        if state.pending { gate.leavePending(accepted.address) }
        if state.holdsSlot {
            gate.releaseAssociation()
            metrics.active.decrement()
            metrics.associationEnded(after: ContinuousClock.now - started)
        }
        live.withLock { $0[key] = nil }
    }

    private func run(_ accepted: Accepted, tracker: ServeTracker) async {
        let connection = accepted.connection
        let id = associationIDs.wrappingAdd(1, ordering: .relaxed).newValue
        var logger = configuration.logger
        logger[metadataKey: "peer"] = "\(connection.peer)"
        logger[metadataKey: "association"] = "\(id)"
        do {
            try await withTaskCancellationHandler {
                try await connection.channel.executeThenClose { inbound, outbound in
                    let reader = InboundReader(inbound)
                    try await associate(connection, reader, outbound, id: id, address: accepted.address, tracker: tracker, logger: &logger)
                }
            } onCancel: {
                connection.abort()
            }
        } catch {
            let state = tracker.state.withLock { $0 }
            if state.handshakeDone || connection.handshake == nil {
                if state.holdsSlot, !state.released { metrics.association("aborted") }
                logger.notice("\(connection.peer): \(Self.describe(error))")
            }
        }
    }

    /// What one association went through, for the accounting when it ends.
    struct ServeState {
        var pending = true
        var holdsSlot = false
        var handshakeDone = false
        var released = false
    }

    /// The state, shared by the association's task and its accounting.
    final class ServeTracker: Sendable {
        let state = Mutex(ServeState())
    }

    private func associate(
        _ connection: DicomAssociationChannel, _ reader: InboundReader, _ outbound: NIOAsyncChannelOutboundWriter<DicomOutbound>,
        id: UInt64, address: String, tracker: ServeTracker, logger: inout Logger
    ) async throws {
        var session: SessionInfo?
        if let handshake = connection.handshake {
            do {
                session = try await handshake.get().sessionInfo
            } catch {
                let alert = (error as? TLSChannelError)?.alert.map { "\($0.description)" } ?? Self.cause(of: error)
                metrics.handshakeFailed(alert: alert)
                logger.notice("\(connection.peer): TLS handshake failed: \(Self.describe(error))", metadata: ["tls_alert": "\(alert)"])
                throw error
            }
            if case .tls(_, let options) = configuration.security, let session {
                options.onSecureLinkReady?(SecureLink(peer: connection.peer, session: session))
            }
            logger[metadataKey: "tls_suite"] = "\(session?.cipherSuite.name ?? "?")"
            logger[metadataKey: "tls_subject"] = "\(session?.peerCertificates.first.map { "\($0.subject)" } ?? "none")"
        }
        tracker.state.withLock { $0.handshakeDone = true }
        guard case .associateRequest(let rq)? = try await reader.next() else { return }
        tracker.state.withLock { $0.pending = false }
        gate.leavePending(address)
        logger[metadataKey: "calling_ae"] = "\(rq.callingAETitle)"
        logger[metadataKey: "called_ae"] = "\(rq.calledAETitle)"
        let answer: AssociationAnswer
        if !gate.takeAssociation() {
            answer = .reject(.localLimitExceeded)
            logger.warning("rejected: over the limit of \(configuration.maximumAssociations) associations")
        } else {
            tracker.state.withLock { $0.holdsSlot = true }
            metrics.active.increment()
            if let binding = configuration.certificateBinding,
               let why = binding.refusal(callingAETitle: rq.callingAETitle, certificate: session?.peerCertificates.first) {
                answer = .reject(.callingAETitleNotRecognized)
                logger.warning("rejected by the certificate–AE title binding: \(why)")
            } else {
                answer = await configuration.acceptance(AssociationProposal(
                    peer: connection.peer, request: rq, tls: session, maximumReceivePDULength: configuration.maximumReceivePDULength))
            }
        }
        let ac: AssociateAC
        switch answer {
        case .reject(let rj):
            try await outbound.write(.reject(rj))
            metrics.association("rejected")
            logger.notice("rejected the association (called AE \(LogText.quoted(rq.calledAETitle)), calling AE \(LogText.quoted(rq.callingAETitle))): \(rj)")
            while try await reader.next() != nil {}  // Sta13: the peer closes, or ARTIM does
            tracker.state.withLock { $0.released = true }
            return
        case .accept(let accepted):
            ac = accepted
        }
        try await outbound.write(.accept(ac))
        metrics.association("accepted")
        let info = AssociationInfo(
            id: id, peer: connection.peer, request: rq, contexts: NegotiatedContext.accepted(request: rq, acceptance: ac), tls: session)
        logger.info("association accepted from \(LogText.quoted(rq.callingAETitle)) calling \(LogText.quoted(rq.calledAETitle)) (\(info.contexts.count) context(s))")
        while let element = try await reader.next() {
            switch element {
            case .command(let contextID, let command):
                try await dispatch(
                    command, contextID: contextID, info: info, reader: reader, outbound: outbound,
                    cancellations: connection.cancellations, logger: logger)
            case .releaseRequested:
                tracker.state.withLock { $0.released = true }
                metrics.association("released")
                logger.info("association released")
            default:
                throw DicomError(.unexpectedPDU, "unexpected \(element) in an established association")
            }
        }
    }

    static func cause(of error: any Error) -> String {
        switch error as? TLSChannelError {
        case .handshakeTimedOut?: "timeout"
        case .truncated?: "connection_closed"
        case .privateKeyOperationFailed?: "private_key"
        default: (error as? DicomError)?.code == .timeout ? "timeout" : "other"
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? DicomError { return error.message }
        return "\(error)"
    }
}
