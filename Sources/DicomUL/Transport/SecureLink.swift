import TLSHandshake
import X509

/// A TLS link ready to carry an association: what the handshake negotiated and who the peer
/// is (the customer's `NetSecureLinkReady` with `GetCiphersuiteTLS`,
/// `GetEncryptionAlgorithmTLS` and `GetIntegrityAlgorithmTLS`).
public struct SecureLink: Sendable {
    /// "host:port" of the peer.
    public var peer: String
    /// Everything the handshake established (version, suite, session, peer chain).
    public var session: SessionInfo

    /// A link with `peer` ("host:port") over the session a handshake established.
    public init(peer: String, session: SessionInfo) {
        self.peer = peer
        self.session = session
    }

    /// The negotiated suite's IANA name, e.g. `TLS_RSA_WITH_3DES_EDE_CBC_SHA`.
    public var cipherSuite: String { session.cipherSuite.name }
    /// Its bulk cipher, e.g. `3DES-EDE-CBC` or `NULL`.
    public var encryptionAlgorithm: String { session.encryptionAlgorithm }
    /// Its MAC, e.g. `HMAC-SHA1`.
    public var integrityAlgorithm: String { session.integrityAlgorithm }
    /// The peer's own certificate (nil when a client sent none).
    public var peerCertificate: Certificate? { session.peerCertificates.first }
    /// Whether the handshake resumed an earlier session.
    public var isResumed: Bool { session.isResumed }

    /// One line for logs: suite, algorithms, resumption and the peer's subject.
    public var summary: String {
        let subject = peerCertificate.map { "\"\($0.subject)\"" } ?? "none"
        return "TLS link with \(peer): \(session.version) \(cipherSuite) (encryption \(encryptionAlgorithm), "
            + "integrity \(integrityAlgorithm))\(isResumed ? " resumed" : "") peer certificate \(subject)"
    }
}

extension Association {
    /// The TLS link under this association (suite, algorithms, peer certificate), or nil over
    /// plain TCP: the customer's `GetCiphersuiteTLS` / `GetEncryptionAlgorithmTLS` /
    /// `GetIntegrityAlgorithmTLS` on a live connection.
    public var secureLink: SecureLink? { (transport as? TLSTransport)?.secureLink }
}
