import ArgumentParser
import DicomUL
import Foundation
import TLSHandshake
import TLSSockets
import X509

/// `dicomtls probe HOST PORT`: what a TLS (DICOM) server accepts, and which PS3.15
/// Annex B profiles it satisfies, from ClientHellos only (no handshake is completed).
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Probe a TLS server: versions, cipher suites, extensions, certificate chain, PS3.15 Annex B profile verdicts.")

    @Argument(help: "Server host name or address.") var host: String
    @Argument(help: "Server port.") var port: UInt16
    @Option(name: .customLong("ca-file"), help: "Trusted CA certificates (PEM): validate the server's chain against them.")
    var caFile: String?
    @Option(name: .customLong("server-name"), help: "The name to send (SNI) and check the certificate against (default: HOST).")
    var serverName: String?
    @Option(name: .customLong("aet"), help: "With --call: our AE title for a C-ECHO over TLS 1.0.") var aet: String?
    @Option(name: .customLong("call"), help: "With --aet: the server's AE title; a Verification association is tried.") var call: String?
    @Option(help: "Seconds per connection.") var timeout: Int = 5
    @Option(name: .customLong("max-time"), help: "Seconds the whole probe may take.") var maxTime: Int = 90
    @Flag(help: "Print JSON instead of text.") var json = false

    func validate() throws {
        guard timeout > 0, maxTime > 0 else { throw ValidationError("--timeout and --max-time must be positive") }
        guard (aet == nil) == (call == nil) else { throw ValidationError("--aet and --call go together") }
    }

    func run() throws {
        let name = serverName ?? host
        do {
            try TCPSocket.connect(host: host, port: port, timeout: .seconds(timeout)).close()
        } catch {
            throw CLIFailure("probe: \(error.message)")
        }
        var scan = ProbeScan(
            host: host, port: port, serverName: name, connectTimeout: .seconds(timeout),
            deadline: ContinuousClock.now.advanced(by: .seconds(maxTime)))
        var report = ProbeReport(host: host, port: port)
        var accepted: [ProbeVersion: [UInt16]] = [:]
        var best: VersionResult?
        for version in ProbeVersion.allCases {
            var result = scan.suites(at: version)
            result.serverOrder = scan.serverChoosesOrder(result)
            accepted[version] = result.accepted
            report.versions.append(.init(
                version: version.rawValue, accepted: !result.accepted.isEmpty, suites: result.accepted.map(CipherSuiteNames.name),
                serverChoosesOrder: result.serverOrder, refusal: result.refusal))
            if version != .tls13, result.firstHello != nil { best = result }
        }
        if let best, let hello = best.firstHello {
            report.extensions = ProbeReport.extensions(hello)
            let chain = best.certificates.compactMap { try? Certificate(derEncoded: $0) }
            report.certificates = chain.map(ProbeReport.certificateSummary)
            if let leaf = chain.first {
                report.checkedName = name
                report.hostnameMatches = leaf.matches(host: name)
            }
            if let caFile, !chain.isEmpty { report.pathValidation = validate(chain, caFile: caFile) }
        } else if !(accepted[.tls13] ?? []).isEmpty {
            report.notes.append("TLS 1.3 only: the certificate is encrypted and was not read")
        }
        if let suite = (accepted[.tls10] ?? []).lazy.compactMap(CipherSuite.init(id:)).first {
            report.extensions?.sessionResumption = resumption(suite: suite, serverName: name)
        }
        if let aet, let call { report.echo = echo(aet: aet, call: call, tls10: accepted[.tls10] ?? [], serverName: name) }
        report.profiles = ProfileVerdict.all(accepted)
        report.notes += scan.notes
        report.connections = scan.connections
        print(json ? report.json : report.text)
    }

    private func validate(_ chain: [Certificate], caFile: String) -> String {
        do {
            let store = try TrustStore(contentsOfFile: caFile)
            var policy = try VerificationPolicy(date: Date())
            policy.requiredPurpose = .serverAuth
            let validated = try PathValidator(trustStore: store, policy: policy).validate(chain)
            return "OK (\(validated.certificates.count) certificates up to \(validated.trustAnchor.map { "\($0.subject)" } ?? "the trust anchor"))"
        } catch {
            return "FAILED: \(error)"
        }
    }

    /// Whether the server resumes a TLS 1.0 session: two full connections with our engine,
    /// the second offering the first's session (RFC 2246 §7.3). No certificate check: the
    /// question is the server's session cache, not its identity.
    private func resumption(suite: CipherSuite, serverName: String) -> String {
        do {
            let tls = try TLSConfiguration.client(verification: .noneInsecure, cipherSuites: [suite])
            let first = try BlockingTLSStream.connect(host: host, port: port, configuration: tls, serverName: serverName, timeout: .seconds(timeout))
            let session = first.session
            try? first.close(timeout: .seconds(2))
            guard let session else { return "no session to resume (the server sent no session ID)" }
            let second = try BlockingTLSStream.connect(
                host: host, port: port, configuration: tls, serverName: serverName, resuming: session, timeout: .seconds(timeout))
            let resumed = second.sessionInfo.isResumed
            try? second.close(timeout: .seconds(2))
            return resumed ? "yes (TLS 1.0, \(suite.name))" : "no (a new full handshake each time)"
        } catch {
            return "not checked: \(CommandLineTool.explain(error))"
        }
    }

    /// A Verification association over the best common TLS 1.0 suite our engine implements.
    private func echo(aet: String, call: String, tls10: [UInt16], serverName: String) -> ProbeReport.Echo {
        guard let suite = tls10.lazy.compactMap(CipherSuite.init(id:)).first else {
            return .init(ok: false, detail: "no TLS 1.0 suite in common with our stack (\(CipherSuite.all.map(\.name).joined(separator: ", ")))")
        }
        do {
            let tls = try TLSConfiguration.client(verification: .noneInsecure, cipherSuites: [suite])
            var options = SecureTransportOptions()
            options.serverName = serverName
            options.checksServerName = false
            let client = DicomClient(try DicomClientConfiguration(
                host: host, port: port, callingAETitle: aet, calledAETitle: call, security: .tls(tls, options)))
            let status = try client.echo()
            return .init(ok: status.isSuccess, detail: "\(suite.name), status \(status)")
        } catch {
            return .init(ok: false, detail: "\(suite.name): \(error)")
        }
    }
}
