/// The depth-first search for a certification path from the peer's certificate to a trust
/// anchor, linear in the number of presented certificates plus a fixed budget:
///
/// - the presented certificates are de-duplicated with a set of encodings and indexed once
///   by subject (and by subject and subjectKeyIdentifier), so the issuer candidates of any
///   certificate are a dictionary lookup, memoised for the whole search (review finding F1:
///   the candidate list used to be rebuilt, with a quadratic de-duplication, at every node);
/// - the depth limit is checked before a certificate's candidates are looked at;
/// - the budget counts candidate evaluations, not nodes, so a node with a thousand
///   look-alike issuers spends a thousand units;
/// - signature verifications made by the checks of complete paths have their own budget.
///
/// Candidates are tried trust anchors first, then presented certificates, each group with
/// those whose subjectKeyIdentifier matches the authorityKeyIdentifier first. When no path
/// passes, the failure reported is that of the first complete path, else a depth failure,
/// else the first dead end (no issuer).
struct PathSearch {
    private let validator: PathValidator
    private let leaf: Certificate
    /// The certificates as presented (the leaf first); the search uses those of ``bySubject``.
    private let presented: [Certificate]
    /// Indexes into ``presented`` by subject name (RFC 5280 §7.1 comparison form): every
    /// certificate after the leaf with a distinct encoding, none copied. A presented copy of
    /// a trust anchor is skipped when reached (it is tried as the anchor).
    private var bySubject: [DistinguishedName: [Int]] = [:]
    /// Indexes into ``presented`` by subject name and subjectKeyIdentifier.
    private var bySubjectAndKey: [SubjectKey: [Int]] = [:]
    /// Trust anchors by subject name, looked up once per name.
    private var anchorsBySubject: [DistinguishedName: [Certificate]] = [:]
    /// Whether ``presented``[i] is on the path being extended.
    private var onPath: [Bool] = []
    /// Paths have at most this many certificates (verify depth + leaf + anchor).
    private let lengthLimit: Int
    /// Set once a budget is spent: the search unwinds.
    private var exhausted = false

    private(set) var cost = PathSearchCost()
    private var complete: ([Certificate], CertificateValidationError)?
    private var tooLong: ([Certificate], CertificateValidationError)?
    private var deadEnd: ([Certificate], CertificateValidationError)?

    private struct SubjectKey: Hashable {
        var subject: DistinguishedName
        var keyIdentifier: [UInt8]
    }

    /// A certificate's encoding as a set element, hashed a word at a time.
    private struct Encoding: Hashable {
        var bytes: [UInt8]
        func hash(into hasher: inout Hasher) { hasher.combine(packed: bytes) }
    }

    /// A search for a path from `presented[0]` (the leaf), with the others as possible
    /// intermediates. `presented` must not be empty.
    init(validator: PathValidator, presented: [Certificate]) {
        self.validator = validator
        self.presented = presented
        leaf = presented[0]
        lengthLimit = min(max(validator.policy.maximumDepth, 0), PathValidator.hardMaximumPathLength - 2) + 2
        var seen = Set<Encoding>(minimumCapacity: presented.count)
        for (i, c) in presented.enumerated() where seen.insert(Encoding(bytes: c.derBytes)).inserted {
            cost.certificatesIndexed += 1
            guard i > 0 else { continue }
            bySubject[c.subject, default: []].append(i)
            if let key = c.extensions.subjectKeyIdentifier {
                bySubjectAndKey[SubjectKey(subject: c.subject, keyIdentifier: key), default: []].append(i)
            }
        }
        onPath = [Bool](repeating: false, count: presented.count)
    }

    /// Runs the search: the path found (or the one the failure is about) and the outcome.
    mutating func run() -> ([Certificate], Result<ValidatedChain, CertificateValidationError>) {
        var path = [leaf]
        let found = validator.trustStore.contains(leaf) ? checkComplete(path) : extend(&path)
        if let found { return (found.certificates, .success(found)) }
        let (failedPath, error) = complete ?? tooLong ?? deadEnd ?? ([leaf], CertificateValidationError(
            .unknownIssuer, depth: 0, certificate: leaf, "no path to a trust anchor was found within the search limit"))
        return (failedPath, .failure(error))
    }

    /// Extends `path` (whose last certificate is not trusted) by each issuer candidate in turn.
    private mutating func extend(_ path: inout [Certificate]) -> ValidatedChain? {
        guard path.count < lengthLimit else {
            if tooLong == nil {
                tooLong = (path, CertificateValidationError(
                    .depthExceeded, depth: path.count, certificate: nil,
                    "the chain needs more than \(validator.policy.maximumDepth) intermediate certificates (verify depth)"))
            }
            return nil
        }
        let current = path[path.count - 1]
        var extended = false
        for anchor in anchors(issuing: current) {
            guard spend() else { return nil }
            extended = true
            path.append(anchor)
            let found = checkComplete(path)
            path.removeLast()
            if found != nil || exhausted { return found }
        }
        let wanted = current.extensions.authorityKeyIdentifier?.keyIdentifier
        let keyed = wanted.map { bySubjectAndKey[SubjectKey(subject: current.issuer, keyIdentifier: $0)] ?? [] } ?? []
        for (pass, list) in [keyed, bySubject[current.issuer] ?? []].enumerated() {
            for i in list {
                guard spend() else { return nil }
                // The second pass skips what the first one tried; certificates on the path and
                // presented copies of trust anchors (tried as anchors) are skipped too.
                if onPath[i] || (pass == 1 && wanted != nil && presented[i].extensions.subjectKeyIdentifier == wanted)
                    || validator.trustStore.contains(presented[i]) { continue }
                extended = true
                onPath[i] = true
                path.append(presented[i])
                let found = extend(&path)
                path.removeLast()
                onPath[i] = false
                if found != nil || exhausted { return found }
            }
        }
        if !extended, deadEnd == nil { deadEnd = (path, noIssuerError(path)) }
        return nil
    }

    /// The trust anchors whose subject is `cert`'s issuer, those whose subjectKeyIdentifier
    /// matches its authorityKeyIdentifier first.
    private mutating func anchors(issuing cert: Certificate) -> [Certificate] {
        let all: [Certificate]
        if let known = anchorsBySubject[cert.issuer] {
            all = known
        } else {
            all = validator.trustStore.certificates(withSubject: cert.issuer)
            anchorsBySubject[cert.issuer] = all
        }
        guard let wanted = cert.extensions.authorityKeyIdentifier?.keyIdentifier, all.count > 1 else { return all }
        return all.filter { $0.extensions.subjectKeyIdentifier == wanted } + all.filter { $0.extensions.subjectKeyIdentifier != wanted }
    }

    /// Checks a path that ends in a trust anchor, within the signature budget.
    private mutating func checkComplete(_ path: [Certificate]) -> ValidatedChain? {
        cost.pathsChecked += 1
        switch validator.check(path, cost: &cost) {
        case .success(let chain):
            return chain
        case .failure(let error):
            if complete == nil { complete = (path, error) }
        }
        if cost.signatureVerifications >= PathValidator.maximumSignatureVerifications { exhausted = true }
        return nil
    }

    /// Spends one unit of the search budget; false (and the search unwinds) once it is gone.
    private mutating func spend() -> Bool {
        guard !exhausted, cost.candidateEvaluations < PathValidator.searchBudget else {
            exhausted = true
            return false
        }
        cost.candidateEvaluations += 1
        return true
    }

    private func noIssuerError(_ path: [Certificate]) -> CertificateValidationError {
        let depth = path.count - 1
        let cert = path[depth]
        if cert.isSelfIssued {
            return CertificateValidationError(.untrustedRoot, depth: depth, certificate: cert, "self-issued certificate is not in the trust store")
        }
        return CertificateValidationError(.unknownIssuer, depth: depth, certificate: cert, "no certificate named \(cert.issuer) was presented or trusted")
    }
}
