import CryptoPrimitives
import Foundation
import TLSHandshake
import X509

/// A deterministic RSA-2048 key and self-signed "localhost" certificate for the load tests,
/// as configurations and as PEM files (for the `dicomtls tls-server` process).
struct LoadPKI: Sendable {
    static let shared = Result { () throws -> LoadPKI in try LoadPKI() }

    let key: RSAPrivateKey
    let certificate: Certificate
    let directory: String

    init() throws {
        key = try RSAPrivateKey.generate(bits: 2048, random: DeterministicRandom(seed: 88))
        let validity = Validity(
            notBefore: ASN1Time(year: 2020, month: 1, day: 1) ?? ASN1Time(year: 1970, month: 1, day: 1).unsafelyUnwrapped,
            notAfter: ASN1Time(year: 2045, month: 1, day: 1) ?? ASN1Time(year: 1970, month: 1, day: 1).unsafelyUnwrapped)
        certificate = try CertificateBuilder.tlsServer(
            subject: DistinguishedName([.commonName("localhost")]), publicKey: key.publicKey, serialNumber: [88],
            validity: validity, dnsNames: ["localhost"]
        ).selfSigned(with: key)
        directory = NSTemporaryDirectory() + "dicomtls-load-pki-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try key.pkcs8PEM.write(toFile: keyPath, atomically: true, encoding: .utf8)
        try PEMDocument(label: "CERTIFICATE", derBytes: certificate.derBytes).pemEncoded
            .write(toFile: certificatePath, atomically: true, encoding: .utf8)
    }

    var keyPath: String { directory + "/server.key" }
    var certificatePath: String { directory + "/server.pem" }

    func serverConfig() throws -> TLSConfiguration {
        try TLSConfiguration.server(certificateChain: [certificate], privateKey: key)
    }

    func clientConfig() throws -> TLSConfiguration {
        try TLSConfiguration.client(trustRoots: TrustStore([certificate]), verification: .peer)
    }
}
