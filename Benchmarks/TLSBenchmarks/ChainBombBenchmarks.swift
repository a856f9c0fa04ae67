import TestSupport
import X509

/// The cost of review finding F1's chain bomb (`make_chain_bomb.py 1000`: a leaf and 1 000
/// near-identical self-issued certificates, one 130 KB Certificate message) next to one
/// RSA-2048 private operation, the work a server does per full handshake anyway. The
/// ratio is how many bomb validations fit in the time of one private operation: above 1
/// the bomb costs less than the handshake it rides on (floor 1 in `--quick` mode).
func chainBombCases(root: Certificate, now: ASN1Time) -> [BenchmarkCase] {
    let bomb = ReviewCertificates.chainBomb(1_000)
    let der = [bomb.leaf] + bomb.pool
    guard let parsed = try? der.map({ try Certificate(derEncoded: $0) }) else {
        print("chain bomb benchmarks skipped: the bomb does not parse")
        return []
    }
    var policy = VerificationPolicy(time: now)
    policy.require(.rsaKeyExchangeServer)
    let validator = PathValidator(trustStore: TrustStore([root]), policy: policy)
    let rsa = [rsaCaseName(2048, "sign (private)")]
    return [
        BenchmarkCase(group: "x509", name: "chain bomb path validation (1,000)", bytesPerOperation: 0, baselines: rsa, ratioFloor: 1) { n in
            for _ in 0..<n { blackHole(try? validator.validate(parsed)) }
        },
        BenchmarkCase(group: "x509", name: "chain bomb parse+validate (130 KB)", bytesPerOperation: 0, baselines: rsa) { n in
            for _ in 0..<n { blackHole(try? validator.validate(derEncoded: der)) }
        },
    ]
}
