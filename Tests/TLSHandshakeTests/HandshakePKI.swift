import CryptoPrimitives
import TLSRecord
import X509
@testable import TLSHandshake

/// A small PKI issued with X509's ``CertificateBuilder`` for the in-memory engine tests:
/// a root CA, a server and a client certificate, and certificates that must fail
/// (expired, issued by an untrusted root). Keys are deterministic RSA-2048 (X509's key
/// generator's minimum), built once per test process.
struct HandshakePKI: Sendable {
    static let shared = Result { () throws -> HandshakePKI in try HandshakePKI(bits: 2048) }

    let rootKey, serverKey, clientKey, otherRootKey: RSAPrivateKey
    let root, server, client, expiredServer, untrustedServer, otherRoot, untrustedClient: Certificate

    /// 2026-06-01, inside every validity period except the expired certificate's.
    static let now: Int64 = 1_780_272_000

    static func time(_ y: Int) -> ASN1Time {
        ASN1Time(year: y, month: 1, day: 1) ?? ASN1Time(year: 1970, month: 1, day: 1).unsafelyUnwrapped
    }

    static func name(_ cn: String) -> DistinguishedName {
        DistinguishedName([.organization("DicomTLS Handshake Test"), .commonName(cn)])
    }

    init(bits: Int) throws {
        func key(_ seed: UInt64) throws -> RSAPrivateKey {
            try RSAPrivateKey.generate(bits: bits, random: DeterministicRandom(seed: seed))
        }
        let valid = Validity(notBefore: Self.time(2020), notAfter: Self.time(2040))
        let expired = Validity(notBefore: Self.time(2020), notAfter: Self.time(2022))
        rootKey = try key(11)
        serverKey = try key(12)
        clientKey = try key(13)
        otherRootKey = try key(14)
        root = try CertificateBuilder.certificateAuthority(
            subject: Self.name("Handshake Root"), publicKey: rootKey.publicKey, serialNumber: [1], validity: valid
        ).selfSigned(with: rootKey)
        otherRoot = try CertificateBuilder.certificateAuthority(
            subject: Self.name("Other Root"), publicKey: otherRootKey.publicKey, serialNumber: [2], validity: valid
        ).selfSigned(with: otherRootKey)
        server = try CertificateBuilder.tlsServer(
            subject: Self.name("localhost"), publicKey: serverKey.publicKey, serialNumber: [3], validity: valid,
            dnsNames: ["localhost"]
        ).signed(by: root, key: rootKey)
        expiredServer = try CertificateBuilder.tlsServer(
            subject: Self.name("localhost"), publicKey: serverKey.publicKey, serialNumber: [4], validity: expired,
            dnsNames: ["localhost"]
        ).signed(by: root, key: rootKey)
        untrustedServer = try CertificateBuilder.tlsServer(
            subject: Self.name("localhost"), publicKey: serverKey.publicKey, serialNumber: [5], validity: valid,
            dnsNames: ["localhost"]
        ).signed(by: otherRoot, key: otherRootKey)
        client = try CertificateBuilder.tlsClient(
            subject: Self.name("Modality 1"), publicKey: clientKey.publicKey, serialNumber: [6], validity: valid
        ).signed(by: root, key: rootKey)
        untrustedClient = try CertificateBuilder.tlsClient(
            subject: Self.name("Modality 2"), publicKey: clientKey.publicKey, serialNumber: [7], validity: valid
        ).signed(by: otherRoot, key: otherRootKey)
    }

    /// A server configuration; `verification` other than none makes it request client certificates.
    func serverConfig(
        chain: [Certificate]? = nil, suites: [CipherSuite] = CipherSuite.defaults,
        verification: CertificateVerification = .noneInsecure, options: TLSOptions = [],
        store: any TLSSessionStore = LRUSessionStore(), seed: UInt64 = 100
    ) throws -> TLSConfiguration {
        var c = try TLSConfiguration.server(
            certificateChain: chain ?? [server], privateKey: serverKey, trustRoots: TrustStore([root]),
            verification: verification, cipherSuites: suites, options: options,
            random: DeterministicRandom(seed: seed))
        c.sessionStore = store
        c.currentTime = { HandshakePKI.now }
        return c
    }

    /// A client configuration verifying the server against our root; `withCertificate`
    /// gives it the client chain.
    func clientConfig(
        withCertificate: Bool = false, chain: [Certificate]? = nil, suites: [CipherSuite] = CipherSuite.defaults,
        verification: CertificateVerification = .peer, options: TLSOptions = [.recordSplitting], seed: UInt64 = 200
    ) throws -> TLSConfiguration {
        var c = try TLSConfiguration.client(
            certificateChain: withCertificate ? (chain ?? [client]) : [],
            privateKey: withCertificate ? clientKey : nil, trustRoots: TrustStore([root]),
            verification: verification, cipherSuites: suites, options: options, random: DeterministicRandom(seed: seed))
        c.currentTime = { HandshakePKI.now }
        return c
    }
}
