#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import X509

/// Whether a server certificate names the host the client asked for (RFC 6125 §6, as
/// OpenSSL's `X509_check_host` / `X509_check_ip` do it).
///
/// - DNS names match subjectAltName dNSName entries case-insensitively; a wildcard is only
///   accepted as the whole left-most label (`*.example.org`) and matches exactly one label.
/// - IP literals match iPAddress entries byte for byte.
/// - Only when the certificate has no dNSName entries does a DNS name fall back to the
///   subject's commonName (RFC 6125 §6.4.4), for older DICOM certificates.
enum ServerNameCheck {
    static func matches(_ certificate: Certificate, serverName: String) -> Bool {
        let sans = certificate.extensions.subjectAlternativeNames ?? []
        if let ip = ipAddressBytes(serverName) {
            return sans.contains { if case .ipAddress(let b) = $0 { b == ip } else { false } }
        }
        let host = normalised(serverName)
        let dnsNames = sans.compactMap { if case .dnsName(let n) = $0 { n } else { nil } }
        if !dnsNames.isEmpty {
            return dnsNames.contains { pattern($0, matches: host) }
        }
        return certificate.subject.values(of: .commonName).contains { pattern($0, matches: host) }
    }

    private static func normalised(_ name: String) -> String {
        var n = name.lowercased()
        if n.hasSuffix(".") { n.removeLast() }
        return n
    }

    private static func pattern(_ raw: String, matches host: String) -> Bool {
        let p = normalised(raw)
        guard p.hasPrefix("*.") else { return p == host }
        let suffix = p.dropFirst(1)  // ".example.org"
        guard suffix.split(separator: ".").count >= 2, host.hasSuffix(suffix) else { return false }
        let label = host.dropLast(suffix.count)
        return !label.isEmpty && !label.contains(".")
    }

    /// The 4 or 16 bytes of an IPv4 / IPv6 literal, or nil for a host name.
    static func ipAddressBytes(_ s: String) -> [UInt8]? {
        var v4 = in_addr()
        if unsafe inet_pton(AF_INET, s, &v4) == 1 {
            return unsafe withUnsafeBytes(of: &v4) { unsafe Array($0) }
        }
        var v6 = in6_addr()
        if unsafe inet_pton(AF_INET6, s, &v6) == 1 {
            return unsafe withUnsafeBytes(of: &v6) { unsafe Array($0) }
        }
        return nil
    }
}
