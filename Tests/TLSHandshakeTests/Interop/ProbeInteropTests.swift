import Foundation
import Testing
import TLSHandshake
import TLSSockets
import TestSupport

/// `dicomtls probe` against real servers configured to satisfy and to violate each PS3.15
/// Annex B profile: our own server, gnutls-serv (TLS 1.0 3DES/AES), openssl s_server
/// (TLS 1.2, TLS 1.3) and DCMTK storescp with each of its TLS profiles. Each verdict is
/// checked against what the server was configured to do.
@Suite(.timeLimit(.minutes(3)), .serialized) struct ProbeInteropTests {
    struct Report: Decodable {
        struct Version: Decodable { var version: String; var accepted: Bool; var suites: [String] }
        struct Verdict: Decodable { var section: String; var satisfied: Bool; var reason: String }
        struct Echo: Decodable { var ok: Bool; var detail: String }
        struct Extensions: Decodable { var renegotiationInfo: Bool; var extendedMasterSecret: Bool; var compression: String; var sessionResumption: String? }
        var versions: [Version]
        var profiles: [Verdict]
        var echo: Echo?
        var extensions: Extensions?
        var hostnameMatches: Bool?
        var pathValidation: String?
        var connections: Int

        func satisfied(_ section: String) -> Bool? { profiles.first { $0.section == "PS3.15 \(section)" }?.satisfied }
        func accepted(_ version: String) -> Bool { versions.first { $0.version == version }?.accepted ?? false }
        func suites(_ version: String) -> [String] { versions.first { $0.version == version }?.suites ?? [] }
    }

    static func probe(_ port: UInt16, _ extra: [String] = []) async throws -> Report {
        let pki = try TestPKI.get()
        let run = try PeerProcess(
            try CLIInteropTests.binary(),
            ["probe", "127.0.0.1", String(port), "--json", "--server-name", "localhost", "--ca-file", pki.caCert, "--max-time", "60"] + extra,
            name: "dicomtls probe")
        defer { run.stop() }
        let status = await run.exitStatus(within: 90)
        #expect(status == 0, "\(run.text.suffix(1000))")
        return try JSONDecoder().decode(Report.self, from: Data(run.stdout))
    }

    /// Waits until `process` listens on `port` (DCMTK prints nothing when it is ready);
    /// false when it exited first (e.g. the port was taken meanwhile).
    static func waitForPort(_ port: UInt16, of process: PeerProcess) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, process.isRunning {
            if let socket = try? TCPSocket.connect(host: "127.0.0.1", port: port, timeout: .seconds(1)) {
                socket.close()
                return true
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test func ourServerIsATLS10Profile() async throws {
        let pki = try TestPKI.get()
        let (server, port) = try CLIInteropTests.startServer(["--cert", pki.serverCert, "--key", pki.serverKey])
        defer { server.stop() }
        let report = try await Self.probe(port)
        #expect(report.accepted("TLS 1.0") && !report.accepted("SSL 3.0") && !report.accepted("TLS 1.2") && !report.accepted("TLS 1.3"))
        // Exactly the suites our engine enables by default, named the OpenSSL way.
        #expect(Set(report.suites("TLS 1.0")) == Set(CipherSuite.defaults.map { CipherSuiteNames.name($0.id) }))
        #expect(report.satisfied("B.1") == true)
        #expect(report.satisfied("B.3") == CipherSuite.defaults.contains { $0.id == 0x002F })
        #expect(report.satisfied("B.9") == false && report.satisfied("B.10") == false && report.satisfied("B.12") == false)
        #expect(report.extensions?.renegotiationInfo == true && report.extensions?.extendedMasterSecret == true)
        #expect(report.extensions?.sessionResumption?.hasPrefix("yes") == true, "\(String(describing: report.extensions))")
        #expect(report.hostnameMatches == true)
        #expect(report.pathValidation?.hasPrefix("OK") == true, "\(String(describing: report.pathValidation))")
    }

    @Test func gnutlsWithAESAndTripleDESIsAESTLS() async throws {
        let pki = try TestPKI.get()
        let port = try InteropPaths.freePort()
        let server = try Peers.gnutlsServer(
            port: port, cert: pki.serverCert, key: pki.serverKey,
            priority: "NONE:+VERS-TLS1.0:+RSA:+AES-128-CBC:+3DES-CBC:+SHA1:+COMP-NULL:+SIGN-ALL")
        defer { server.stop() }
        let report = try await Self.probe(port)
        #expect(Set(report.suites("TLS 1.0")) == ["AES128-SHA", "DES-CBC3-SHA"])
        #expect(report.satisfied("B.1") == true && report.satisfied("B.3") == true)
        #expect(report.satisfied("B.10") == false)
    }

    @Test func opensslTLS12And13() async throws {
        let pki = try TestPKI.get()
        for (flag, expectations) in [("-tls1_2", ["B.10": true, "B.12": true, "B.1": false, "B.11": false]),
                                     ("-tls1_3", ["B.12": true, "B.13": true, "B.9": false, "B.3": false])] {
            let port = try InteropPaths.freePort()
            let server = try PeerProcess(
                "/usr/bin/openssl", ["s_server", "-accept", "127.0.0.1:\(port)", flag, "-cert", pki.serverCert, "-key", pki.serverKey],
                name: "openssl s_server")
            defer { server.stop() }
            try server.waitForOutput("ACCEPT", timeout: .seconds(10))
            let report = try await Self.probe(port)
            #expect(report.accepted(flag == "-tls1_2" ? "TLS 1.2" : "TLS 1.3"))
            #expect(!report.accepted("TLS 1.0") && !report.accepted("TLS 1.1"))
            for (section, expected) in expectations {
                #expect(report.satisfied(section) == expected, "\(flag) \(section): \(report.profiles)")
            }
        }
    }

    @Test(arguments: [
        ("--profile-bcp195-nd", ["B.10": true, "B.9": true, "B.1": false, "B.3": false]),
        ("--profile-bcp195", ["B.9": true, "B.10": false, "B.12": false]),
        ("--profile-bcp195-ex", ["B.11": true, "B.10": true]),
        ("--profile-aes", ["B.3": false, "B.10": false]),  // AES without the 3DES fallback (no 3DES in Debian's OpenSSL)
        ("--profile-null", ["B.1": false, "B.9": false]),
    ])
    func dcmtkProfiles(_ profile: String, _ expectations: [String: Bool]) async throws {
        let pki = try TestPKI.get()
        let dir = NSTemporaryDirectory() + "probe-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var started: (PeerProcess, UInt16)?
        var lastOutput = ""
        for _ in 0..<3 where started == nil {  // a free port may be taken before storescp binds it
            let port = try InteropPaths.freePort()
            let scp = try PeerProcess(
                "/usr/bin/storescp", ["+tls", pki.serverKey, pki.serverCert, "-pw", "+cf", pki.caCert, "-ic", profile, "-aet", "DCMTKSCP",
                                      "-od", dir, String(port)], name: "storescp")
            if await Self.waitForPort(port, of: scp) {
                started = (scp, port)
            } else {
                lastOutput = scp.text
                scp.stop()
            }
        }
        let (scp, port) = try #require(started, "storescp \(profile) did not start: \(lastOutput.suffix(1000))")
        defer { scp.stop() }
        let report = try await Self.probe(port, profile == "--profile-null" ? ["--aet", "PROBE", "--call", "DCMTKSCP"] : [])
        for (section, expected) in expectations {
            #expect(report.satisfied(section) == expected, "\(profile) \(section): \(report.profiles)")
        }
        if profile == "--profile-aes" { #expect(report.suites("TLS 1.0").contains("AES128-SHA")) }
        if profile == "--profile-null" {
            #expect(report.suites("TLS 1.0") == ["NULL-SHA"])
            #expect(report.echo?.ok == true, "\(String(describing: report.echo))")
        }
    }
}
