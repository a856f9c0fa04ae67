/// The work one path validation did, counted in the units its hostile-input bounds are
/// stated in (see ``PathValidator/validate(_:hook:cost:)``). Counts, not times, so that a
/// test can assert a bound that no machine load can make flaky.
public struct PathSearchCost: Sendable, Hashable, CustomStringConvertible {
    /// Presented certificates indexed for the search, after de-duplication (the leaf
    /// included). Indexing is one hash per certificate.
    public internal(set) var certificatesIndexed = 0
    /// Issuer candidates the search evaluated: each an O(1) step (bounded by the search budget).
    public internal(set) var candidateEvaluations = 0
    /// Complete paths (ending in a trust anchor) that were checked.
    public internal(set) var pathsChecked = 0
    /// RSA signature verifications made while checking complete paths.
    public internal(set) var signatureVerifications = 0
    /// (name, subtree) comparisons made by name-constraint checking.
    public internal(set) var nameConstraintComparisons = 0

    /// No work yet.
    public init() {}

    public var description: String {
        "\(certificatesIndexed) certificates indexed, \(candidateEvaluations) candidate evaluations, "
            + "\(pathsChecked) paths checked, \(signatureVerifications) signature verifications, "
            + "\(nameConstraintComparisons) name-constraint comparisons"
    }
}
