import ArgumentParser
import CryptoPrimitives
import Foundation
import X509

/// What the site CA puts in certificates, whatever a request asks for.
enum IssuePolicy {
    /// The smallest RSA key the CA certifies.
    static let minimumKeyBits = 2048

    /// `O=<CA's organization>, CN=<common>`.
    static func subject(common: String, under ca: SiteCA) -> DistinguishedName {
        let org = ca.certificate.subject.values(of: .organizationName).first
        return DistinguishedName((org.map { [.organization($0)] } ?? []) + [.commonName(common)])
    }

    /// The AE title's place in a client certificate: subjectAltName URI
    /// `urn:dicom:aetitle:<AE>` (this tool's convention; DICOM defines none), besides the CN.
    static func aeTitleURI(_ aet: String) -> GeneralName { .uri("urn:dicom:aetitle:" + aet) }

    /// PS3.5 §6.2 AE: 1–16 characters of the default repertoire, no backslash or control
    /// characters, not only spaces.
    static func checkAETitle(_ aet: String) throws {
        guard (1...16).contains(aet.utf8.count), aet.utf8.allSatisfy({ (0x20...0x7E).contains($0) && $0 != 0x5C }),
            aet.contains(where: { $0 != " " })
        else { throw ValidationError("--aet \(aet): an AE title has 1–16 printable ASCII characters, no backslash, not only spaces (PS3.5)") }
    }

    static func ipAddress(_ text: String) throws -> [UInt8] {
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        throw ValidationError("--ip \(text) is not an IPv4 or IPv6 address")
    }
}

/// `dicomtls cert sign CSR`: certify a PKCS #10 request under the CA's policy.
struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a PKCS #10 request (openssl req, devices): signature checked, extensions set by policy, not by the request.")
    @OptionGroup var ca: SiteCAOptions
    @Argument(help: "The request (PEM or DER).") var request: String
    @Option(help: "server (serverAuth) or client (clientAuth).") var profile: String
    @Option(name: .customLong("host"), help: "Server: a DNS name (repeatable).") var hosts: [String] = []
    @Option(name: .customLong("ip"), help: "Server: an IP address (repeatable).") var ips: [String] = []
    @Option(help: "Client: the device's AE title.") var aet: String?
    @Flag(name: .customLong("accept-requested-names"), help: "Server: copy the request's DNS and IP subjectAltNames.")
    var acceptRequestedNames = false
    @Option(help: "Write the certificate here (PEM).") var out: String
    @Option(help: "Validity in days.") var days = 825
    @Option(help: "The device's private key (PEM), needed only to bundle it with --pkcs12.") var key: String?
    @Option(name: .customLong("key-password-file"), help: "File whose first line is the password of an encrypted --key.")
    var keyPasswordFile: String?
    @OptionGroup var pkcs12: PKCS12Options

    func validate() throws {
        if pkcs12.file != nil && key == nil { throw ValidationError("--pkcs12 with sign needs the device's --key") }
        if pkcs12.file == nil && key != nil { throw ValidationError("--key is only used with --pkcs12") }
    }

    func run() throws {
        let site = try ca.open()
        let deviceKey = try key.map { path in
            try RSAPrivateKey(pemEncoded: SiteCA.read(path), password: { try keyPasswordFile.map(SiteCAOptions.firstLine) })
        }
        guard let data = FileManager.default.contents(atPath: request) else { throw CLIFailure("cannot read \(request)") }
        let csr = data.first == 0x30
            ? try CertificationRequest(derEncoded: Array(data))
            : try CertificationRequest(pemEncoded: String(decoding: data, as: UTF8.self))
        guard csr.isSignatureValid else { throw CLIFailure("\(request): the request's signature does not verify with its own key") }
        guard let bits = csr.publicKeyInfo.rsaModulusBitCount, bits >= IssuePolicy.minimumKeyBits else {
            throw CLIFailure("\(request): only RSA keys of at least \(IssuePolicy.minimumKeyBits) bits are certified")
        }
        let key = try csr.publicKeyInfo.rsaPublicKey()
        let serial = CertificateBuilder.randomSerialNumber(random: SystemRandom())
        let validity = try SiteCA.validity(days: days)
        let requestedCN = csr.subject.values(of: .commonName).first
        var builder: CertificateBuilder
        switch profile {
        case "server":
            var names = hosts.map(GeneralName.dnsName) + (try ips.map(IssuePolicy.ipAddress)).map(GeneralName.ipAddress)
            if acceptRequestedNames {
                names += (csr.requestedSubjectAlternativeNames ?? []).filter {
                    if case .dnsName = $0 { return true }
                    if case .ipAddress = $0 { return true }
                    return false
                }
            }
            guard !names.isEmpty else { throw ValidationError("a server certificate needs --host/--ip or --accept-requested-names with names in the request") }
            let common = hosts.first ?? requestedCN ?? names[0].description
            builder = CertificateBuilder.tlsServer(
                subject: IssuePolicy.subject(common: common, under: site), publicKey: key, serialNumber: serial, validity: validity, dnsNames: [])
            builder.setSubjectAlternativeNames(names)
        case "client":
            guard let aet else { throw ValidationError("a client certificate needs --aet") }
            try IssuePolicy.checkAETitle(aet)
            builder = CertificateBuilder.tlsClient(subject: IssuePolicy.subject(common: aet, under: site), publicKey: key, serialNumber: serial, validity: validity)
            builder.setSubjectAlternativeNames([IssuePolicy.aeTitleURI(aet)])
        default:
            throw ValidationError("--profile must be server or client")
        }
        let certificate = try builder.signed(by: site.certificate, key: site.key)
        if let deviceKey, deviceKey.publicKey != key {
            throw CLIFailure("\(self.key ?? ""): this key is not the one the request was made with")
        }
        try site.record(certificate)
        try SiteCA.write(certificate.pemEncoded, to: out)
        let ignored = csr.requestedExtensions.map { $0.oid }.filter { !(acceptRequestedNames && $0 == .subjectAltName) }
        if !ignored.isEmpty {
            print("policy: requested extensions not copied: \(ignored.map { $0.description }.joined(separator: ", "))")
        }
        print("issued serial \(certificate.serialNumberHex) to \(certificate.subject): \(out)")
        if let deviceKey { try pkcs12.write(chain: [certificate, site.certificate], key: deviceKey) }
    }
}

/// `dicomtls cert revoke SERIAL|CERT`.
struct RevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Mark a certificate revoked in the CA's index (then run cert crl).")
    @OptionGroup var ca: SiteCAOptions
    @Argument(help: "A serial number in hex, or a certificate file the CA issued.") var target: String
    @Option(help: "keyCompromise, CACompromise, affiliationChanged, superseded, cessationOfOperation, certificateHold, unspecified.")
    var reason: String?

    func run() throws {
        let site = try ca.open()
        var serial = target
        if FileManager.default.fileExists(atPath: target) {
            let cert = try Certificate(pemEncoded: SiteCA.read(target))
            guard cert.issuer == site.certificate.subject else { throw CLIFailure("\(target) was not issued by this CA") }
            serial = cert.serialNumberHex
        }
        let code = try reason.map { name in
            guard let entry = SiteCA.reasonNames.first(where: { $0.value.caseInsensitiveCompare(name) == .orderedSame }) else {
                throw ValidationError("unknown --reason \(name)")
            }
            return RevocationReason(rawValue: entry.key)
        }
        let entry = try site.revoke(serialHex: serial, at: try VerificationPolicy(date: Date()).time, reason: code)
        print("revoked serial \(entry.serialHex) (\(entry.subject)); publish a new CRL with `dicomtls cert crl`")
    }
}

/// `dicomtls cert crl`: a v2 CRL of everything revoked, signed by the CA.
struct CRLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "crl", abstract: "Write a CRL (X.509 v2, signed by the CA) of every revoked certificate.")
    @OptionGroup var ca: SiteCAOptions
    @Option(help: "Days until nextUpdate.") var days = 30
    @Option(help: "Write the CRL here (PEM; .der/.crl for DER).") var out: String

    func run() throws {
        let crl = try ca.open().crl(days: days)
        if out.hasSuffix(".der") || out.hasSuffix(".crl") {
            try Data(crl.derBytes).write(to: URL(fileURLWithPath: out))
        } else {
            try SiteCA.write(crl.pemEncoded, to: out)
        }
        print("wrote \(out): \(crl.revokedCertificates.count) revoked, cRLNumber \(HexText.encode(crl.crlNumber ?? [])), nextUpdate \(crl.nextUpdate.map { "\($0)" } ?? "none")")
    }
}
