/// DICOM-side settings of a TLS association, next to the `TLSConfiguration` in
/// ``DicomSecurity/tls(_:_:)``.
public struct SecureTransportOptions: Sendable {
    /// Called once the TLS handshake of a connection has completed and before the
    /// A-ASSOCIATE-RQ is sent (requestor) or read (acceptor): the customer's
    /// `NetSecureLinkReady` event, with the negotiated suite, its encryption and integrity
    /// algorithms and the peer's certificate. It runs on the association's thread.
    public var onSecureLinkReady: (@Sendable (SecureLink) -> Void)?

    /// Requestors: TLS sessions kept per `host:port` and offered again on the next
    /// connection, so later associations run the abbreviated handshake (RFC 2246 §7.3).
    /// nil (the default) runs a full handshake every time.
    public var sessionCache: TLSSessionCache?

    /// Requestors: the name checked against the server's certificate (and sent in SNI when
    /// it is a host name). nil uses the host connected to.
    public var serverName: String?

    /// Requestors: whether the server's certificate must name the host (or ``serverName``).
    /// DICOM peers often carry certificates that name no host (DCMTK does not check names),
    /// so this can be turned off; the chain is still verified against the trusted CAs.
    public var checksServerName: Bool

    /// How long closing waits for the peer's `close_notify`, in seconds.
    public var closeTimeout: Double

    /// Creates options; the defaults run a full handshake per association and check names.
    public init(
        onSecureLinkReady: (@Sendable (SecureLink) -> Void)? = nil, sessionCache: TLSSessionCache? = nil,
        serverName: String? = nil, checksServerName: Bool = true, closeTimeout: Double = 2
    ) {
        self.onSecureLinkReady = onSecureLinkReady
        self.sessionCache = sessionCache
        self.serverName = serverName
        self.checksServerName = checksServerName
        self.closeTimeout = closeTimeout
    }
}
