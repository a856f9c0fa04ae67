import TLSHandshake

/// The verdict per PS3.15 Annex B Secure Transport Connection Profile, from what the
/// server accepted. Each rule is stated in `reason`, with the section.
struct ProfileVerdict: Codable, Sendable {
    let profile: String
    let section: String
    let satisfied: Bool
    let reason: String

    /// The verdicts for a scan.
    static func all(_ versions: [ProbeVersion: [UInt16]]) -> [ProfileVerdict] {
        func accepts(_ v: ProbeVersion) -> Bool { !(versions[v] ?? []).isEmpty }
        func anyVersion(accepting id: UInt16) -> ProbeVersion? {
            ProbeVersion.allCases.first { (versions[$0] ?? []).contains(id) }
        }
        let weak = ProbeVersion.allCases.flatMap { v in (versions[v] ?? []).filter { ProbeSuite.kind(of: $0) == .weak }.map { (v, $0) } }
        let weakText = weak.map { "\(CipherSuiteNames.name($0.1)) at \($0.0.rawValue)" }.joined(separator: ", ")
        let tls12 = versions[.tls12] ?? []
        let modern = accepts(.tls12) || accepts(.tls13)
        let old = [ProbeVersion.ssl30, .tls10, .tls11].filter(accepts)
        let oldText = old.map(\.rawValue).joined(separator: ", ")
        let nonForwardSecret12 = tls12.filter { ![.forwardSecretAEAD, .forwardSecretCBC].contains(ProbeSuite.kind(of: $0)) }
        let nonAEAD12 = tls12.filter { ProbeSuite.kind(of: $0) != .forwardSecretAEAD }

        var out: [ProfileVerdict] = []
        // B.1: TLS with TLS_RSA_WITH_3DES_EDE_CBC_SHA.
        if let v = anyVersion(accepting: ProbeSuite.tripleDES) {
            out.append(.init(profile: "Basic TLS", section: "PS3.15 B.1", satisfied: true,
                             reason: "TLS_RSA_WITH_3DES_EDE_CBC_SHA is accepted (at \(v.rawValue))"))
        } else {
            out.append(.init(profile: "Basic TLS", section: "PS3.15 B.1", satisfied: false,
                             reason: "TLS_RSA_WITH_3DES_EDE_CBC_SHA is accepted at no version"))
        }
        // B.3: AES128-SHA, with 3DES as the fallback.
        let aes = anyVersion(accepting: ProbeSuite.aes128)
        let tripleDES = anyVersion(accepting: ProbeSuite.tripleDES)
        out.append(.init(
            profile: "AES TLS", section: "PS3.15 B.3", satisfied: aes != nil && tripleDES != nil,
            reason: aes == nil ? "TLS_RSA_WITH_AES_128_CBC_SHA is accepted at no version"
                : tripleDES == nil ? "TLS_RSA_WITH_AES_128_CBC_SHA is accepted but the TLS_RSA_WITH_3DES_EDE_CBC_SHA fallback is not"
                : "TLS_RSA_WITH_AES_128_CBC_SHA (at \(aes?.rawValue ?? "")) and the 3DES fallback are accepted"))
        // B.9: BCP 195 (RFC 7525): TLS 1.2, no SSL 3.0, no NULL/RC4/DES/export; older TLS tolerated.
        let b9Problems = [
            accepts(.tls12) ? nil : "TLS 1.2 is not accepted",
            accepts(.ssl30) ? "SSL 3.0 is accepted" : nil,
            weak.isEmpty ? nil : "weak suites are accepted (\(weakText))",
        ].compactMap { $0 }
        out.append(.init(profile: "BCP 195 TLS", section: "PS3.15 B.9", satisfied: b9Problems.isEmpty,
                         reason: b9Problems.isEmpty ? "TLS 1.2 is accepted, SSL 3.0 and weak suites are refused" : b9Problems.joined(separator: "; ")))
        // B.10: non-downgrading BCP 195: as B.9, and nothing below TLS 1.2.
        let b10Problems = b9Problems + (old.isEmpty ? [] : ["it downgrades to \(oldText)"])
        out.append(.init(profile: "Non-downgrading BCP 195 TLS", section: "PS3.15 B.10", satisfied: b10Problems.isEmpty,
                         reason: b10Problems.isEmpty ? "only TLS 1.2 or newer, no weak suites" : b10Problems.joined(separator: "; ")))
        // B.11: extended BCP 195: as B.10, with forward-secret suites only.
        let b11Problems = b10Problems + (nonForwardSecret12.isEmpty ? [] : ["TLS 1.2 suites without forward secrecy are accepted (\(nonForwardSecret12.map(CipherSuiteNames.name).joined(separator: ", ")))"])
        out.append(.init(profile: "Extended BCP 195 TLS", section: "PS3.15 B.11", satisfied: b11Problems.isEmpty,
                         reason: b11Problems.isEmpty ? "TLS 1.2+ with forward-secret suites only" : b11Problems.joined(separator: "; ")))
        // B.12: BCP 195 with RFC 8996: TLS 1.2 or 1.3 only, no weak suites.
        let b12Problems = [
            modern ? nil : "neither TLS 1.2 nor TLS 1.3 is accepted",
            old.isEmpty ? nil : "\(oldText) accepted (RFC 8996 deprecates them)",
            weak.isEmpty ? nil : "weak suites are accepted (\(weakText))",
        ].compactMap { $0 }
        out.append(.init(profile: "BCP 195 RFC 8996 TLS", section: "PS3.15 B.12", satisfied: b12Problems.isEmpty,
                         reason: b12Problems.isEmpty ? "TLS 1.2/1.3 only, no weak suites" : b12Problems.joined(separator: "; ")))
        // B.13: modified BCP 195 RFC 8996: as B.12, with forward-secret AEAD suites only at TLS 1.2.
        let b13Problems = b12Problems + (nonAEAD12.isEmpty ? [] : ["TLS 1.2 suites other than ECDHE/DHE with AEAD are accepted (\(nonAEAD12.map(CipherSuiteNames.name).joined(separator: ", ")))"])
        out.append(.init(profile: "Modified BCP 195 RFC 8996 TLS", section: "PS3.15 B.13", satisfied: b13Problems.isEmpty,
                         reason: b13Problems.isEmpty ? "TLS 1.2/1.3 only, ECDHE/DHE AEAD suites only" : b13Problems.joined(separator: "; ")))
        return out
    }
}
