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
    let cases = libcryptoCases(pki, leafDER: leafDER, chainDER: chainDER)
    let baselines = cases.isEmpty ? ([], []) : (["raw libcrypto d2i_X509"], ["raw libcrypto X509 chain verify"])
    return cases + [
        BenchmarkCase(group: "x509", name: "X.509 parse (2048-bit server cert)", bytesPerOperation: 0, baselines: baselines.0) { n in
            for _ in 0..<n { blackHole(try? Certificate(derEncoded: leafDER)) }
        },
        BenchmarkCase(group: "x509", name: "X.509 parse+verify 3-cert chain", bytesPerOperation: 0, baselines: baselines.1) { n in
            for _ in 0..<n { blackHole(try? validator.validate(derEncoded: chainDER)) }
        },
    ] + chainBombCases(root: pki.root, now: pki.now)
}

/// The same work done by libcrypto, when its symbols can be found.
private func libcryptoCases(_ pki: BenchmarkPKI, leafDER: [UInt8], chainDER: [[UInt8]]) -> [BenchmarkCase] {
    guard let lib = LibcryptoX509(), let store = lib.storeNew(), let root = lib.parse(pki.root.derBytes),
        lib.storeAdd(store, root) == 1
    else { return [] }
    lib.free(root)  // the store holds its own reference
    let time = Int(pki.now.secondsSince1970)
    guard lib.parseAndVerify(chainDER, store: store, time: time) else {
        print("x509 baseline skipped: libcrypto does not verify the benchmark chain")
        return []
    }
    return [
        BenchmarkCase(group: "x509", name: "raw libcrypto d2i_X509", bytesPerOperation: 0) { n in
            for _ in 0..<n { lib.free(lib.parse(leafDER)) }
        },
        BenchmarkCase(group: "x509", name: "raw libcrypto X509 chain verify", bytesPerOperation: 0) { n in
            for _ in 0..<n { blackHole(lib.parseAndVerify(chainDER, store: store, time: time)) }
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
