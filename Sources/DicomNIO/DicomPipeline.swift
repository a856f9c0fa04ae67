import DicomUL
import Logging
import NIOCore
import TLSHandshake
import TLSNIO

/// One connection carrying an association through the driver, for async code: the
/// `NIOAsyncChannel` of ``DicomInbound`` and ``DicomOutbound`` and, over TLS, the handshake.
public struct DicomAssociationChannel: Sendable {
    /// Inbound indications and message parts; outbound primitives and messages.
    public let channel: NIOAsyncChannel<DicomInbound, DicomOutbound>
    /// Completes with the TLS handshake; nil over plain TCP.
    public let handshake: EventLoopFuture<TLSHandshakeResult>?
    /// "address:port" of the peer.
    public let peer: String
    /// An acceptor's running requests that a C-CANCEL-RQ can stop.
    let cancellations: DIMSECancellations

    /// Aborts the association (A-ABORT, close) from any thread, e.g. on task cancellation.
    public func abort() {
        channel.channel.triggerUserOutboundEvent(DicomAbortRequest(), promise: nil)
    }
}

/// Builds the driver's pipeline on a channel, for either role.
public enum DicomPipeline {
    /// Adds [TLS handler] → ``DicomULHandler`` to `channel` and wraps it for async code; an
    /// acceptor also gets the handler that acts on C-CANCEL-RQ while a request runs. Call on
    /// the channel's event loop (inside a bootstrap's channel initializer).
    ///
    /// - Parameters:
    ///   - channel: a connected (or accepted) TCP channel.
    ///   - role: ``DicomULHandler/Role/acceptor`` or a requestor with its A-ASSOCIATE-RQ.
    ///   - configuration: the association's limits and timeouts.
    ///   - tls: a TLS handler for the connection, or nil for plain TCP. Its handshake should be
    ///     bounded by the ARTIM timeout (an acceptor's ARTIM also bounds it).
    public static func configure(
        _ channel: any Channel, role: DicomULHandler.Role, configuration: DicomULHandler.Configuration, tls: TLSChannelHandler?
    ) throws -> DicomAssociationChannel {
        let sync = channel.pipeline.syncOperations
        var handshake: EventLoopFuture<TLSHandshakeResult>?
        if let tls {
            try sync.addHandler(tls)
            handshake = tls.handshakeFuture
        }
        try sync.addHandler(DicomULHandler(role: role, configuration: configuration))
        let cancellations = DIMSECancellations()
        if case .acceptor = role { try sync.addHandler(CancelRequestHandler(cancellations)) }
        // A few PDUs of buffer: a data set is held back at the peer, not in memory.
        let async = try NIOAsyncChannel<DicomInbound, DicomOutbound>(
            wrappingChannelSynchronously: channel,
            configuration: .init(backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8)))
        let peer = channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "peer"
        return DicomAssociationChannel(channel: async, handshake: handshake, peer: peer, cancellations: cancellations)
    }
}
