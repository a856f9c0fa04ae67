import TLSRecord
import X509

/// What a completed handshake established (the customer's `GetCiphersuiteTLS`,
/// `GetEncryptionAlgorithmTLS`, `GetIntegrityAlgorithmTLS`, and more).
public struct SessionInfo: Sendable {
    /// The negotiated protocol version (always TLS 1.0).
    public var version: ProtocolVersion
    /// The negotiated suite; its ``CipherSuite/name`` is the IANA name.
    public var cipherSuite: CipherSuite
    /// The bulk cipher, e.g. `3DES-EDE-CBC`.
    public var encryptionAlgorithm: String { cipherSuite.encryptionAlgorithm }
    /// The MAC, e.g. `HMAC-SHA1`.
    public var integrityAlgorithm: String { cipherSuite.integrityAlgorithm }
    /// The negotiated compression method.
    public var compression: CompressionMethod
    /// The session ID (empty when the server does not cache sessions).
    public var sessionID: [UInt8]
    /// Whether this handshake resumed an earlier session.
    public var isResumed: Bool
    /// Whether the master secret is the RFC 7627 extended master secret.
    public var extendedMasterSecret: Bool
    /// Whether both sides support RFC 5746 secure renegotiation.
    public var secureRenegotiation: Bool
    /// The peer's certificate chain, leaf first (empty when the peer sent none).
    public var peerCertificates: [Certificate]
    /// Whether the peer's chain was verified against our trust roots.
    public var peerVerified: Bool
    /// Whether this was a renegotiation of an established connection.
    public var isRenegotiation: Bool
    /// The server name (SNI, RFC 6066 §3): on a server the host name the client asked for, on a
    /// client the one it sent; nil when none was sent.
    public var serverName: String? = nil
    /// The application protocol agreed by ALPN (RFC 7301), e.g. `dicom`; nil when none was.
    public var applicationProtocol: String? = nil
}
