import CryptoPrimitives
import X509

/// Certificate parsing and path validation (issue 3): a root → intermediate → server
/// chain issued by ``CertificateBuilder`` with deterministic 2048-bit keys.
func x509Cases() -> [BenchmarkCase] {
    guard let pki = try? BenchmarkPKI() else {
        print("x509 benchmarks skipped: the test PKI could not be issued")
        return []
    }
    let leafDER = pki.server.derBytes
    let chainDER = [pki.server.derBytes, pki.intermediate.derBytes]
    let validator = PathValidator(trustStore: TrustStore([pki.root]), policy: VerificationPolicy(time: pki.now))
    return [
        BenchmarkCase(group: "x509", name: "X.509 parse (2048-bit server cert)", bytesPerOperation: 0) { n in
            for _ in 0..<n { blackHole(try? Certificate(derEncoded: leafDER)) }
        },
        BenchmarkCase(group: "x509", name: "X.509 parse + verify 3-cert chain", bytesPerOperation: 0) { n in
            for _ in 0..<n { blackHole(try? validator.validate(derEncoded: chainDER)) }
        },
    ]
}

/// The benchmark's chain; keys come from a fixed seed so every run measures the same work.
private struct BenchmarkPKI {
    let root, intermediate, server: Certificate
    let now: ASN1Time

    init() throws {
        guard let start = ASN1Time(year: 2020, month: 1, day: 1), let end = ASN1Time(year: 2040, month: 1, day: 1),
            let now = ASN1Time(year: 2026, month: 6, day: 1)
        else { throw X509Error(.invalidTime, "benchmark dates") }
        self.now = now
        let validity = Validity(notBefore: start, notAfter: end)
        func key(_ seed: UInt64) throws -> RSAPrivateKey {
            try RSAPrivateKey.generate(bits: 2048, random: DeterministicRandom(seed: seed))
        }
        let (rootKey, intermediateKey, serverKey) = (try key(11), try key(12), try key(13))
        root = try CertificateBuilder.certificateAuthority(
            subject: DistinguishedName([.country("US"), .commonName("Bench Root")]), publicKey: rootKey.publicKey,
            serialNumber: [1], validity: validity
        ).selfSigned(with: rootKey)
        intermediate = try CertificateBuilder.certificateAuthority(
            subject: DistinguishedName([.country("US"), .commonName("Bench Intermediate")]),
            publicKey: intermediateKey.publicKey, serialNumber: [2], validity: validity
        ).signed(by: root, key: rootKey)
        server = try CertificateBuilder.tlsServer(
            subject: DistinguishedName([.country("US"), .commonName("pacs.local")]), publicKey: serverKey.publicKey,
            serialNumber: [3], validity: validity, dnsNames: ["pacs.local"], ipAddresses: [[127, 0, 0, 1]]
        ).signed(by: intermediate, key: intermediateKey)
    }
}
