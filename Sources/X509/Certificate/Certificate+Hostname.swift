extension Certificate {
    /// Whether the certificate names `host`, a DNS name or an IPv4/IPv6 literal (RFC 6125 §6).
    ///
    /// - IP literals match only iPAddress subjectAltNames, byte for byte.
    /// - DNS names match dNSName subjectAltNames case-insensitively, ignoring one trailing
    ///   dot; a wildcard is allowed only as the whole left-most label (`*.example.com`
    ///   matches `a.example.com`, not `example.com` or `a.b.example.com`), and never
    ///   directly on a public suffix of one label (`*.com`).
    /// - The subject's commonName is consulted only when there is no dNSName at all, as
    ///   OpenSSL's `X509_check_host` does for legacy certificates.
    public func matches(host: String) -> Bool {
        let sans = extensions.subjectAlternativeNames ?? []
        if let ip = Self.ipAddressBytes(host) {
            return sans.contains { if case .ipAddress(let b) = $0 { return b == ip } else { return false } }
        }
        let dnsNames = sans.compactMap { if case .dnsName(let n) = $0 { return n } else { return nil } }
        let candidates = dnsNames.isEmpty ? subject.values(of: .commonName) : dnsNames
        return candidates.contains { Self.dnsName($0, matches: host) }
    }

    static func dnsName(_ pattern: String, matches host: String) -> Bool {
        func labels(_ s: String) -> [Substring] {
            let lower = s.lowercased()
            let trimmed = lower.hasSuffix(".") ? String(lower.dropLast()) : lower
            return trimmed.split(separator: ".", omittingEmptySubsequences: false)
        }
        let p = labels(pattern), h = labels(host)
        guard p.count == h.count, !h.contains(where: \.isEmpty), h.allSatisfy({ $0.allSatisfy(\.isASCII) }) else { return false }
        if p[0] == "*" {
            return p.count >= 3 && p.dropFirst() == h.dropFirst()
        }
        return p == h
    }

    /// The bytes of an IPv4 dotted-quad or an IPv6 literal (with `::`), or nil for a host
    /// name (the TLS client uses it to send server_name only for names, RFC 6066 §3).
    package static func ipAddressBytes(_ s: String) -> [UInt8]? {
        let v4 = s.split(separator: ".", omittingEmptySubsequences: false)
        if v4.count == 4, v4.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) }) {
            let parts = v4.compactMap { UInt8($0) }
            return parts.count == 4 ? parts : nil
        }
        guard s.contains(":") else { return nil }
        let halves = s.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            let g = part.split(separator: ":", omittingEmptySubsequences: false)
            let values = g.compactMap { $0.count <= 4 && !$0.isEmpty ? UInt16($0, radix: 16) : nil }
            return values.count == g.count ? values : nil
        }
        guard let head = groups(halves[0]) else { return nil }
        let tail = halves.count == 2 ? groups(halves[1]) : []
        guard let tail else { return nil }
        let missing = 8 - head.count - tail.count
        guard halves.count == 2 ? missing >= 1 : missing == 0 else { return nil }
        let all = head + [UInt16](repeating: 0, count: missing) + tail
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }
}
