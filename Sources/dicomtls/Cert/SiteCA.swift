import ArgumentParser
import CryptoPrimitives
import Foundation
import X509

/// A site CA kept in one folder, laid out like a small `openssl ca`:
/// `ca.pem`, `ca.key` (PKCS #8, PBES2-encrypted), `index.txt` (OpenSSL's index format: one
/// line per issued certificate, `V`/`R`, expiry, revocation date and reason, serial,
/// `unknown`, subject), `crlnumber`, and `issued/SERIAL.pem`.
struct SiteCA {
    let directory: String
    let certificate: Certificate
    let key: RSAPrivateKey

    /// One line of `index.txt`.
    struct IndexEntry {
        var revoked: Bool
        var expiry: String
        var revocation: String
        var serialHex: String
        var subject: String

        var line: String { [revoked ? "R" : "V", expiry, revocation, serialHex, "unknown", subject].joined(separator: "\t") }

        init(revoked: Bool, expiry: String, revocation: String, serialHex: String, subject: String) {
            self.revoked = revoked
            self.expiry = expiry
            self.revocation = revocation
            self.serialHex = serialHex
            self.subject = subject
        }

        init?(_ line: Substring) {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 6, f[0] == "V" || f[0] == "R" else { return nil }
            self.init(revoked: f[0] == "R", expiry: f[1], revocation: f[2], serialHex: f[3], subject: f[5])
        }
    }

    static func path(_ directory: String, _ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

    /// Creates the folder, key and self-signed CA certificate.
    static func create(directory: String, name: DistinguishedName, days: Int, bits: Int, password: String) throws -> SiteCA {
        guard !FileManager.default.fileExists(atPath: path(directory, "ca.pem")) else {
            throw CLIFailure("\(directory) already holds a CA (ca.pem); refusing to overwrite it")
        }
        try FileManager.default.createDirectory(atPath: path(directory, "issued"), withIntermediateDirectories: true)
        let key = try RSAPrivateKey.generate(bits: bits, random: SystemRandom())
        let certificate = try CertificateBuilder.certificateAuthority(
            subject: name, publicKey: key.publicKey, serialNumber: CertificateBuilder.randomSerialNumber(random: SystemRandom()),
            validity: try validity(days: days)
        ).selfSigned(with: key)
        try write(certificate.pemEncoded, to: path(directory, "ca.pem"))
        try write(key.encryptedPKCS8PEM(password: password, iterations: 100_000), to: path(directory, "ca.key"), secret: true)
        try write("", to: path(directory, "index.txt"))
        try write("01\n", to: path(directory, "crlnumber"))
        return SiteCA(directory: directory, certificate: certificate, key: key)
    }

    /// Opens an existing CA; the key is decrypted with `password`.
    static func open(directory: String, password: String) throws -> SiteCA {
        let certificate = try Certificate(pemEncoded: read(path(directory, "ca.pem")))
        let key = try RSAPrivateKey(pemEncoded: read(path(directory, "ca.key")), password: { password })
        guard key.publicKey == (try certificate.publicKeyInfo.rsaPublicKey()) else {
            throw CLIFailure("\(directory)/ca.key does not belong to \(directory)/ca.pem")
        }
        return SiteCA(directory: directory, certificate: certificate, key: key)
    }

    /// The issued certificates, in issuing order.
    func index() throws -> [IndexEntry] {
        try Self.read(Self.path(directory, "index.txt")).split(separator: "\n").compactMap(IndexEntry.init)
    }

    /// Records `issued` in the index and keeps a copy under `issued/`.
    func record(_ issued: Certificate) throws {
        let entry = IndexEntry(
            revoked: false, expiry: Self.utc(issued.validity.notAfter), revocation: "", serialHex: issued.serialNumberHex.uppercased(),
            subject: Self.slashForm(issued.subject))
        try Self.write(try Self.read(Self.path(directory, "index.txt")) + entry.line + "\n", to: Self.path(directory, "index.txt"))
        try Self.write(issued.pemEncoded, to: Self.path(directory, "issued/\(entry.serialHex).pem"))
    }

    /// Marks `serialHex` revoked at `date` for `reason`.
    func revoke(serialHex: String, at date: ASN1Time, reason: RevocationReason?) throws -> IndexEntry {
        var entries = try index()
        guard let i = entries.firstIndex(where: { $0.serialHex.caseInsensitiveCompare(serialHex) == .orderedSame }) else {
            throw CLIFailure("serial \(serialHex) is not in \(directory)/index.txt")
        }
        guard !entries[i].revoked else { throw CLIFailure("serial \(serialHex) is already revoked") }
        entries[i].revoked = true
        entries[i].revocation = Self.utc(date) + (reason.flatMap { Self.reasonNames[$0.rawValue] }.map { "," + $0 } ?? "")
        try Self.write(entries.map { $0.line + "\n" }.joined(), to: Self.path(directory, "index.txt"))
        return entries[i]
    }

    /// A CRL listing every revoked certificate, with the next cRLNumber.
    func crl(days: Int) throws -> CertificateRevocationList {
        let numberText = try Self.read(Self.path(directory, "crlnumber")).trimmingCharacters(in: .whitespacesAndNewlines)
        let number = HexText.decode(numberText)
        let now = try VerificationPolicy(date: Date()).time
        var builder = CRLBuilder(thisUpdate: now, nextUpdate: try VerificationPolicy(date: Date().addingTimeInterval(Double(days) * 86_400)).time, crlNumber: number)
        for entry in try index() where entry.revoked {
            let parts = entry.revocation.split(separator: ",")
            let date = parts.first.flatMap { Self.parseUTC(String($0)) } ?? now
            let reason = parts.dropFirst().first.flatMap { name in Self.reasonNames.first { $0.value == name }.map { RevocationReason(rawValue: $0.key) } }
            builder.revoke(serialNumber: Self.integerContents(entry.serialHex), at: date, reason: reason)
        }
        let crl = try builder.signed(by: certificate, key: key)
        let next = (number.last.map { _ in Self.increment(number) } ?? [1])
        try Self.write(HexText.encode(next) + "\n", to: Self.path(directory, "crlnumber"))
        return crl
    }

    // MARK: Helpers

    /// OpenSSL's names for CRL reasons in index.txt.
    static let reasonNames: [Int: String] = [
        0: "unspecified", 1: "keyCompromise", 2: "CACompromise", 3: "affiliationChanged", 4: "superseded",
        5: "cessationOfOperation", 6: "certificateHold", 9: "privilegeWithdrawn", 10: "AACompromise",
    ]

    static func validity(days: Int) throws -> Validity {
        let now = Date()
        return Validity(
            notBefore: try VerificationPolicy(date: now.addingTimeInterval(-300)).time,
            notAfter: try VerificationPolicy(date: now.addingTimeInterval(Double(days) * 86_400)).time)
    }

    /// `YYMMDDHHMMSSZ`, as OpenSSL writes index dates.
    static func utc(_ t: ASN1Time) -> String {
        String(format: "%02d%02d%02d%02d%02d%02dZ", t.year % 100, t.month, t.day, t.hour, t.minute, t.second)
    }

    static func parseUTC(_ s: String) -> ASN1Time? {
        let d = Array(s.utf8).map { Int($0) - 48 }
        guard d.count == 13 else { return nil }
        func n(_ i: Int) -> Int { d[i] * 10 + d[i + 1] }
        let year = n(0) >= 50 ? 1900 + n(0) : 2000 + n(0)
        return ASN1Time(year: year, month: n(2), day: n(4), hour: n(6), minute: n(8), second: n(10))
    }

    /// `/C=US/O=Site/CN=name`, OpenSSL's index form.
    static func slashForm(_ name: DistinguishedName) -> String {
        name.rdns.flatMap { $0 }.map { a in
            let type = a.type == .commonName ? "CN" : a.type == .organizationName ? "O" : a.type == .organizationalUnitName ? "OU"
                : a.type == .countryName ? "C" : a.type.description
            return "/\(type)=\(a.value?.value ?? "")"
        }.joined()
    }

    /// INTEGER contents for a positive serial given in hex (a 00 added when the top bit is set).
    static func integerContents(_ hex: String) -> [UInt8] {
        let bytes = HexText.decode(hex)
        return (bytes.first ?? 0) & 0x80 != 0 ? [0] + bytes : bytes
    }

    static func increment(_ number: [UInt8]) -> [UInt8] {
        var n = number
        for i in stride(from: n.count - 1, through: 0, by: -1) {
            if n[i] == 0xFF { n[i] = 0 } else { n[i] += 1; return n }
        }
        return [1] + n
    }

    static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIFailure("cannot read \(path)") }
        return String(decoding: data, as: UTF8.self)
    }

    static func write(_ text: String, to path: String, secret: Bool = false) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        if secret { try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path) }
    }
}

/// Hex for serial numbers and CRL numbers (upper case, no separators).
enum HexText {
    static func encode(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02X", $0) }.joined() }

    static func decode(_ text: String) -> [UInt8] {
        let digits = Array((text.count % 2 == 1 ? "0" + text : text).utf8)
        var out: [UInt8] = []
        var i = 0
        while i + 1 < digits.count {
            guard let b = UInt8(String(decoding: digits[i...(i + 1)], as: UTF8.self), radix: 16) else { return [] }
            out.append(b)
            i += 2
        }
        return out
    }
}
