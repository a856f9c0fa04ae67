extension Certificate {
    /// A multi-line summary in the layout of `openssl x509 -text -noout`: version, serial,
    /// algorithms, names, validity, key size and the extensions this module knows.
    /// Unknown extensions are listed by OID; the signature bytes are left out.
    public var textSummary: String {
        var lines = [
            "Certificate:",
            "    Data:",
            "        Version: \(version) (0x\(String(version - 1, radix: 16)))",
        ]
        lines += serialLines
        lines += [
            "        Signature Algorithm: \(signatureAlgorithm)",
            "        Issuer: \(issuer.opensslDescription)",
            "        Validity",
            "            Not Before: \(Self.opensslDate(validity.notBefore))",
            "            Not After : \(Self.opensslDate(validity.notAfter))",
            "        Subject: \(subject.opensslDescription)",
            "        Subject Public Key Info:",
            "            Public Key Algorithm: \(publicKeyInfo.algorithm)",
        ]
        if let bits = publicKeyInfo.rsaModulusBitCount { lines.append("                Public-Key: (\(bits) bit)") }
        if !extensions.all.isEmpty {
            lines.append("        X509v3 extensions:")
            for ext in extensions.all {
                lines.append("            \(Self.extensionName(ext.oid)):\(ext.isCritical ? " critical" : "")")
                lines.append("                \(extensionText(ext))")
            }
        }
        lines.append("    Signature Algorithm: \(signatureAlgorithm)")
        return lines.joined(separator: "\n")
    }

    /// OpenSSL prints serials up to a `long` in decimal and hex, longer ones as hex octets.
    private var serialLines: [String] {
        let negative = (serialNumber.first ?? 0) & 0x80 != 0
        if serialNumber.count <= 8, !negative {
            let value = serialNumber.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            return ["        Serial Number: \(value) (0x\(String(value, radix: 16)))"]
        }
        let octets = serialNumber.drop { $0 == 0 }.map { hex([$0]).lowercased() }.joined(separator: ":")
        return ["        Serial Number:", "            \(negative ? "(Negative)" : "")\(octets)"]
    }

    private func extensionText(_ ext: Extension) -> String {
        let e = extensions
        switch ext.oid {
        case .basicConstraints:
            guard let bc = e.basicConstraints else { break }
            return "CA:\(bc.isCA ? "TRUE" : "FALSE")" + (bc.pathLengthConstraint.map { ", pathlen:\($0)" } ?? "")
        case .keyUsage:
            return e.keyUsage?.description ?? ""
        case .extendedKeyUsage:
            return e.extendedKeyUsage?.description ?? ""
        case .subjectAltName:
            return (e.subjectAlternativeNames ?? []).map(\.description).joined(separator: ", ")
        case .subjectKeyIdentifier:
            return Self.colonHex(e.subjectKeyIdentifier ?? [])
        case .authorityKeyIdentifier:
            return e.authorityKeyIdentifier?.keyIdentifier.map(Self.colonHex) ?? ""
        default:
            break
        }
        return "<\(ext.value.count) bytes>"
    }

    private static func extensionName(_ oid: ASN1ObjectIdentifier) -> String {
        switch oid {
        case .basicConstraints: "X509v3 Basic Constraints"
        case .keyUsage: "X509v3 Key Usage"
        case .extendedKeyUsage: "X509v3 Extended Key Usage"
        case .subjectAltName: "X509v3 Subject Alternative Name"
        case .subjectKeyIdentifier: "X509v3 Subject Key Identifier"
        case .authorityKeyIdentifier: "X509v3 Authority Key Identifier"
        case .certificatePolicies: "X509v3 Certificate Policies"
        default: oid.description
        }
    }

    static func colonHex(_ bytes: [UInt8]) -> String {
        bytes.map { hex([$0]) }.joined(separator: ":")
    }

    /// `Jan  1 08:30:00 2010 GMT`, as OpenSSL's `ASN1_TIME_print` writes it.
    static func opensslDate(_ t: ASN1Time) -> String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let day = t.day < 10 ? " \(t.day)" : "\(t.day)"
        return "\(months[t.month - 1]) \(day) \(two(t.hour)):\(two(t.minute)):\(two(t.second)) \(t.year) GMT"
    }
}
