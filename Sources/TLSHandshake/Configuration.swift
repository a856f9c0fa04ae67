import CryptoPrimitives
import TLSRecord
import X509

/// A hook run after the built-in certificate checks (X509's `PathValidator.Hook`): it sees
/// the path and the built-in outcome and returns true to accept, false to reject
/// (`certificate_unknown`). Accepting a failed chain is an explicit decision to trust it.
public typealias CertificateVerificationHook = PathValidator.Hook

/// Everything one side of a TLS connection needs, validated once (DESIGN.md §5).
///
/// The LEADTOOLS `SSLCreateFlags` are unnecessary: unset settings are nil or defaults.
public struct TLSConfiguration: Sendable {
    /// Which side this configuration is for.
    public let role: ConnectionEnd
    /// The protocol version spoken (the customer's `SSLMethodType`): TLS 1.0 only.
    public var protocolVersion: ProtocolVersion { .tls10 }
    /// Our certificate chain, leaf first (required for servers; optional for clients).
    public var certificateChain: [Certificate] { didSet { isValidated = false } }
    /// The private key of the chain's leaf.
    public var privateKey: (any TLSPrivateKey)? { didSet { isValidated = false } }
    /// Servers: further chains with their keys, presented to clients whose server_name one of
    /// them matches (RFC 6066 §3); the main chain above serves every other client.
    public var additionalIdentities: [CertifiedKey] = [] { didSet { isValidated = false } }
    /// Trusted CA certificates (`SSLCAFile`).
    public var trustRoots: TrustStore? { didSet { isValidated = false } }
    /// Maximum chain length below the trust anchor (`SSLVerifyDepth`).
    public var verifyDepth: Int { didSet { isValidated = false } }
    /// Peer verification mode (`SSLVerifyMode`).
    public var certificateVerification: CertificateVerification { didSet { isValidated = false } }
    /// A server verifies a client once per session: renegotiations and resumptions do not
    /// ask again (OpenSSL `SSL_VERIFY_CLIENT_ONCE`).
    public var verifyOncePerSession: Bool
    /// Suites in preference order.
    public var cipherSuites: [CipherSuite] { didSet { isValidated = false } }
    /// Behaviour switches.
    public var options: TLSOptions
    /// Where sessions are kept for resumption.
    public var sessionStore: any TLSSessionStore
    /// Randomness for hellos, premasters, padding and blinding.
    public var random: any RandomSource
    /// The current time in seconds since 1970, for certificate validity and session expiry.
    public var currentTime: @Sendable () -> Int64
    /// Receives one `SSLKEYLOGFILE` line per handshake (`CLIENT_RANDOM <hex> <hex>`) when set.
    public var keyLog: (@Sendable (String) -> Void)?
    /// CRL checking of the peer's chain (`--crl-file`); nil checks no revocation status.
    public var revocation: RevocationPolicy?
    /// Called after the built-in certificate checks.
    public var verificationHook: CertificateVerificationHook?
    /// Called when a handshake completes (the customer's `NetSecureLinkReady`).
    public var onSecureLinkReady: (@Sendable (SessionInfo) -> Void)?
    /// Bytes of application data under one 64-bit-block key before a renegotiation
    /// (client) or close (server): the Sweet32 bound. Nil for the record layer's default.
    public var keyUsageLimit: UInt64?
    /// ALPN protocol names (RFC 7301) in preference order: a client offers them; a server
    /// picks the first of its own that the client offers, and refuses a client that offers
    /// only others (`no_application_protocol`). Empty: no ALPN. DICOM's registered name is
    /// `dicom`.
    public var applicationProtocols: [String] = [] { didSet { isValidated = false } }
    /// Bounds on what the peer controls (certificate list size and count, renegotiation rate).
    public var limits = TLSLimits()
    /// Tests only: a client that omits RFC 5746 signalling, to check that servers refuse
    /// insecure renegotiation. Not public: no caller should ever want it.
    var actsAsLegacyClient = false
    /// Whether ``validate()`` passed for the current values of the settings it checks: set
    /// by the factories and ``prepare()``, cleared when one of those settings changes. A
    /// connection made from a validated configuration does not check it again (a server
    /// makes one per accepted connection, and the key check parses the leaf's public key).
    private(set) var isValidated = false

    /// A configuration with safe defaults; use ``client(...)`` / ``server(...)`` to build one.
    init(role: ConnectionEnd) {
        self.role = role
        certificateChain = []
        privateKey = nil
        trustRoots = nil
        verifyDepth = 9
        certificateVerification = role == .client ? .peer : .noneInsecure
        verifyOncePerSession = false
        cipherSuites = CipherSuite.defaults
        options = role == .client ? [.recordSplitting] : []
        sessionStore = LRUSessionStore()
        random = SystemRandom()
        currentTime = { systemTimeSeconds() }
        keyLog = nil
        verificationHook = nil
        revocation = nil
        onSecureLinkReady = nil
        keyUsageLimit = nil
    }

    /// A client configuration. `trustRoots` is required unless verification is
    /// ``CertificateVerification/noneInsecure``.
    public static func client(
        certificateChain: [Certificate] = [], privateKey: (any TLSPrivateKey)? = nil,
        trustRoots: TrustStore? = nil, verification: CertificateVerification = .peer,
        verifyDepth: Int = 9, cipherSuites: [CipherSuite] = CipherSuite.defaults,
        options: TLSOptions = [.recordSplitting], random: any RandomSource = SystemRandom()
    ) throws(TLSError) -> TLSConfiguration {
        try make(
            .client, certificateChain: certificateChain, privateKey: privateKey, trustRoots: trustRoots,
            verification: verification, verifyDepth: verifyDepth, cipherSuites: cipherSuites, options: options,
            random: random)
    }

    /// A server configuration: a chain and its key are required; `trustRoots` is required
    /// when clients are verified.
    public static func server(
        certificateChain: [Certificate], privateKey: any TLSPrivateKey,
        trustRoots: TrustStore? = nil, verification: CertificateVerification = .noneInsecure,
        verifyDepth: Int = 9, cipherSuites: [CipherSuite] = CipherSuite.defaults,
        options: TLSOptions = [], random: any RandomSource = SystemRandom()
    ) throws(TLSError) -> TLSConfiguration {
        try make(
            .server, certificateChain: certificateChain, privateKey: privateKey, trustRoots: trustRoots,
            verification: verification, verifyDepth: verifyDepth, cipherSuites: cipherSuites, options: options,
            random: random)
    }

    /// The factories' shared body: sets the common fields, then validates once.
    private static func make(
        _ role: ConnectionEnd, certificateChain: [Certificate], privateKey: (any TLSPrivateKey)?, trustRoots: TrustStore?,
        verification: CertificateVerification, verifyDepth: Int, cipherSuites: [CipherSuite], options: TLSOptions,
        random: any RandomSource
    ) throws(TLSError) -> TLSConfiguration {
        var c = TLSConfiguration(role: role)
        c.certificateChain = certificateChain
        c.privateKey = privateKey
        c.trustRoots = trustRoots
        c.certificateVerification = verification
        c.verifyDepth = verifyDepth
        c.cipherSuites = cipherSuites
        c.options = options
        c.random = random
        try c.prepare()
        return c
    }

    /// Validates the settings (``validate()``) and remembers that they passed, so that the
    /// connections made from this configuration skip the check until one of the checked
    /// settings changes. Call it once after changing a configuration a server will use for
    /// many connections; the factories already do.
    public mutating func prepare() throws(TLSError) {
        try validate()
        isValidated = true
    }

    /// Checks the settings once; every problem is named (the customer's `SSLSuccess`).
    public func validate() throws(TLSError) {
        guard !cipherSuites.isEmpty else { throw .configuration("no cipher suites are enabled") }
        guard Set(cipherSuites.map(\.id)).count == cipherSuites.count else {
            throw .configuration("the cipher suite list names a suite twice")
        }
        guard verifyDepth >= 0 else { throw .configuration("verifyDepth must not be negative") }
        if role == .server {
            guard !certificateChain.isEmpty, privateKey != nil else {
                throw .configuration("a server needs a certificate chain and its private key")
            }
        }
        guard certificateChain.isEmpty == (privateKey == nil) else {
            throw .configuration("a certificate chain and a private key must be given together")
        }
        if let key = privateKey, key.modulusBitCount < 1024 {
            throw .configuration("the private key has \(key.modulusBitCount) bits; at least 1024 are required")
        }
        if let key = privateKey as? RSAPrivateKey, let leaf = certificateChain.first {
            try Self.checkKey(key, matches: leaf)
        }
        for (i, identity) in additionalIdentities.enumerated() {
            guard let leaf = identity.certificateChain.first else {
                throw .configuration("additional identity \(i + 1) has no certificate")
            }
            guard identity.privateKey.modulusBitCount >= 1024 else {
                throw .configuration("the private key of additional identity \(i + 1) has fewer than 1024 bits")
            }
            if let key = identity.privateKey as? RSAPrivateKey { try Self.checkKey(key, matches: leaf) }
        }
        for name in applicationProtocols where name.utf8.isEmpty || name.utf8.count > 255 {
            throw .configuration("the ALPN protocol name '\(name)' must have 1 to 255 bytes")
        }
        if certificateVerification != .noneInsecure, trustRoots == nil {
            throw .configuration("certificate verification is on but no trusted CA certificates (trustRoots) are set")
        }
    }

    /// The compression methods we offer or accept, in preference order.
    var compressionMethods: [CompressionMethod] {
        options.contains(.deflateCompression) ? [.deflate, .null] : [.null]
    }

    /// Whether we send CertificateRequest (servers only).
    var requestsClientCertificate: Bool { certificateVerification != .noneInsecure }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock seconds since 1970; the only clock read, and only through the configuration's
/// injectable ``TLSConfiguration/currentTime``.
func systemTimeSeconds() -> Int64 {
    Int64(time(nil))
}
