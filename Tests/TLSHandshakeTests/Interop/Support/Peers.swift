import Foundation
import TLSHandshake
import TestSupport

/// Command lines for the real peers, with the flags and traps of ../shared/PEERS.md.
enum Peers {
    /// GnuTLS priority for exactly TLS 1.0 + RSA + one cipher (3DES-CBC by default;
    /// `AES-128-CBC`, `AES-256-CBC`, `NULL`) + SHA-1.
    static func gnutlsPriority(cipher: String = "3DES-CBC", noETM: Bool = false) -> String {
        "NONE:+VERS-TLS1.0:+RSA:+\(cipher):+SHA1:+COMP-NULL:+SIGN-ALL" + (noETM ? ":%NO_ETM" : "")
    }

    /// OpenSSL 3 needs security level 0 for TLS 1.0 and NULL-SHA.
    static let opensslNullCipher = "NULL-SHA:@SECLEVEL=0"

    /// The OpenSSL cipher string for one of our suites at security level 0 (TLS 1.0).
    static func opensslCipher(_ suite: CipherSuite) -> String {
        switch suite {
        case .rsaWithAES128CBCSHA: "AES128-SHA:@SECLEVEL=0"
        case .rsaWithAES256CBCSHA: "AES256-SHA:@SECLEVEL=0"
        default: opensslNullCipher
        }
    }

    /// Starts `gnutls-serv` on `port` and waits until it listens.
    ///
    /// - Parameters:
    ///   - clientCA: require and verify a client certificate against this CA file; nil disables
    ///     client certificates (gnutls-serv asks for one by default).
    static func gnutlsServer(
        port: UInt16, cert: String, key: String, priority: String, clientCA: String? = nil, echo: Bool = true,
        logAlerts: Bool = false
    ) throws -> PeerProcess {
        // `-d 5` logs record-layer alerts by name ("Alert[2|48] - CA is unknown - was received").
        var args = (logAlerts ? ["-d", "5"] : []) + [echo ? "--echo" : "--http", "-p", String(port), "--x509certfile", cert, "--x509keyfile", key,
                    "--priority", priority]
        if let clientCA {
            args += ["--require-client-cert", "--verify-client-cert", "--x509cafile", clientCA]
        } else {
            args += ["--disable-client-cert"]
        }
        let peer = try PeerProcess("/usr/bin/gnutls-serv", args)
        try peer.waitForOutput("listening on IPv4", timeout: .seconds(10))
        return peer
    }

    /// Starts `gnutls-cli` against 127.0.0.1:`port`; the test feeds stdin and reads stdout.
    static func gnutlsClient(
        port: UInt16, caFile: String, priority: String, cert: String? = nil, key: String? = nil, resume: Bool = false,
        environment: [String: String]? = nil, extraArguments: [String] = []
    ) throws -> PeerProcess {
        var args = ["-p", String(port), "--x509cafile", caFile, "--priority", priority, "--verify-hostname", "localhost"]
        if let cert, let key { args += ["--x509certfile", cert, "--x509keyfile", key] }
        if resume { args += ["--resume"] }
        args += extraArguments
        args.append("127.0.0.1")
        return try PeerProcess("/usr/bin/gnutls-cli", args, environment: environment)
    }

    /// Starts `openssl s_server` (TLS 1.0, NULL-SHA unless `cipher` says otherwise) on `port`
    /// and waits for `ACCEPT`.
    /// With `clientCA`, a client certificate is required (`-Verify 1`) and a failed check is
    /// fatal (`-verify_return_error`; without it s_server only logs the failure).
    static func opensslServer(
        port: UInt16, cert: String, key: String, clientCA: String? = nil, connections: Int = 1,
        cipher: String = opensslNullCipher
    ) throws -> PeerProcess {
        var args = ["s_server", "-accept", "127.0.0.1:\(port)", "-tls1", "-cipher", cipher,
                    "-cert", cert, "-key", key, "-naccept", String(connections)]
        if let clientCA { args += ["-Verify", "1", "-verify_return_error", "-CAfile", clientCA] }
        let peer = try PeerProcess("/usr/bin/openssl", args, name: "openssl s_server")
        try peer.waitForOutput("ACCEPT", timeout: .seconds(10))
        return peer
    }

    /// Starts `openssl s_client` (TLS 1.0, NULL-SHA unless `cipher` says otherwise) against
    /// 127.0.0.1:`port`.
    /// With `reconnect`, s_client connects six times, the last five resuming (`-reconnect`),
    /// and relays stdin only on the last connection.
    static func opensslClient(
        port: UInt16, caFile: String, cert: String? = nil, key: String? = nil, reconnect: Bool = false,
        cipher: String = opensslNullCipher
    ) throws -> PeerProcess {
        var args = ["s_client", "-connect", "127.0.0.1:\(port)", "-tls1", "-cipher", cipher,
                    "-CAfile", caFile, "-verify_return_error", "-nocommands"]
        if reconnect { args.append("-reconnect") }
        if let cert, let key { args += ["-cert", cert, "-key", key] }
        return try PeerProcess("/usr/bin/openssl", args, name: "openssl s_client")
    }
}
