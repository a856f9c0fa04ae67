import DicomUL
import NIOCore
import NIOPosix
import TLSHandshake
import TLSNIO
import TLSRecord

/// An async association requestor on the SwiftNIO driver (``DicomULHandler``), over TCP or
/// TLS alike: the async counterpart of the blocking `DicomClient`, with the same
/// `DicomClientConfiguration` (host, AE titles, timeouts, maximum PDU length, security).
///
/// ```swift
/// let client = DicomAsyncClient(try DicomClientConfiguration(host: "pacs", port: 11112, calledAETitle: "PACS"))
/// let status = try await client.echo()
/// for try await p in client.store(files: paths, associations: 2) { print(p.path, p.result) }
/// try await client.withAssociation(proposing: contexts) { association in
///     for try await response in try await association.send(command: find, contextID: 1, dataSet: query) { ... }
/// }
/// ```
///
/// Cancelling the task that runs an association sends A-ABORT and closes the connection.
/// The configuration's `connector` is not used: plain TCP is NIO's, TLS is ``TLSChannelHandler``
/// (ALPN `dicom` offered when the TLS configuration names no protocol, as the blocking client).
public struct DicomAsyncClient: Sendable {
    /// Where to connect, as whom, how.
    public let configuration: DicomClientConfiguration
    /// The event loops the connections run on.
    public let group: any EventLoopGroup

    /// Creates a client running its connections on `group`.
    public init(_ configuration: DicomClientConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.group = group
    }

    /// "host:port" of the peer, as errors and ``SecureLink`` name it.
    public var peer: String { "\(configuration.host):\(configuration.port)" }

    /// Opens an association proposing `contexts` (odd IDs assigned in order where 0), runs
    /// `body` on it and releases it; if `body` throws or the task is cancelled, the
    /// association is aborted (A-ABORT) instead.
    public func withAssociation<Result: Sendable>(
        proposing contexts: [PresentationContextProposal], _ body: (AsyncAssociation) async throws -> Result
    ) async throws -> Result {
        try Task.checkCancellation()
        let rq = try associateRequest(proposing: contexts)
        let connection = try await connect(rq)
        // From here on the channel is only used inside `executeThenClose`, which finishes its
        // writer and closes it whatever happens (NIO traps on a writer dropped unfinished).
        return try await withTaskCancellationHandler {
            do {
                return try await connection.channel.executeThenClose { inbound, outbound in
                    let link = try await handshake(connection)
                    let association = try await AsyncAssociation.establish(
                        connection: connection, reader: InboundReader(inbound), outbound: outbound, request: rq, link: link,
                        timeouts: configuration.timeouts, peer: peer)
                    do {
                        let result = try await body(association)
                        if association.isOpen { try await association.release() }
                        return result
                    } catch {
                        association.abort()
                        throw error
                    }
                }
            } catch {
                if Task.isCancelled { throw CancellationError() }
                throw describe(error)
            }
        } onCancel: {
            connection.abort()
        }
    }

    /// Verifies the peer with a C-ECHO (PS3.4 Annex A) in an association of its own.
    public func echo() async throws -> DIMSEStatus {
        try await withAssociation(proposing: [
            PresentationContextProposal(id: 1, abstractSyntax: DicomUID.verification, transferSyntaxes: [DicomUID.implicitVRLittleEndian]),
        ]) { try await $0.echo() }
    }

    // MARK: Connecting

    func associateRequest(proposing contexts: [PresentationContextProposal]) throws(DicomError) -> AssociateRQ {
        var proposals = contexts
        for i in proposals.indices where proposals[i].id == 0 { proposals[i].id = UInt8(truncatingIfNeeded: 2 * i + 1) }
        guard !proposals.isEmpty, proposals.count <= 128 else {
            throw DicomError(.invalidConfiguration, "\(proposals.count) presentation contexts proposed; 1 to 128 fit in one association")
        }
        return AssociateRQ(
            calledAETitle: configuration.calledAETitle, callingAETitle: configuration.callingAETitle, presentationContexts: proposals,
            userInformation: UserInformation(
                maximumLength: configuration.maximumReceivePDULength, implementationClassUID: DicomUID.implementationClassUID,
                implementationVersionName: DicomUID.implementationVersionName))
    }

    /// TCP connect (within `timeouts.connect`) and the driver's pipeline; the TLS handshake
    /// (within `timeouts.reply`) runs next, the A-ASSOCIATE-RQ goes out after it.
    private func connect(_ rq: AssociateRQ) async throws -> DicomAssociationChannel {
        let settings = DicomULHandler.Configuration(
            timeouts: configuration.timeouts, maximumReceivePDULength: configuration.maximumReceivePDULength)
        let handshakeTimeout = DicomULHandler.amount(configuration.timeouts.reply)
        let host = configuration.host
        var tls: (TLSConfiguration, serverName: String?, resuming: TLSSession?)?
        if case .tls(let c, let options) = configuration.security {
            guard c.role == .client else {
                throw DicomError(.invalidConfiguration, "the TLS configuration of a requestor must be a client configuration")
            }
            tls = (TLSTransport.withDICOMProtocol(c), options.checksServerName ? (options.serverName ?? host) : nil,
                   options.sessionCache?.session(for: peer))
        }
        let chosen = tls
        do {
            return try await ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connectTimeout(DicomULHandler.amount(configuration.timeouts.connect))
                .connect(host: host, port: Int(configuration.port)) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let handler = try chosen.map {
                            try TLSChannelHandler(client: $0.0, serverName: $0.serverName, resuming: $0.resuming, handshakeTimeout: handshakeTimeout)
                        }
                        return try DicomPipeline.configure(channel, role: .requestor(rq), configuration: settings, tls: handler)
                    }
                }
        } catch let error as NIOConnectionError {
            let why = error.connectionErrors.first.map { "\($0.error)" } ?? (error.dnsAAAAError ?? error.dnsAError).map { "\($0)" }
            throw DicomError(.io, "cannot connect to \(peer): \(why ?? "no address")")
        } catch ChannelError.connectTimeout {
            throw DicomError(.timeout, "timed out after \(SystemText.formatSeconds(configuration.timeouts.connect)) s connecting to \(peer)")
        } catch {
            throw DicomError(.io, "cannot connect to \(peer): \(error)")
        }
    }

    /// Waits for the TLS handshake (nil over TCP), keeps the session for resumption and
    /// reports the link.
    private func handshake(_ connection: DicomAssociationChannel) async throws -> SecureLink? {
        guard let future = connection.handshake, case .tls(_, let options) = configuration.security else { return nil }
        let result: TLSHandshakeResult
        do {
            result = try await future.get()
        } catch {
            options.sessionCache?.remove(for: peer)
            throw describe(error)
        }
        if let cache = options.sessionCache, let session = result.session { cache.store(session, for: peer) }
        let link = SecureLink(peer: peer, session: result.sessionInfo)
        options.onSecureLinkReady?(link)
        return link
    }

    /// A `DicomError` saying what went wrong with the peer, in the blocking client's words.
    func describe(_ error: any Error) -> any Error {
        switch error {
        case let error as DicomError:
            return error
        case let error as TLSChannelError:
            switch error {
            case .tls(let e): return DicomError(.tls, "TLS handshake with \(peer) failed: \(e.description)")
            case .truncated:
                return DicomError(.tls, "\(peer) closed the connection during the TLS handshake: "
                    + "is it a plain, non-TLS DICOM port, or did it refuse our certificate or cipher suites?")
            case .handshakeTimedOut(let text):
                return DicomError(.timeout, text + " (a plain DICOM peer waits silently for more bytes: is it a non-TLS port?)")
            case .privateKeyOperationFailed(let text): return DicomError(.tls, "TLS with \(peer): \(text)")
            }
        case is CancellationError:
            return error
        default:
            return DicomError(.io, "connection to \(peer) failed: \(error)")
        }
    }
}
