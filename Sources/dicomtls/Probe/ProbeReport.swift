import Foundation
import TLSHandshake
import TLSRecord
import X509

/// Everything `dicomtls probe` found, printable for people and as JSON.
struct ProbeReport: Codable {
    struct Version: Codable {
        var version: String
        var accepted: Bool
        var suites: [String]
        var serverChoosesOrder: Bool?
        var refusal: String?
    }

    struct Extensions: Codable {
        var negotiatedVersion: String
        var compression: String
        var renegotiationInfo: Bool
        var extendedMasterSecret: Bool
        var alpn: String?
        var sessionID: Bool
        var sessionResumption: String?
    }

    struct CertificateSummary: Codable {
        var subject: String
        var issuer: String
        var notBefore: String
        var notAfter: String
        var keyBits: Int?
        var signatureAlgorithm: String
        var names: [String]
    }

    struct Echo: Codable {
        var ok: Bool
        var detail: String
    }

    var host: String
    var port: UInt16
    var versions: [Version] = []
    var extensions: Extensions?
    var certificates: [CertificateSummary] = []
    var checkedName: String?
    var hostnameMatches: Bool?
    var pathValidation: String?
    var echo: Echo?
    var profiles: [ProfileVerdict] = []
    var notes: [String] = []
    var connections = 0

    // MARK: Human output

    var text: String {
        var out = ["TLS probe of \(host):\(port) (\(connections) connections)", "", "Protocol versions:"]
        for v in versions {
            if v.accepted {
                let order = v.serverChoosesOrder.map { $0 ? " (server's preference order)" : " (client's order)" } ?? ""
                out.append("  \(v.version): accepted\(order)")
                for s in v.suites { out.append("      \(s)") }
            } else {
                out.append("  \(v.version): refused (\(v.refusal ?? "no answer"))")
            }
        }
        if let e = extensions {
            out += ["", "At \(e.negotiatedVersion):",
                    "  compression: \(e.compression)",
                    "  renegotiation_info (RFC 5746): \(e.renegotiationInfo ? "yes" : "no")",
                    "  extended_master_secret (RFC 7627): \(e.extendedMasterSecret ? "yes" : "no")",
                    "  ALPN: \(e.alpn ?? "not answered")",
                    "  session ID for resumption: \(e.sessionID ? "issued" : "none")"]
            if let r = e.sessionResumption { out.append("  session resumption: \(r)") }
        }
        if !certificates.isEmpty {
            out += ["", "Certificate chain:"]
            for (i, c) in certificates.enumerated() {
                out.append("  \(i) subject: \(c.subject)")
                out.append("    issuer: \(c.issuer)")
                out.append("    valid: \(c.notBefore) to \(c.notAfter)")
                out.append("    key: \(c.keyBits.map { "RSA \($0) bits" } ?? "not RSA"), signed with \(c.signatureAlgorithm)")
                if !c.names.isEmpty { out.append("    names: \(c.names.joined(separator: ", "))") }
            }
            if let match = hostnameMatches { out.append("  host name \(checkedName ?? host): \(match ? "matches" : "NOT in the certificate (use --server-name with a name it holds)")") }
            if let v = pathValidation { out.append("  path validation: \(v)") }
        }
        if let echo { out += ["", "DICOM C-ECHO over TLS 1.0: \(echo.ok ? "success" : "failed"): \(echo.detail)"] }
        out += ["", "PS3.15 Annex B profiles:"]
        for p in profiles {
            out.append("  \(p.section) \(p.profile): \(p.satisfied ? "satisfied" : "NOT satisfied"), \(p.satisfied ? "" : "because ")\(p.reason)")
        }
        if !notes.isEmpty { out += ["", "Notes:"] + notes.map { "  \($0)" } }
        return out.joined(separator: "\n")
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }

    // MARK: Building

    static func certificateSummary(_ c: Certificate) -> CertificateSummary {
        let names = (c.extensions.subjectAlternativeNames ?? []).map(\.description)
        return CertificateSummary(
            subject: "\(c.subject)", issuer: "\(c.issuer)", notBefore: "\(c.validity.notBefore)", notAfter: "\(c.validity.notAfter)",
            keyBits: c.publicKeyInfo.rsaModulusBitCount, signatureAlgorithm: "\(c.signatureAlgorithmKind)", names: names)
    }

    static func extensions(_ hello: ProbeWire.ServerHelloSummary) -> Extensions {
        var alpn: String?
        if let data = hello.extensions[16], data.count > 3 { alpn = String(decoding: data[3...], as: UTF8.self) }
        let version = ProbeVersion(wire: hello.version)?.rawValue ?? CipherSuiteNames.hex16(hello.version)
        return Extensions(
            negotiatedVersion: version, compression: hello.compression == 0 ? "null" : hello.compression == 1 ? "DEFLATE (CRIME risk)" : "method \(hello.compression)",
            renegotiationInfo: hello.extensions[0xFF01] != nil, extendedMasterSecret: hello.extensions[23] != nil, alpn: alpn,
            sessionID: hello.sessionIDLength > 0, sessionResumption: nil)
    }
}
