import TLSRecord
import X509

/// The sentences that explain a failed handshake: what the peer offered and which rule
/// refused it (the README's "Handshake failure messages" table lists each one). Local
/// refusals use them as their message; fatal alerts from the peer get one from the
/// ``HandshakeContext`` of what was seen before.
enum HandshakeExplanation {
    // MARK: Refusals of ours

    /// Server: client_version below TLS 1.0.
    static func versionTooLow(clientVersion: UInt16) -> String {
        "the client offers at most \(ProtocolVersion(wireValue: clientVersion)) (client_version \(CipherSuiteNames.hex16(clientVersion))); we speak TLS 1.0 (PS3.15 B.1/B.3) and never SSL 3.0"
    }

    /// Server: none of the client's suites is enabled here.
    static func noCommonSuite(offered: [UInt16], ours: [CipherSuite]) -> String {
        "no common cipher suite: the client offers \(suiteList(offered)); we enable \(ours.map(\.name).joined(separator: ", "))"
    }

    /// Client: the server answered with another version than TLS 1.0.
    static func serverVersion(_ version: UInt16) -> String {
        "the server answered our TLS 1.0 ClientHello with \(ProtocolVersion(wireValue: version)) (server_version \(CipherSuiteNames.hex16(version))) instead of falling back to TLS 1.0; we speak TLS 1.0 only"
    }

    /// Server: a certificate is required and the client sent an empty Certificate.
    static let missingClientCertificate =
        "the client presented no certificate (its Certificate message is empty); our verification mode requirePeerCertificate (--verify require) needs one"

    /// Client: the server's certificate does not name the host we connected to.
    static func hostnameMismatch(_ certificate: Certificate, host: String) -> String {
        var names = (certificate.extensions.subjectAlternativeNames ?? []).compactMap { name -> String? in
            switch name {
            case .dnsName(let s): s
            case .ipAddress: name.description.replacingPrefix("IP Address:")
            default: nil
            }
        }
        if names.isEmpty { names = certificate.subject.values(of: .commonName) }
        let holder = names.isEmpty ? "no host name (no subjectAltName, no CN)" : names.joined(separator: ", ")
        return "the server's certificate is for \(holder); we connected to \(host) (use --server-name with a name it holds, or --no-hostname-check)"
    }

    // MARK: Helpers

    /// Suite names, SCSVs left out, at most 12 then a count.
    static func suiteList(_ ids: [UInt16]) -> String {
        let real = ids.filter { $0 != CipherSuite.emptyRenegotiationInfoSCSV && $0 != CipherSuite.fallbackSCSV }
        guard !real.isEmpty else { return "no cipher suite at all" }
        let shown = real.prefix(12).map(CipherSuiteNames.name).joined(separator: ", ")
        return real.count > 12 ? "\(shown), … (\(real.count) suites)" : shown
    }
}

extension String {
    fileprivate func replacingPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
