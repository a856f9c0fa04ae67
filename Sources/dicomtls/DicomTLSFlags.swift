import ArgumentParser
import DicomUL
import TLSHandshake
import TLSRecord

/// `--tls` and the TLS flags of `tls-server`/`tls-client` (``TLSCommandOptions``) for the DICOM
/// commands: the customer's `UseSSLOptions` + `NetworkSecurityMode` and `SSL*` settings.
struct DicomTLSFlags: ParsableArguments {
    @Flag(name: .customLong("tls"), help: "Run the association over TLS (PS3.15 Annex B; default port 2762).")
    var enabled = false

    @OptionGroup(title: "TLS options (with --tls)") var tls: TLSCommandOptions

    @Option(name: .customLong("server-name"),
            help: ArgumentHelp("SCUs: the name the server's certificate must carry (default: HOST).", valueName: "name"))
    var serverName: String?

    @Flag(name: .customLong("no-hostname-check"),
          help: "SCUs: do not check that the server's certificate names the host (DCMTK does not check); the chain is still verified.")
    var noHostnameCheck = false

    @Flag(name: .customLong("resume"), help: "SCUs: resume the TLS session across associations of this run.")
    var resume = false

    /// The security mode for `role`; `onLink` receives the secure-link-ready event.
    func security(role: ConnectionEnd, onLink: (@Sendable (SecureLink) -> Void)?) throws -> DicomSecurity {
        guard enabled else { return .none }
        let configuration = try tls.makeConfiguration(role: role)
        let options = SecureTransportOptions(
            onSecureLinkReady: onLink, sessionCache: resume ? TLSSessionCache() : nil,
            serverName: serverName, checksServerName: !noHostnameCheck)
        return .tls(configuration, options)
    }

    /// The security mode of an SCU.
    func clientSecurity(onLink: (@Sendable (SecureLink) -> Void)?) throws -> DicomSecurity {
        try security(role: .client, onLink: onLink)
    }

    /// The security mode of an SCP.
    func serverSecurity(onLink: (@Sendable (SecureLink) -> Void)?) throws -> DicomSecurity {
        if enabled, !tls.hasIdentity { throw ValidationError("storescp --tls needs --cert and --key, or --pkcs12") }
        return try security(role: .server, onLink: onLink)
    }

    /// The port: the one given, else 2762 with `--tls`.
    func port(_ given: UInt16?, command: String) throws -> UInt16 {
        if let given { return given }
        guard enabled else { throw ValidationError("\(command): give a port (it defaults to \(DicomSecurity.defaultTLSPort) only with --tls)") }
        return DicomSecurity.defaultTLSPort
    }

    mutating func validate() throws {
        if !enabled, tls.hasIdentity || tls.caFile != nil || tls.ciphers != nil {
            throw ValidationError("TLS options (--cert, --pkcs12, --ca-file, --ciphers, ...) need --tls")
        }
    }
}
