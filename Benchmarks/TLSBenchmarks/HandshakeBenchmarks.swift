import CryptoPrimitives
import Foundation
import TLSHandshake
import X509

/// Handshakes per second with client and server engines in one process (RSA-2048), and the
/// server engine's own cost per full handshake (issue 5).
func handshakeCases() -> [BenchmarkCase] {
    let fixture: HandshakeFixture
    do {
        fixture = try HandshakeFixture()
    } catch {
        FileHandle.standardError.write(Data("handshake benchmarks: cannot build the RSA-2048 fixture: \(error)\n".utf8))
        return []
    }
    reportServerCPU(fixture)
    return [
        BenchmarkCase(group: "handshake", name: "full handshake RSA-2048 (client+server)", bytesPerOperation: 0) { n in
            for _ in 0..<n { blackHole(fixture.handshake(resuming: nil)) }
        },
        BenchmarkCase(group: "handshake", name: "resumed handshake (client+server)", bytesPerOperation: 0) { n in
            for _ in 0..<n { blackHole(fixture.handshake(resuming: fixture.session)) }
        },
        BenchmarkCase(group: "handshake", name: "full handshake RSA-2048, server engine only", bytesPerOperation: 0) { n in
            for _ in 0..<n { blackHole(fixture.serverOnly()) }
        },
        BenchmarkCase(group: "handshake", name: "resumed handshake, server engine only", bytesPerOperation: 0) { n in
            for _ in 0..<n { blackHole(fixture.serverOnly(resumed: true)) }
        },
    ]
}

/// Prints the server engine's thread CPU time per full handshake (median of 15 batches of
/// 4) and per resumed handshake (median of 15 batches of 200), which, unlike wall time, is
/// not inflated by other processes on a shared machine.
private func reportServerCPU(_ fixture: HandshakeFixture) {
    func cpuSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
    func median(batch: Int, resumed: Bool) -> Double {
        var samples: [Double] = []
        for _ in 0..<15 {
            let t0 = cpuSeconds()
            for _ in 0..<batch { blackHole(fixture.serverOnly(resumed: resumed)) }
            samples.append((cpuSeconds() - t0) / Double(batch))
        }
        samples.sort()
        return samples[samples.count / 2]
    }
    let full = median(batch: 4, resumed: false) * 1000
    print("handshake: server CPU time per full handshake (RSA-2048, thread CPU, median): \(format(full, 3)) ms")
    let resumed = median(batch: 200, resumed: true) * 1e6
    print("handshake: server CPU time per resumed handshake (thread CPU, median): \(format(resumed, 1)) µs")
}

/// A CA, a server certificate with an RSA-2048 key, client and server configurations, a
/// cached session, and a recorded client flight for the server-only case.
private final class HandshakeFixture: Sendable {
    let client: TLSConfiguration
    let server: TLSConfiguration
    let session: TLSSession?
    let clientHello: [UInt8]
    let clientFinishFlight: [UInt8]
    let resumingClientHello: [UInt8]
    let resumingClientFinishFlight: [UInt8]

    init() throws {
        let caKey = try RSAPrivateKey.generate(bits: 2048, random: DeterministicRandom(seed: 1))
        let serverKey = try RSAPrivateKey.generate(bits: 2048, random: DeterministicRandom(seed: 2))
        guard let notBefore = ASN1Time(year: 2020, month: 1, day: 1), let notAfter = ASN1Time(year: 2040, month: 1, day: 1)
        else { throw FixtureError() }
        let validity = Validity(notBefore: notBefore, notAfter: notAfter)
        let ca = try CertificateBuilder.certificateAuthority(
            subject: DistinguishedName([.commonName("Bench CA")]), publicKey: caKey.publicKey, serialNumber: [1], validity: validity
        ).selfSigned(with: caKey)
        let leaf = try CertificateBuilder.tlsServer(
            subject: DistinguishedName([.commonName("localhost")]), publicKey: serverKey.publicKey, serialNumber: [2],
            validity: validity, dnsNames: ["localhost"]
        ).signed(by: ca, key: caKey)
        var s = try TLSConfiguration.server(certificateChain: [leaf], privateKey: serverKey, random: DeterministicRandom(seed: 3))
        s.currentTime = { 1_780_272_000 }
        var c = try TLSConfiguration.client(trustRoots: TrustStore([ca]), random: DeterministicRandom(seed: 4))
        c.currentTime = { 1_780_272_000 }
        client = c
        server = s

        var pair = Pair(client: try TLSConnection(client: c, serverName: "localhost"), server: try TLSConnection(server: s))
        pair.run()
        session = pair.client.session

        // Record a client's flights against a server whose randomness is fixed, so the
        // server-only case can replay them against fresh, identical servers.
        var fixedServer = s
        fixedServer.random = DeterministicRandom(seed: 5)
        var replayServer = try TLSConnection(server: fixedServer)
        var replayClient = try TLSConnection(client: c, serverName: "localhost")
        clientHello = replayClient.takeOutput()
        replayServer.receive(clientHello)
        _ = try replayServer.nextEvent()
        replayClient.receive(replayServer.takeOutput())
        _ = try replayClient.nextEvent()
        clientFinishFlight = replayClient.takeOutput()
        // The same for an abbreviated handshake resuming the cached session (a fresh random
        // source, as each server-only run starts one).
        fixedServer.random = DeterministicRandom(seed: 5)
        var resumingServer = try TLSConnection(server: fixedServer)
        var resumingClient = try TLSConnection(client: c, serverName: "localhost", resuming: session)
        resumingClientHello = resumingClient.takeOutput()
        resumingServer.receive(resumingClientHello)
        while (try resumingServer.nextEvent()) != nil {}
        resumingClient.receive(resumingServer.takeOutput())
        while (try resumingClient.nextEvent()) != nil {}
        resumingClientFinishFlight = resumingClient.takeOutput()
        // Every case must measure real, successful handshakes.
        guard session != nil else { throw FixtureError(step: "session") }
        guard handshake(resuming: nil), handshake(resuming: session) else { throw FixtureError(step: "handshakes") }
        guard serverOnly() else { throw FixtureError(step: "server-only full handshake") }
        guard serverOnly(resumed: true) else { throw FixtureError(step: "server-only resumed handshake") }
    }

    /// One complete handshake in memory; true on success.
    func handshake(resuming: TLSSession?) -> Bool {
        guard let c = try? TLSConnection(client: client, serverName: "localhost", resuming: resuming),
            let s = try? TLSConnection(server: server)
        else { return false }
        var pair = Pair(client: c, server: s)
        pair.run()
        return pair.client.isHandshakeComplete && pair.server.isHandshakeComplete
    }

    /// The server engine's work alone for one full handshake: ClientHello in, its flight
    /// out, the client's key exchange and Finished in (RSA-2048 decryption), its Finished out.
    /// Resumed: ClientHello in, ServerHello, ChangeCipherSpec and Finished out, the client's
    /// ChangeCipherSpec and Finished in.
    func serverOnly(resumed: Bool = false) -> Bool {
        var config = server
        config.random = DeterministicRandom(seed: 5)
        guard var s = try? TLSConnection(server: config) else { return false }
        s.receive(resumed ? resumingClientHello : clientHello)
        _ = try? s.nextEvent()
        _ = s.takeOutput()
        s.receive(resumed ? resumingClientFinishFlight : clientFinishFlight)
        let done = (try? s.nextEvent()).flatMap { $0 } != nil
        _ = s.takeOutput()
        return done && s.isHandshakeComplete
    }
}

private struct FixtureError: Error {
    var step = "certificates"
}

/// Shuttles bytes between two engines until both are quiet.
private struct Pair {
    var client: TLSConnection
    var server: TLSConnection

    mutating func run() {
        for _ in 0..<20 {
            let up = client.takeOutput()
            if !up.isEmpty { server.receive(up) }
            while (try? server.nextEvent()) != nil {}
            let down = server.takeOutput()
            if !down.isEmpty { client.receive(down) }
            while (try? client.nextEvent()) != nil {}
            if up.isEmpty && down.isEmpty { return }
        }
    }
}
