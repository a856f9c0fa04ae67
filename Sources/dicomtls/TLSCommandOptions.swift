import ArgumentParser
import TLSHandshake
import X509

extension RevocationPolicy.Scope: ExpressibleByArgument {}
extension RevocationPolicy.StaleCRLHandling: ExpressibleByArgument {}

/// The TLS flags shared by `tls-server`, `tls-client` and the DICOM commands behind `--tls`
/// (the customer's `SSL*` settings, DESIGN.md §5).
///
/// Named `TLSCommandOptions` because `TLSOptions` is the core's `OptionSet` of switches.
struct TLSCommandOptions: ParsableArguments {
    /// `--verify`: the customer's `SSLVerifyMode`.
    enum Verify: String, ExpressibleByArgument, CaseIterable, Sendable {
        /// Do not verify the peer (a server does not ask for a client certificate).
        case none
        /// Verify the peer's certificate if it sends one (a server asks but does not insist).
        case peer
        /// Verify the peer and fail when it sends no certificate.
        case require
    }

    /// `--compression`: the methods we offer or accept besides null.
    enum Compression: String, ExpressibleByArgument, CaseIterable, Sendable {
        case null, deflate
    }

    /// `--split-records`: 1/n-1 record splitting of CBC application data (BEAST).
    enum Switch: String, ExpressibleByArgument, CaseIterable, Sendable {
        case on, off
    }

    @Option(name: .customLong("cert"), help: ArgumentHelp(
        "Our certificate chain (PEM, leaf first). Servers may give several --cert/--key pairs: the chain whose certificate names the host the client asks for (SNI) is presented, else the first.",
        valueName: "pem"))
    var certificateFiles: [String] = []

    @Option(name: .customLong("key"), help: ArgumentHelp("The private key of the --cert in the same position (PEM; may be encrypted).", valueName: "pem"))
    var keyFiles: [String] = []

    /// The first (for clients the only) `--cert`.
    var certificateFile: String? { certificateFiles.first }
    /// The first (for clients the only) `--key`.
    var keyFile: String? { keyFiles.first }

    @Option(name: .customLong("pkcs12"),
            help: ArgumentHelp("Our certificate chain and private key in one PKCS#12 file (.p12/.pfx), instead of --cert and --key.", valueName: "file"))
    var pkcs12File: String?

    @Option(name: .customLong("key-password-file"),
            help: ArgumentHelp("File whose first line is the password of an encrypted --key or of --pkcs12.", valueName: "file"))
    var keyPasswordFile: String?

    @Option(name: .customLong("ca-file"), help: ArgumentHelp("Trusted CA certificates (SSLCAFile): a PEM file, or a folder of certificate files.", valueName: "pem"))
    var caFile: String?

    @Option(name: .customLong("crl-file"), help: ArgumentHelp(
        "A CRL (PEM or DER) to check the peer's certificates against; repeatable. Turns revocation checking on.",
        valueName: "file"))
    var crlFiles: [String] = []

    @Option(name: .customLong("crl-check"), help: ArgumentHelp(
        "Which certificates --crl-file checks: leaf (the peer's only, DCMTK +crv) or chain (every certificate below the trust anchor, DCMTK +cra)."))
    var crlCheck: RevocationPolicy.Scope = .leaf

    @Option(name: .customLong("crl-stale"), help: ArgumentHelp(
        "A CRL past its nextUpdate: fail (not used; the status is unknown and the handshake fails) or warn (used, with a warning)."))
    var crlStale: RevocationPolicy.StaleCRLHandling = .fail

    @Option(help: ArgumentHelp("Peer verification: none, peer, require (default: peer for clients, none for servers)."))
    var verify: Verify?

    @Option(name: .customLong("verify-depth"), help: ArgumentHelp("Maximum certificate chain depth (SSLVerifyDepth).", valueName: "n"))
    var verifyDepth: Int = 9

    @Option(help: ArgumentHelp(
        "Cipher suites in preference order, IANA names separated by commas: TLS_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_AES_256_CBC_SHA, TLS_RSA_WITH_3DES_EDE_CBC_SHA, TLS_RSA_WITH_DES_CBC_SHA, TLS_RSA_WITH_NULL_SHA (default: the first three, in that order; DES and NULL only when listed).",
        valueName: "list"))
    var ciphers: String?

    @Option(help: ArgumentHelp("Compression: null (default) or deflate (RFC 3749; both sides must enable it)."))
    var compression: Compression = .null

    @Option(name: .customLong("split-records"), help: ArgumentHelp("1/n-1 record splitting for CBC suites: on (default for clients) or off."))
    var splitRecords: Switch?

    @Option(help: ArgumentHelp("Append SSLKEYLOGFILE lines (CLIENT_RANDOM ...) to this file, for Wireshark.", valueName: "file"))
    var keylog: String?

    @Option(help: ArgumentHelp(
        "ALPN protocol names (RFC 7301) in preference order, separated by commas (default: dicom for the DICOM commands, http/1.1 for tls-server --http, none otherwise).",
        valueName: "list"))
    var alpn: String?

    @Option(name: .customLong("handshake-timeout"), help: ArgumentHelp("Seconds a handshake may take.", valueName: "seconds"))
    var handshakeTimeout: Int = 30

    /// The protocol names from `--alpn`; nil when not given.
    var alpnNames: [String]? {
        alpn.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: " \t") }.filter { !$0.isEmpty } }
    }

    /// The cipher suite names from `--ciphers`, trimmed; nil when not given.
    var cipherNames: [String]? {
        ciphers.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: " \t") }.filter { !$0.isEmpty } }
    }

    /// Whether our own certificate and key are given (`--cert`/`--key` or `--pkcs12`).
    var hasIdentity: Bool { certificateFile != nil || pkcs12File != nil }

    mutating func validate() throws {
        if certificateFiles.count != keyFiles.count {
            throw ValidationError("--cert and --key must be given together, one --key for each --cert")
        }
        if pkcs12File != nil && (certificateFile != nil || keyFile != nil) {
            throw ValidationError("--pkcs12 replaces --cert and --key: give one or the other")
        }
        if keyPasswordFile != nil && keyFile == nil && pkcs12File == nil {
            throw ValidationError("--key-password-file needs --key or --pkcs12")
        }
        if verifyDepth < 0 { throw ValidationError("--verify-depth must not be negative") }
        if let names = alpnNames, names.isEmpty || names.contains(where: { $0.utf8.count > 255 }) {
            throw ValidationError("--alpn needs protocol names of 1 to 255 bytes, separated by commas")
        }
        if handshakeTimeout <= 0 { throw ValidationError("--handshake-timeout must be positive") }
        if let names = cipherNames {
            if names.isEmpty { throw ValidationError("--ciphers names no suite") }
            for name in names where CipherSuite(name: name) == nil {
                let known = CipherSuite.all.map(\.name).joined(separator: ", ")
                throw ValidationError("unknown cipher suite '\(name)' in --ciphers; known: \(known)")
            }
        }
    }
}

extension StringProtocol {
    /// The string without leading and trailing characters from `set`.
    fileprivate func trimmingCharacters(in set: String) -> String {
        let drop = Set(set)
        return String(self.drop { drop.contains($0) }.reversed().drop { drop.contains($0) }.reversed())
    }
}
