import ArgumentParser
import CryptoPrimitives
import Foundation
import X509

/// Where the site CA is and how to unlock its key (shared by the `cert` CA commands).
struct SiteCAOptions: ParsableArguments {
    @Option(name: .customLong("ca-dir"), help: "The site CA's folder (ca.pem, ca.key, index.txt, crlnumber, issued/).")
    var directory = "site-ca"
    @Option(name: .customLong("ca-password-file"), help: "File whose first line is the CA key's password.")
    var passwordFile: String

    func password() throws -> String {
        let text = try SiteCA.read(passwordFile)
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        guard !line.isEmpty else { throw CLIFailure("--ca-password-file \(passwordFile): the first line is empty") }
        return line.hasSuffix("\r") ? String(line.dropLast()) : line
    }

    func open() throws -> SiteCA { try SiteCA.open(directory: directory, password: password()) }
}

/// `dicomtls cert ca init|list`.
struct CACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ca", abstract: "Create a site CA, or list what it issued.", subcommands: [Init.self, List.self])

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a site CA (RSA key encrypted with PBES2).")
        @OptionGroup var ca: SiteCAOptions
        @Option(help: "The CA's common name.") var name = "DICOM Site CA"
        @Option(help: "The CA's organization.") var organization: String?
        @Option(help: "Validity in days.") var days = 3650
        @Option(help: "RSA key size: 2048, 3072 or 4096.") var bits = 3072

        func run() throws {
            let subject = DistinguishedName((organization.map { [.organization($0)] } ?? []) + [.commonName(name)])
            let site = try SiteCA.create(directory: ca.directory, name: subject, days: days, bits: bits, password: ca.password())
            print("created the site CA \(site.certificate.subject) in \(ca.directory) (serial \(site.certificate.serialNumberHex))")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the certificates the CA issued (index.txt).")
        @Option(name: .customLong("ca-dir"), help: "The site CA's folder.") var directory = "site-ca"

        func run() throws {
            let text = try SiteCA.read(SiteCA.path(directory, "index.txt"))
            for entry in text.split(separator: "\n").compactMap(SiteCA.IndexEntry.init) {
                let state = entry.revoked ? "revoked \(entry.revocation)" : "valid"
                print("\(entry.serialHex)  \(state)  expires \(entry.expiry)  \(entry.subject)")
            }
        }
    }
}

/// `dicomtls cert issue server|client`: a new key and certificate from the site CA.
struct IssueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue", abstract: "Issue a server or client certificate with a new key.", subcommands: [Server.self, Client.self])

    /// Output and validity shared by both.
    struct Output: ParsableArguments {
        @Option(help: "Write OUT.pem (certificate), OUT.key (key) and OUT-chain.pem (certificate + CA).") var out: String
        @Option(help: "Validity in days.") var days = 825
        @Option(name: .customLong("key-password-file"), help: "Encrypt OUT.key with the first line of this file (PKCS #8, PBES2).")
        var keyPasswordFile: String?
        @OptionGroup var pkcs12: PKCS12Options

        func write(_ certificate: Certificate, key: RSAPrivateKey, ca: SiteCA) throws {
            try ca.record(certificate)
            try SiteCA.write(certificate.pemEncoded, to: out + ".pem")
            try SiteCA.write(certificate.pemEncoded + ca.certificate.pemEncoded, to: out + "-chain.pem")
            let keyText = try keyPasswordFile.map { try key.encryptedPKCS8PEM(password: SiteCAOptions.firstLine($0)) } ?? key.pkcs8PEM
            try SiteCA.write(keyText, to: out + ".key", secret: true)
            print("issued serial \(certificate.serialNumberHex) to \(certificate.subject): \(out).pem, \(out).key, \(out)-chain.pem")
            try pkcs12.write(chain: [certificate, ca.certificate], key: key)
        }
    }

    struct Server: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A TLS server certificate (serverAuth) for DNS names and IP addresses.")
        @OptionGroup var ca: SiteCAOptions
        @OptionGroup var output: Output
        @Option(name: .customLong("host"), help: "A DNS name (repeatable).") var hosts: [String] = []
        @Option(name: .customLong("ip"), help: "An IPv4 or IPv6 address (repeatable).") var ips: [String] = []

        func run() throws {
            let site = try ca.open()
            let addresses = try ips.map(IssuePolicy.ipAddress)
            guard let first = hosts.first ?? ips.first else { throw ValidationError("give at least one --host or --ip") }
            let key = try RSAPrivateKey.generate(bits: 2048, random: SystemRandom())
            let cert = try CertificateBuilder.tlsServer(
                subject: IssuePolicy.subject(common: first, under: site), publicKey: key.publicKey,
                serialNumber: CertificateBuilder.randomSerialNumber(random: SystemRandom()), validity: SiteCA.validity(days: output.days),
                dnsNames: hosts, ipAddresses: addresses
            ).signed(by: site.certificate, key: site.key)
            try output.write(cert, key: key, ca: site)
        }
    }

    struct Client: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A TLS client certificate (clientAuth) for a modality's AE title (CN and subjectAltName URI urn:dicom:aetitle:AE).")
        @OptionGroup var ca: SiteCAOptions
        @OptionGroup var output: Output
        @Option(help: "The device's AE title (1–16 characters, PS3.5 AE).") var aet: String

        func run() throws {
            let site = try ca.open()
            try IssuePolicy.checkAETitle(aet)
            let key = try RSAPrivateKey.generate(bits: 2048, random: SystemRandom())
            var builder = try CertificateBuilder.tlsClient(
                subject: IssuePolicy.subject(common: aet, under: site), publicKey: key.publicKey,
                serialNumber: CertificateBuilder.randomSerialNumber(random: SystemRandom()), validity: SiteCA.validity(days: output.days))
            builder.setSubjectAlternativeNames([IssuePolicy.aeTitleURI(aet)])
            try output.write(try builder.signed(by: site.certificate, key: site.key), key: key, ca: site)
        }
    }
}

extension SiteCAOptions {
    static func firstLine(_ path: String) throws -> String {
        let line = try SiteCA.read(path).split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        return line.hasSuffix("\r") ? String(line.dropLast()) : line
    }
}
