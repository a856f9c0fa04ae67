/// The hostile-input bounds of path validation, in one place (DESIGN.md: peer-controlled
/// counts have limits kept in one place per module). A peer chooses the certificates a
/// validator sees, before any authentication, so every loop over them is bounded here.
extension PathValidator {
    /// Paths are never longer than this many certificates, whatever the policy says.
    public static let hardMaximumPathLength = 34
    /// How many issuer candidates the search may evaluate in all before giving up (each
    /// evaluation is O(1): an index lookup, a skip or a step deeper). A legitimate chain
    /// needs about one per certificate; cross-certified PKIs a few dozen.
    public static let searchBudget = 1_024
    /// How many RSA signature verifications the checks of complete paths may spend in all
    /// (Go's `maxChainSignatureChecks` is 100). Each complete path stops at its first bad
    /// signature, so a path made of forged certificates costs one.
    public static let maximumSignatureVerifications = 32
    /// How many (name, subtree) comparisons name-constraint checking may make in all
    /// (Go's `maxConstraintComparisons` default is 250 000).
    public static let maximumNameConstraintComparisons = 250_000
}
