/// The bounds the handshake engine puts on what a peer controls, kept in one place
/// (DESIGN.md §6, "cost bounded per input"). The configurable ones live in
/// ``TLSConfiguration/limits``; the ones the protocol fixes are constants here.
public struct TLSLimits: Sendable, Hashable {
    /// The largest Certificate or CertificateRequest message body, in bytes, checked on the
    /// 4-byte handshake header before the body is buffered. Default 102,400 (OpenSSL's
    /// `SSL_MAX_CERT_LIST_DEFAULT`).
    public var certificateMessageBytes: Int = 102_400
    /// The most certificates a Certificate message may hold, counted before any of them is
    /// parsed. Default 10.
    public var certificateCount: Int = 10
    /// With ``TLSOptions/allowClientRenegotiation``, how many client-initiated renegotiations
    /// a server accepts on one connection within any 60 seconds; past that it answers the
    /// warning `no_renegotiation`. Default 3.
    public var clientRenegotiationsPerMinute: Int = 3

    /// The defaults.
    public init() {}

    // MARK: Fixed by the protocol

    /// The largest well-formed ClientHello body: version, random, a 32-byte session ID,
    /// 32,767 suites, 255 compression methods and 65,535 bytes of extensions
    /// (2+32+1+32+2+65,534+1+255+2+65,535, RFC 2246 §7.4.1.2, RFC 3546 §2.1).
    static let clientHelloBytes = 131_396
    /// The largest ServerHello body: 2+32+1+32+2+1+2+65,535 (RFC 2246 §7.4.1.3).
    static let serverHelloBytes = 65_607
    /// `verify_data` is exactly 12 bytes in TLS 1.0 (RFC 2246 §7.4.9).
    static let finishedBytes = 12
    /// ClientKeyExchange and CertificateVerify: a 2-byte length and one RSA block of at most
    /// 16,384 bits, X509's largest accepted modulus.
    static let rsaBlockMessageBytes = 2 + 16_384 / 8
    /// Consecutive warning alerts (other than `close_notify`) allowed before the next one fails
    /// with `unexpected_message` (OpenSSL's `MAX_WARN_ALERT_COUNT`, CVE-2016-8610).
    static let consecutiveWarningAlerts = 4
    /// Consecutive empty records allowed before the next one fails with `unexpected_message`
    /// (OpenSSL's `MAX_EMPTY_RECORDS`).
    static let consecutiveEmptyRecords = 32
    /// The window of ``clientRenegotiationsPerMinute``, in seconds.
    static let renegotiationWindowSeconds: Int64 = 60
}
