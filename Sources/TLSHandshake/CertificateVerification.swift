/// How a peer's certificate is checked: the customer's `SSLVerifyMode` (OpenSSL's
/// `SSL_VERIFY_NONE`, `SSL_VERIFY_PEER`, `SSL_VERIFY_FAIL_IF_NO_PEER_CERT`).
public enum CertificateVerification: Sendable, Hashable {
    /// No verification. A client still needs the server's key; a server does not ask for
    /// client certificates. Insecure against active attackers.
    case noneInsecure
    /// Verify the peer's chain. A server requests a client certificate and verifies it
    /// when one is sent, but accepts clients that send none.
    case peer
    /// As ``peer``, and a server refuses clients that send no certificate.
    case requirePeerCertificate
}
