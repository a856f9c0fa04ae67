import TLSRecord
import TLSHandshake

/// A TLS connection over a blocking TCP socket: the thin adapter around the sans-I/O
/// ``TLSConnection`` (STYLE.md §2).
///
/// It loops like rustls `complete_io`: write out whatever the engine produced, then read from
/// the socket while the engine needs input. The handshake runs before the stream is returned,
/// within a deadline; then ``read(maxCount:)`` and ``write(_:)`` move application data and
/// ``close(timeout:)`` exchanges `close_notify`. A peer that drops the TCP connection without
/// `close_notify` is reported as ``TLSStreamError/truncated(_:)``, never as a clean end.
/// The configuration's `onSecureLinkReady` runs after each completed handshake (the engine
/// calls it; the stream only keeps ``sessionInfo`` current).
///
/// One thread owns a stream at a time; it is not `Sendable`.
public final class BlockingTLSStream {
    /// What the last completed handshake established (the customer's `GetCiphersuiteTLS`, ...).
    public private(set) var sessionInfo: SessionInfo
    /// How long one ``read(maxCount:)`` or ``write(_:)`` call may take in all, measured from
    /// its start (one absolute deadline per call); nil waits indefinitely (a peer may
    /// legitimately stay silent).
    public var ioTimeout: Duration?

    private var pump: TLSSocketPump

    /// Connects to `host:port` and runs a client handshake, all within `timeout`.
    ///
    /// - Parameters:
    ///   - host: the server's name or address.
    ///   - port: the server's port.
    ///   - configuration: a client configuration.
    ///   - serverName: the name sent in SNI and checked against the certificate; defaults to `host`.
    ///   - session: the ``session`` of an earlier connection, to resume it.
    ///   - timeout: the limit for connecting and the handshake together.
    public static func connect(
        host: String, port: UInt16, configuration: TLSConfiguration, serverName: String? = nil,
        resuming session: TLSSession? = nil, timeout: Duration = .seconds(30)
    ) throws(TLSStreamError) -> BlockingTLSStream {
        let deadline = ContinuousClock.now + timeout
        let socket: TCPSocket
        do {
            socket = try TCPSocket.connect(host: host, port: port, timeout: timeout)
        } catch {
            throw .socket(error)
        }
        return try BlockingTLSStream(
            client: socket, configuration: configuration, serverName: serverName ?? host, resuming: session,
            handshakeTimeout: ContinuousClock.now.duration(to: deadline))
    }

    /// Accepts the next TCP connection from `listener` and runs a server handshake on it.
    ///
    /// A server that must not let one slow client hold up the others accepts sockets itself
    /// and calls ``init(server:configuration:handshakeTimeout:)`` on a thread per connection.
    public static func accept(
        from listener: TCPListener, configuration: TLSConfiguration, timeout: Duration = .seconds(30)
    ) throws(TLSStreamError) -> BlockingTLSStream {
        let socket: TCPSocket
        do {
            socket = try listener.accept()
        } catch {
            throw .socket(error)
        }
        return try BlockingTLSStream(server: socket, configuration: configuration, handshakeTimeout: timeout)
    }

    /// Runs a server handshake on an accepted socket; the socket is closed if it fails.
    public convenience init(
        server socket: TCPSocket, configuration: TLSConfiguration, handshakeTimeout: Duration = .seconds(30)
    ) throws(TLSStreamError) {
        let engine: TLSConnection
        do {
            engine = try TLSConnection(server: configuration)
        } catch {
            socket.close()
            throw .tls(error)
        }
        try self.init(socket: socket, engine: engine, timeout: handshakeTimeout)
    }

    /// Runs a client handshake on a connected socket; the socket is closed if it fails.
    public convenience init(
        client socket: TCPSocket, configuration: TLSConfiguration, serverName: String? = nil,
        resuming session: TLSSession? = nil, handshakeTimeout: Duration = .seconds(30)
    ) throws(TLSStreamError) {
        let engine: TLSConnection
        do {
            engine = try TLSConnection(client: configuration, serverName: serverName, resuming: session)
        } catch {
            socket.close()
            throw .tls(error)
        }
        try self.init(socket: socket, engine: engine, timeout: handshakeTimeout)
    }

    private init(socket: TCPSocket, engine: TLSConnection, timeout: Duration)
        throws(TLSStreamError)
    {
        var pump = TLSSocketPump(socket: socket, connection: engine)
        do {
            sessionInfo = try pump.completeHandshake(deadline: .now + timeout, timeout: timeout)
        } catch {
            socket.close()
            throw error
        }
        self.pump = pump
    }

    /// The TCP connection under the records.
    public var socket: TCPSocket { pump.socket }

    /// The session to pass to a later `connect` to resume it (clients); nil if not resumable.
    public var session: TLSSession? { pump.connection.session }

    /// Whether the peer has sent `close_notify`: nothing more will arrive.
    public var isPeerClosed: Bool { pump.peerSentCloseNotify }

    /// Decrypted bytes waiting for ``read(maxCount:)`` (a caller polling the socket checks this first).
    public var bufferedByteCount: Int { pump.bufferedByteCount }

    /// Returns up to `maxCount` bytes of application data, waiting for at least one.
    ///
    /// A renegotiation the peer starts runs inside this call (``sessionInfo`` then changes).
    ///
    /// - Returns: an empty array once the peer has sent `close_notify` (a clean end of stream).
    /// - Throws: ``TLSStreamError/truncated(_:)`` if TCP ends without `close_notify`; the TLS
    ///   error, with its alert, if the peer misbehaves or sends a fatal alert;
    ///   ``TLSStreamError/timedOut(_:)`` when ``ioTimeout`` passes with nothing to read — that
    ///   one leaves the stream usable, so a caller may poll with a short timeout.
    public func read(maxCount: Int = 1 << 14) throws(TLSStreamError) -> [UInt8] {
        try read(maxCount: maxCount, deadline: ioTimeout.map { .now + $0 })
    }

    /// Returns up to `maxCount` bytes of application data, waiting for at least one until
    /// `deadline` (nil: no limit).
    ///
    /// The deadline is absolute: records that carry no plaintext (empty application-data
    /// records, warning alerts, a renegotiation) never extend it, so a peer trickling them
    /// cannot hold the call past it (PS3.8 ARTIM and reply timers over TLS, review F4).
    /// - Throws: as ``read(maxCount:)``; ``TLSStreamError/timedOut(_:)`` once `deadline` passes.
    public func read(maxCount: Int, deadline: ContinuousClock.Instant?) throws(TLSStreamError) -> [UInt8] {
        while pump.bufferedByteCount == 0 {
            if pump.peerSentCloseNotify { return [] }
            try pump.receiveOnce(deadline: deadline, context: "while we were reading")
            reportRenegotiations()
        }
        return pump.takePlaintext(maxCount: maxCount)
    }

    /// Encrypts and sends all of `bytes`, within ``ioTimeout`` for the whole call.
    public func write(_ bytes: [UInt8]) throws(TLSStreamError) {
        try write(bytes, deadline: ioTimeout.map { .now + $0 })
    }

    /// Encrypts and sends all of `bytes` before `deadline` (nil: no limit).
    public func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant?) throws(TLSStreamError) {
        try pump.send(bytes, deadline: deadline)
    }

    /// Sends `close_notify`, waits up to `timeout` for the peer's, then closes the socket.
    ///
    /// Application data arriving meanwhile stays readable through ``read(maxCount:)``.
    /// - Throws: ``TLSStreamError/truncated(_:)`` if the peer closed TCP without answering
    ///   with `close_notify`; the socket is closed in every case.
    public func close(timeout: Duration = .seconds(5)) throws(TLSStreamError) {
        defer { pump.socket.close() }
        let deadline = ContinuousClock.now + timeout
        try pump.sendCloseNotify(deadline: deadline)
        while !pump.peerSentCloseNotify {
            try pump.receiveOnce(deadline: deadline, context: "after our close_notify")
        }
    }

    /// Renegotiates: runs a new full handshake on this connection (RFC 5746 secure
    /// renegotiation) and waits up to `timeout` for it; then ``sessionInfo`` describes it.
    ///
    /// Application data that arrives meanwhile stays readable. A renegotiation the peer
    /// starts (a HelloRequest or a new ClientHello) needs no call: ``read(maxCount:)`` runs it.
    /// - Throws: ``TLSStreamError/renegotiationRefused(_:)`` if a client answers our
    ///   HelloRequest with `no_renegotiation` (the connection stays usable).
    public func renegotiate(timeout: Duration = .seconds(30)) throws(TLSStreamError) {
        let deadline = ContinuousClock.now + timeout
        reportRenegotiations()
        pump.peerRefusedRenegotiation = false
        do {
            try pump.connection.renegotiate()
        } catch {
            try? pump.flush(deadline: deadline)
            throw .tls(error)
        }
        sessionInfo = try pump.completeHandshake(deadline: deadline, timeout: timeout)
    }

    /// Closes the socket at once, without `close_notify` (to abort after an error).
    public func abort() { pump.socket.close() }

    /// Keeps ``sessionInfo`` current after renegotiations.
    private func reportRenegotiations() {
        if let latest = pump.completedHandshakes.last { sessionInfo = latest }
        pump.completedHandshakes.removeAll()
    }
}

@available(*, unavailable)
extension BlockingTLSStream: Sendable {}
