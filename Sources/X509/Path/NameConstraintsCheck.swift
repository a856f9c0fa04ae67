/// Name-constraint processing during path validation (RFC 5280 §6.1.3 (b), (c) and
/// §6.1.4 (g)). Instead of intersecting permitted subtrees into one state, the constraints
/// of every CA above a certificate are kept and the certificate's names must satisfy each
/// of them, which is the same condition (as Go and BoringSSL do it).
///
/// The names of a certificate are its subject (a directoryName, when not empty), every
/// subjectAltName, and, when it has no subjectAltName, the emailAddress attributes of its
/// subject as rfc822Names (RFC 5280 §4.2.1.10). For each name form that a CA's permitted
/// subtrees mention, names of that form must lie in one of them; no name may lie in an
/// excluded subtree. A constraint on a form this module does not process (otherName,
/// x400Address, ediPartyName, registeredID) rejects any certificate with a name of that form.
struct NameConstraintsCheck {
    /// The constraints of the CAs processed so far, trust anchor first.
    private var constraints: [NameConstraints] = []

    /// Adds the constraints of a CA certificate, which apply to every certificate below it.
    mutating func add(_ nc: NameConstraints) { constraints.append(nc) }

    /// The first violation among `cert`'s names, as a sentence, or nil when every name is
    /// allowed. Counts each (name, subtree) comparison in `cost`; past
    /// ``PathValidator/maximumNameConstraintComparisons`` the certificate is refused.
    func violation(_ cert: Certificate, isEndEntity: Bool, cost: inout PathSearchCost) -> String? {
        guard !constraints.isEmpty else { return nil }
        let names = Self.names(of: cert, isEndEntity: isEndEntity)
        for nc in constraints {
            for name in names {
                let comparisons = nc.permitted.count + nc.excluded.count
                guard cost.nameConstraintComparisons + comparisons <= PathValidator.maximumNameConstraintComparisons else {
                    return "checking its names against the name constraints needs more than \(PathValidator.maximumNameConstraintComparisons) comparisons"
                }
                cost.nameConstraintComparisons += comparisons
                let form = name.form
                if let tagged = name.asOtherSubtree {
                    if nc.permitted.contains(tagged) || nc.excluded.contains(tagged) {
                        return "\(name) is of a name form whose constraints are not processed"
                    }
                    continue
                }
                let permitted = nc.permitted.filter { $0.form == form }
                if !permitted.isEmpty, !permitted.contains(where: { name.lies(in: $0) == true }) {
                    return "\(name) is not within the permitted subtrees (\(permitted.map(\.description).joined(separator: ", ")))"
                }
                // A name that cannot be parsed for its form (nil) counts as excluded: fail closed.
                if let subtree = nc.excluded.first(where: { $0.form == form && name.lies(in: $0) != false }) {
                    return "\(name) is within the excluded subtree \(subtree)"
                }
            }
        }
        return nil
    }

    /// Every name of `cert` that name constraints apply to. For the end entity without a
    /// dNSName, host-name-like commonNames count as dNSNames too, because host-name matching
    /// falls back to them (``Certificate/matches(host:)``; OpenSSL does the same).
    static func names(of cert: Certificate, isEndEntity: Bool) -> [GeneralName] {
        var names: [GeneralName] = cert.subject.isEmpty ? [] : [.directoryName(cert.subject)]
        if let sans = cert.extensions.subjectAlternativeNames {
            names += sans
        } else {
            names += cert.subject.values(of: .emailAddress).map(GeneralName.email)
        }
        if isEndEntity, !names.contains(where: { if case .dnsName = $0 { true } else { false } }) {
            names += cert.subject.values(of: .commonName).filter(Self.looksLikeHostName).map(GeneralName.dnsName)
        }
        return names
    }

    /// Letters, digits, `-`, `*` and at least one inner `.`: a commonName used as a host name.
    private static func looksLikeHostName(_ s: String) -> Bool {
        let allowed = s.utf8.allSatisfy { b in
            (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b == 0x2D || b == 0x2E || b == 0x2A
        }
        return allowed && s.contains(".") && !s.hasPrefix(".") && !s.hasSuffix(".")
    }
}

/// The name forms constraints distinguish.
private enum NameForm: Equatable {
    case dns, email, uri, ip, directory, other
}

extension NameConstraints.Subtree {
    fileprivate var form: NameForm { generalName.form }
}

extension GeneralName {
    fileprivate var form: NameForm {
        switch self {
        case .dnsName: .dns
        case .email: .email
        case .uri: .uri
        case .ipAddress: .ip
        case .directoryName: .directory
        case .other: .other
        }
    }

    /// The subtree that names an unprocessed form with this name's tag.
    fileprivate var asOtherSubtree: NameConstraints.Subtree? {
        if case .other(let tag, _) = self { return .other(tag: tag) }
        return nil
    }

    /// Whether this name lies in `subtree` (of the same form); nil when the name is
    /// malformed for its form (a mailbox without `@`, a URI without a host).
    fileprivate func lies(in subtree: NameConstraints.Subtree) -> Bool? {
        switch (self, subtree) {
        case (.dnsName(let name), .dnsName(let base)):
            return Self.domain(name, isWithin: base)
        case (.email(let mailbox), .email(let base)):
            guard let at = mailbox.lastIndex(of: "@") else { return nil }
            let local = mailbox[..<at], host = mailbox[mailbox.index(after: at)...]
            if let baseAt = base.lastIndex(of: "@") {
                return local == base[..<baseAt] && host.lowercased() == base[base.index(after: baseAt)...].lowercased()
            }
            return Self.host(String(host), isWithin: base)
        case (.uri(let uri), .uri(let base)):
            guard let host = Self.host(ofURI: uri) else { return nil }
            return Self.host(host, isWithin: base)
        case (.ipAddress(let address), .ipAddress(let network, let mask)):
            guard address.count == network.count else { return false }
            return zip(zip(address, network), mask).allSatisfy { pair, m in pair.0 & m == pair.1 & m }
        case (.directoryName(let name), .directoryName(let base)):
            guard base.rdns.count <= name.rdns.count else { return false }
            return DistinguishedName.comparisonKey(Array(name.rdns.prefix(base.rdns.count))) == base.comparisonKey
        default:
            return false
        }
    }

    /// RFC 5280 §4.2.1.10 dNSName: the name, or the name with labels added on the left;
    /// a base starting with a period admits only the latter (a common extension, as in
    /// OpenSSL and Go). Case-insensitive; one trailing dot ignored on both sides.
    private static func domain(_ name: String, isWithin base: String) -> Bool {
        let n = normalised(name), b = normalised(base)
        if b.isEmpty { return true }
        if b.hasPrefix(".") { return n.hasSuffix(b) }
        return n == b || n.hasSuffix("." + b)
    }

    /// The host rule of rfc822Name and URI constraints: `host` is exactly the base, or,
    /// when the base starts with a period, in the domain it names (any number of labels).
    private static func host(_ host: String, isWithin base: String) -> Bool {
        let h = normalised(host), b = normalised(base)
        return b.hasPrefix(".") ? h.hasSuffix(b) : h == b
    }

    private static func normalised(_ s: String) -> String {
        let lower = s.lowercased()
        return lower.hasSuffix(".") ? String(lower.dropLast()) : lower
    }

    /// The host of `scheme://[userinfo@]host[:port][/path...]` (RFC 3986 §3.2.2); nil when
    /// there is no authority or the host is an IP literal (constraints on those are not
    /// defined for URIs, RFC 5280 §4.2.1.10).
    private static func host(ofURI uri: String) -> String? {
        guard let colon = uri.firstIndex(of: ":") else { return nil }
        let rest = uri[uri.index(after: colon)...]
        guard rest.hasPrefix("//") else { return nil }
        let authority = rest.dropFirst(2).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        guard !hostPort.hasPrefix("[") else { return nil }
        let host = hostPort.prefix { $0 != ":" }
        return host.isEmpty ? nil : String(host)
    }
}
