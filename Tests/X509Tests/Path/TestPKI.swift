import CryptoPrimitives
@testable import X509

/// A small PKI issued by our own ``CertificateBuilder``: root → intermediate → server and
/// client certificates, with deterministic keys. Used to exercise policy switches that
/// PKITS does not cover; vector-based correctness comes from PKITS and the openssl tests.
struct TestPKI: Sendable {
    /// Built once per test process; tests call `try TestPKI.shared.get()`.
    static let shared = Result { () throws -> TestPKI in try TestPKI() }

    let rootKey, intermediateKey, serverKey, clientKey: RSAPrivateKey
    let root, intermediate, server, client: Certificate

    static func time(_ y: Int, _ m: Int = 1, _ d: Int = 1) -> ASN1Time {
        ASN1Time(year: y, month: m, day: d) ?? ASN1Time(year: 1970, month: 1, day: 1).unsafelyUnwrapped
    }
    static let validity = Validity(notBefore: time(2020), notAfter: time(2040))
    static let now = time(2026, 6, 1)

    static func name(_ cn: String) -> DistinguishedName {
        DistinguishedName([.country("US"), .organization("DicomTLS Test"), .commonName(cn)])
    }

    static func key(_ seed: UInt64) throws -> RSAPrivateKey {
        try RSAPrivateKey.generate(bits: 2048, random: DeterministicRandom(seed: seed))
    }

    init() throws {
        rootKey = try Self.key(1)
        intermediateKey = try Self.key(2)
        serverKey = try Self.key(3)
        clientKey = try Self.key(4)
        root = try CertificateBuilder.certificateAuthority(
            subject: Self.name("Test Root CA"), publicKey: rootKey.publicKey, serialNumber: [1], validity: Self.validity
        ).selfSigned(with: rootKey)
        intermediate = try CertificateBuilder.certificateAuthority(
            subject: Self.name("Test Intermediate CA"), publicKey: intermediateKey.publicKey, serialNumber: [2],
            validity: Self.validity, pathLengthConstraint: 0
        ).signed(by: root, key: rootKey)
        server = try CertificateBuilder.tlsServer(
            subject: Self.name("localhost"), publicKey: serverKey.publicKey, serialNumber: [0x03, 0xE8],
            validity: Self.validity, dnsNames: ["localhost", "pacs.local"], ipAddresses: [[127, 0, 0, 1]]
        ).signed(by: intermediate, key: intermediateKey)
        client = try CertificateBuilder.tlsClient(
            subject: Self.name("Modality 1"), publicKey: clientKey.publicKey, serialNumber: [4], validity: Self.validity
        ).signed(by: intermediate, key: intermediateKey)
    }

    func validator(_ policy: VerificationPolicy = VerificationPolicy(time: TestPKI.now), trust: [Certificate]? = nil) -> PathValidator {
        PathValidator(trustStore: TrustStore(trust ?? [root]), policy: policy)
    }

    static func reason(_ v: PathValidator, _ chain: [Certificate]) -> CertificateValidationError.Reason? {
        do {
            _ = try v.validate(chain)
            return nil
        } catch {
            return error.reason
        }
    }
}
