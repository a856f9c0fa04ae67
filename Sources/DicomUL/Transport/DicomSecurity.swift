import TLSHandshake

/// Whether an association runs over plain TCP or over TLS (PS3.15 Annex B, the Basic TLS
/// Secure Transport Connection Profile).
///
/// This is the customer's `UseSSLOptions` together with `NetworkSecurityMode`
/// (`DICOM_SECURE_NONE` / `DICOM_SECURE_TLS`): with ``none`` every TLS setting is ignored;
/// with ``tls(_:_:)`` the TLS configuration (certificate chain, private key and its password
/// callback, trusted CA file, verify mode and depth, cipher preference) applies to every
/// connection, and the TLS handshake completes before any PDU is sent or accepted.
///
/// ```swift
/// let tls = try TLSConfiguration.client(trustRoots: roots, cipherSuites: [.rsaWith3DESEDECBCSHA])
/// var config = try DicomClientConfiguration(host: "pacs", port: DicomSecurity.defaultTLSPort, calledAETitle: "PACS")
/// config.security = .tls(tls, SecureTransportOptions(onSecureLinkReady: { link in print(link) }))
/// ```
public enum DicomSecurity: Sendable {
    /// Plain TCP.
    case none
    /// TLS with this configuration (its role must match: client for requestors, server for
    /// acceptors) and the DICOM-side options.
    case tls(TLSConfiguration, SecureTransportOptions = SecureTransportOptions())

    /// The registered port for DICOM over TLS (PS3.15 Annex B.1: "dicom-tls", 2762), used
    /// where the user gives none.
    public static let defaultTLSPort: UInt16 = 2762

    /// DICOM's IANA-registered ALPN protocol name (RFC 7301; DCMTK 3.7 requestors send it).
    /// The TLS transports offer and accept it when the configuration names no protocol.
    public static let applicationProtocol = "dicom"

    /// Whether TLS is on.
    public var isTLS: Bool {
        if case .tls = self { return true }
        return false
    }
}
