import ArgumentParser
import CryptoPrimitives
import Foundation
import X509

/// `dicomtls cert`: print, verify and issue certificates without the openssl CLI.
struct CertificateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cert",
        abstract: "Print, verify and issue X.509 certificates.",
        subcommands: [Show.self, Verify.self, IssueDemo.self, CACommand.self, IssueCommand.self, SignCommand.self, RevokeCommand.self, CRLCommand.self])

    /// `dicomtls cert show FILE`: an `openssl x509 -text`-style summary of each certificate.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the certificates in a PEM or DER file.")

        @Argument(help: "A PEM file (one or more certificates) or a DER certificate.")
        var file: String

        func run() throws {
            for cert in try loadCertificates(file) { print(cert.textSummary) }
        }
    }

    /// `dicomtls cert verify`: path validation as `openssl verify -CAfile` does it.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate a certificate chain against trusted CAs.")

        @Option(name: .customLong("ca-file"), help: "PEM file of trusted CA certificates (SSLCAFile).")
        var caFile: String
        @Option(name: .customLong("untrusted"), help: "PEM file of intermediate certificates.")
        var untrusted: String?
        @Option(name: .customLong("verify-depth"), help: "Maximum number of intermediate CAs (SSLVerifyDepth).")
        var verifyDepth: Int = 100
        @Option(name: .customLong("attime"), help: "Validation time in seconds since 1970 (default: now).")
        var atTime: Int64?
        @Option(name: .customLong("purpose"), help: "Required purpose: server (serverAuth, keyEncipherment) or client (clientAuth, digitalSignature).")
        var purpose: String?
        @Option(name: .customLong("host"), help: "Host name or IP address the certificate must name.")
        var host: String?
        @Flag(name: .customLong("allow-md5"), help: "Accept md5WithRSAEncryption signatures (insecure).")
        var allowMD5 = false
        @Argument(help: "The certificate to check (PEM or DER); further PEM blocks count as intermediates.")
        var file: String

        func run() throws {
            let store = try TrustStore(contentsOfFile: caFile)
            let chain = try loadCertificates(file) + (try untrusted.map(loadCertificates) ?? [])
            var policy = try VerificationPolicy(secondsSince1970: atTime ?? Int64(Date().timeIntervalSince1970))
            policy.maximumDepth = verifyDepth
            policy.allowsMD5Signatures = allowMD5
            policy.expectedHost = host
            switch purpose {
            case nil: break
            case "server": policy.require(.rsaKeyExchangeServer)
            case "client": policy.require(.signingClient)
            case let other?: throw ValidationError("unknown purpose \(other): use server or client")
            }
            do {
                let result = try PathValidator(trustStore: store, policy: policy).validate(chain)
                print("\(file): OK")
                for (depth, cert) in result.certificates.enumerated() { print("  depth \(depth): \(cert.subject)") }
            } catch {
                print("\(file): FAILED: \(error)")
                throw ExitCode(2)
            }
        }
    }

    /// `dicomtls cert issue-demo`: a CA, a server and a client certificate with their keys.
    struct IssueDemo: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "issue-demo",
            abstract: "Issue a demo CA, server and client certificate (RSA-2048, sha256WithRSAEncryption).")

        @Option(name: .customLong("out"), help: "Folder to write ca.pem, server.pem/.key and client.pem/.key to.")
        var out: String
        @Option(name: .customLong("host"), help: "Server DNS names (repeatable).")
        var hosts: [String] = ["localhost"]
        @Option(name: .customLong("days"), help: "Validity in days from now.")
        var days: Int = 365

        func run() throws {
            let random = SystemRandom()
            let nowSeconds = Int64(Date().timeIntervalSince1970)
            let policyStart = try VerificationPolicy(secondsSince1970: nowSeconds - 3600).time
            let policyEnd = try VerificationPolicy(secondsSince1970: nowSeconds + Int64(days) * 86_400).time
            let validity = Validity(notBefore: policyStart, notAfter: policyEnd)
            let caKey = try RSAPrivateKey.generate(bits: 2048, random: random)
            let ca = try CertificateBuilder.certificateAuthority(
                subject: DistinguishedName([.organization("dicomtls demo"), .commonName("dicomtls Demo CA")]),
                publicKey: caKey.publicKey, serialNumber: CertificateBuilder.randomSerialNumber(random: random),
                validity: validity
            ).selfSigned(with: caKey)
            let serverKey = try RSAPrivateKey.generate(bits: 2048, random: random)
            let server = try CertificateBuilder.tlsServer(
                subject: DistinguishedName([.organization("dicomtls demo"), .commonName(hosts.first ?? "localhost")]),
                publicKey: serverKey.publicKey, serialNumber: CertificateBuilder.randomSerialNumber(random: random),
                validity: validity, dnsNames: hosts, ipAddresses: [[127, 0, 0, 1]]
            ).signed(by: ca, key: caKey)
            let clientKey = try RSAPrivateKey.generate(bits: 2048, random: random)
            let client = try CertificateBuilder.tlsClient(
                subject: DistinguishedName([.organization("dicomtls demo"), .commonName("dicomtls client")]),
                publicKey: clientKey.publicKey, serialNumber: CertificateBuilder.randomSerialNumber(random: random),
                validity: validity
            ).signed(by: ca, key: caKey)
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let files = [
                ("ca.pem", ca.pemEncoded), ("ca.key", caKey.pkcs8PEM),
                ("server.pem", server.pemEncoded), ("server.key", serverKey.pkcs8PEM),
                ("client.pem", client.pemEncoded), ("client.key", clientKey.pkcs8PEM),
            ]
            for (name, text) in files {
                let path = (out as NSString).appendingPathComponent(name)
                try text.write(toFile: path, atomically: true, encoding: .utf8)
                if name.hasSuffix(".key") { try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path) }
                print("wrote \(path)")
            }
        }
    }
}

/// The certificates of a PEM file, or the one certificate of a DER file.
private func loadCertificates(_ path: String) throws -> [Certificate] {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ValidationError("cannot read \(path)")
    }
    if data.first == 0x30 { return [try Certificate(derEncoded: Array(data))] }
    let certs = try Certificate.parseAll(pemEncoded: String(decoding: data, as: UTF8.self))
    guard !certs.isEmpty else { throw ValidationError("\(path) holds no certificate") }
    return certs
}
