import TLSHandshake
import TLSSockets
import TLSRecord

/// DICOM over TLS (PS3.15 Annex B): a ``DicomTransport`` over our TLS stream
/// (`BlockingTLSStream`). `read` returns decrypted application data, `write` seals and sends
/// records, `close` sends `close_notify`.
///
/// The handshake runs inside ``connect(host:port:configuration:options:timeouts:)`` and
/// ``accept(_:configuration:options:timeouts:)``, so the upper layer only ever sees a
/// secured link; the secure-link-ready callback runs before they return, i.e. before the
/// A-ASSOCIATE-RQ is sent or read. An acceptor's handshake is bounded by the ARTIM timer
/// and runs on the association's own thread (``DicomServer`` serves each connection on one),
/// so a slow or silent client never blocks another.
public final class TLSTransport: DicomTransport {
    /// The TLS stream (its `sessionInfo` is what the handshake negotiated).
    public let stream: BlockingTLSStream
    /// "host:port" of the peer.
    public let peerDescription: String
    private let closeTimeout: Double
    private var isClosed = false

    /// What the handshake negotiated: suite, algorithms, peer certificates.
    public var sessionInfo: SessionInfo { stream.sessionInfo }

    /// The link as reported to the secure-link-ready callback.
    public var secureLink: SecureLink { SecureLink(peer: peerDescription, session: stream.sessionInfo) }

    private init(stream: BlockingTLSStream, peer: String, closeTimeout: Double) {
        self.stream = stream
        self.peerDescription = peer
        self.closeTimeout = closeTimeout
    }

    deinit { close() }

    /// Connects to `host:port` (within `timeouts.connect`) and runs the client handshake
    /// (within `timeouts.reply`), resuming a session from `options.sessionCache` if it has one.
    public static func connect(
        host: String, port: UInt16, configuration: TLSConfiguration, options: SecureTransportOptions = SecureTransportOptions(),
        timeouts: DicomTimeouts
    ) throws(DicomError) -> TLSTransport {
        guard configuration.role == .client else {
            throw DicomError(.invalidConfiguration, "the TLS configuration of a requestor must be a client configuration")
        }
        let peer = "\(host):\(port)"
        let configuration = Self.withDICOMProtocol(configuration)
        let socket: TCPSocket
        do {
            socket = try TCPSocket.connect(host: host, port: port, timeout: .seconds(timeouts.connect))
        } catch {
            throw DicomError(error.code == .timedOut ? .timeout : .io, error.message)
        }
        let cached = options.sessionCache?.session(for: peer)
        let stream: BlockingTLSStream
        do {
            stream = try BlockingTLSStream(
                client: socket, configuration: configuration,
                serverName: options.checksServerName ? (options.serverName ?? host) : nil,
                resuming: cached, handshakeTimeout: .seconds(timeouts.reply))
        } catch {
            options.sessionCache?.remove(for: peer)
            throw TLSFailure.handshake(error, peer: peer, role: .client)
        }
        if let cache = options.sessionCache, let session = stream.session { cache.store(session, for: peer) }
        let transport = TLSTransport(stream: stream, peer: peer, closeTimeout: options.closeTimeout)
        options.onSecureLinkReady?(transport.secureLink)
        return transport
    }

    /// Runs the server handshake on an accepted connection, within `timeouts.artim`
    /// (PS3.8 §9.1.5: the ARTIM timer bounds everything before the A-ASSOCIATE-RQ).
    public static func accept(
        _ socket: AcceptedSocket, configuration: TLSConfiguration, options: SecureTransportOptions = SecureTransportOptions(),
        timeouts: DicomTimeouts
    ) throws(DicomError) -> TLSTransport {
        let tcp = socket.socket
        guard configuration.role == .server else {
            tcp.close()
            throw DicomError(.invalidConfiguration, "the TLS configuration of an acceptor must be a server configuration")
        }
        let configuration = Self.withDICOMProtocol(configuration)
        let stream: BlockingTLSStream
        do {
            stream = try BlockingTLSStream(server: tcp, configuration: configuration, handshakeTimeout: .seconds(timeouts.artim))
        } catch {
            throw TLSFailure.handshake(error, peer: socket.peerDescription, role: .server)
        }
        let transport = TLSTransport(stream: stream, peer: socket.peerDescription, closeTimeout: options.closeTimeout)
        options.onSecureLinkReady?(transport.secureLink)
        return transport
    }

    /// `configuration`, offering / accepting ALPN `dicom` when it names no protocol.
    public static func withDICOMProtocol(_ configuration: TLSConfiguration) -> TLSConfiguration {
        guard configuration.applicationProtocols.isEmpty else { return configuration }
        var c = configuration
        c.applicationProtocols = [DicomSecurity.applicationProtocol]
        return c
    }

    /// Reads up to `maxCount` bytes of application data.
    ///
    /// A TCP close without `close_notify` ends the stream like `close_notify` does: the upper
    /// layer never takes a closed connection for a completed exchange (A-RELEASE and the PDU
    /// lengths delimit everything), so truncation cannot pass as success here.
    public func read(upTo maxCount: Int, timeout: Double?) throws(DicomError) -> [UInt8] {
        guard !isClosed else { throw DicomError(.connectionClosed, "connection to \(peerDescription) is closed") }
        stream.ioTimeout = timeout.map { .seconds($0) }
        do {
            return try stream.read(maxCount: max(1, maxCount))
        } catch {
            if case .truncated = error { return [] }
            throw TLSFailure.io(error, peer: peerDescription, reading: true)
        }
    }

    /// Encrypts and sends `bytes` (one PDU): the record layer splits it into records.
    public func write(_ bytes: [UInt8], timeout: Double?) throws(DicomError) {
        guard !isClosed else { throw DicomError(.connectionClosed, "connection to \(peerDescription) is closed") }
        stream.ioTimeout = timeout.map { .seconds($0) }
        do {
            try stream.write(bytes)
        } catch {
            throw TLSFailure.io(error, peer: peerDescription, reading: false)
        }
    }

    /// Sends `close_notify`, waits briefly for the peer's, and closes the socket.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        try? stream.close(timeout: .seconds(closeTimeout))
    }
}

@available(*, unavailable)
extension TLSTransport: Sendable {}
