/// The resumable state of a TLS session (RFC 2246 §7.3, "session state"), serialisable so a
/// store can keep it anywhere.
///
/// It holds the master secret: treat it as a secret (never log it), and keep serialised
/// forms as protected as a private key.
public struct TLSSession: Hashable, Sendable, Codable {
    /// The session identifier chosen by the server (1 to 32 bytes).
    public var sessionID: [UInt8]
    /// The negotiated suite's code point.
    public var cipherSuiteID: UInt16
    /// The negotiated compression method's code point.
    public var compressionMethod: UInt8
    /// The 48-byte master secret.
    public var masterSecret: [UInt8]
    /// Whether the master secret is the RFC 7627 extended master secret.
    public var extendedMasterSecret: Bool
    /// The peer's certificate chain (DER, leaf first) as verified when the session was made.
    public var peerCertificates: [[UInt8]]
    /// Whether the peer's chain was verified when the session was made.
    public var peerVerified: Bool
    /// Creation time, seconds since 1970, from the configuration's clock.
    public var creationTime: Int64
    /// The server name the client used, if any (client side only).
    public var serverName: String?

    /// The negotiated suite.
    public var cipherSuite: CipherSuite? { CipherSuite(id: cipherSuiteID) }
}
