/// Behaviour switches (the customer's `SSLOptions`).
public struct TLSOptions: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// 1/n-1 record splitting of CBC application data (BEAST countermeasure); on by
    /// default for clients.
    public static let recordSplitting = TLSOptions(rawValue: 1 << 0)
    /// Never resume sessions (servers send empty session IDs; clients offer none).
    public static let noResumption = TLSOptions(rawValue: 1 << 1)
    /// Allow renegotiation with peers that lack RFC 5746 support. Insecure (CVE-2009-3555).
    public static let allowLegacyRenegotiation = TLSOptions(rawValue: 1 << 2)
    /// A server picks the suite by its own preference order rather than the client's.
    public static let serverCipherPreference = TLSOptions(rawValue: 1 << 3)
    /// Offer / accept DEFLATE compression (RFC 3749). Off by default (CRIME).
    public static let deflateCompression = TLSOptions(rawValue: 1 << 4)
    /// Do not offer or accept the extended master secret (RFC 7627). For tests only.
    public static let disableExtendedMasterSecret = TLSOptions(rawValue: 1 << 5)
    /// Refuse every renegotiation, even secure ones.
    public static let noRenegotiation = TLSOptions(rawValue: 1 << 6)
    /// Servers: accept renegotiations the client starts, at most
    /// ``TLSLimits/clientRenegotiationsPerMinute`` per connection. Off by default: a client's
    /// ClientHello on an established connection is answered with the warning
    /// `no_renegotiation` and the connection carries on (each renegotiation costs the server
    /// an RSA private operation). Renegotiations the server asks for are unaffected.
    public static let allowClientRenegotiation = TLSOptions(rawValue: 1 << 7)
}
