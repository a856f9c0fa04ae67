import CryptoPrimitives
import Foundation
import TLSHandshake
import X509

/// The demo's throwaway PKI, issued with our own X509 code: a CA, a server certificate for
/// 127.0.0.1 and a client certificate whose key exists only encrypted (PKCS#8 PBES2,
/// PBKDF2-HMAC-SHA256, AES-256-CBC, as OpenSSL 3 writes it) and is read back through a password callback, as the
/// customer's `SSLPrivateKeyPasswordEvent` would supply it.
struct DemoPKI {
    /// The self-signed CA that both sides trust.
    var ca: Certificate
    /// The SCP's certificate (subjectAltName IP:127.0.0.1) and key.
    var server: Certificate
    var serverKey: RSAPrivateKey
    /// The SCU's certificate and the PEM text of its encrypted key.
    var client: Certificate
    var encryptedClientKeyPEM: String
    /// The password that decrypts ``encryptedClientKeyPEM``.
    var clientKeyPassword: String
    /// The CA's key, kept only to write it out with `--keep`.
    var caKey: RSAPrivateKey

    /// Issues the three certificates (RSA-2048, sha256WithRSAEncryption, valid for a day).
    static func issue(random: some RandomSource) throws -> DemoPKI {
        let nowSeconds = Int64(Date().timeIntervalSince1970)
        let validity = Validity(
            notBefore: try VerificationPolicy(secondsSince1970: nowSeconds - 3600).time,
            notAfter: try VerificationPolicy(secondsSince1970: nowSeconds + 86_400).time)
        let organization = DistinguishedName.Attribute.organization("dicomtls demo")
        let caKey = try RSAPrivateKey.generate(bits: 2048, random: random)
        let ca = try CertificateBuilder.certificateAuthority(
            subject: DistinguishedName([organization, .commonName("dicomtls Demo CA")]), publicKey: caKey.publicKey,
            serialNumber: CertificateBuilder.randomSerialNumber(random: random), validity: validity
        ).selfSigned(with: caKey)
        let serverKey = try RSAPrivateKey.generate(bits: 2048, random: random)
        let server = try CertificateBuilder.tlsServer(
            subject: DistinguishedName([organization, .commonName("DEMOSCP storage SCP")]), publicKey: serverKey.publicKey,
            serialNumber: CertificateBuilder.randomSerialNumber(random: random), validity: validity,
            dnsNames: ["localhost"], ipAddresses: [[127, 0, 0, 1]]
        ).signed(by: ca, key: caKey)
        let clientKey = try RSAPrivateKey.generate(bits: 2048, random: random)
        let client = try CertificateBuilder.tlsClient(
            subject: DistinguishedName([organization, .commonName("DEMOSCU modality")]), publicKey: clientKey.publicKey,
            serialNumber: CertificateBuilder.randomSerialNumber(random: random), validity: validity
        ).signed(by: ca, key: caKey)
        let password = "demo-" + random.bytes(6).map { String($0, radix: 16) }.joined()
        return DemoPKI(
            ca: ca, server: server, serverKey: serverKey, client: client,
            encryptedClientKeyPEM: try clientKey.encryptedPKCS8PEM(password: password), clientKeyPassword: password,
            caKey: caKey)
    }

    /// Writes the PKI as PEM files into `folder` (for `--keep`); returns the paths written.
    func write(to folder: String) throws -> [String] {
        let files = [
            ("ca.pem", ca.pemEncoded), ("ca.key", caKey.pkcs8PEM),
            ("server.pem", server.pemEncoded), ("server.key", serverKey.pkcs8PEM),
            ("client.pem", client.pemEncoded), ("client.key", encryptedClientKeyPEM),
            ("client.key.password", clientKeyPassword + "\n"),
        ]
        var written: [String] = []
        for (name, text) in files {
            let path = folder + "/" + name
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            if name.contains(".key") { try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path) }
            written.append(path)
        }
        return written
    }
}
