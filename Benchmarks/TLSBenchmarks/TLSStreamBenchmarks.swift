import CryptoPrimitives
import Foundation
import Synchronization
import TLSHandshake
import TLSSockets
import X509

/// Bulk throughput through `BlockingTLSStream` over loopback TCP (issue 5): our client
/// writes 16 KB application-data chunks to our server on another thread, which reads and
/// discards them. One operation is one chunk, counted as done only when the server has
/// read it. The ratio is to the record layer's in-memory round trip of the same suite and
/// size (seal and open on one thread, no socket): it shows what the socket, the kernel
/// copies and the engine's buffering cost. Sender and receiver run on separate threads
/// here, so on two idle cores the ratio can exceed 1.
func tlsStreamCases() -> [BenchmarkCase] {
    let size = 16384
    var cases: [BenchmarkCase] = []
    for (suite, label) in [(CipherSuite.rsaWith3DESEDECBCSHA, "3DES"), (.rsaWithNullSHA, "NULL-SHA")] {
        do {
            let pipe = try StreamPipe(suite: suite)
            let chunk = [UInt8](repeating: 0x5A, count: size)
            cases.append(
                BenchmarkCase(
                    group: "stream", name: "\(label) socket stream \(sizeLabel(size))", bytesPerOperation: size,
                    baselines: ["\(label) record round trip \(sizeLabel(size))"]
                ) { n in pipe.send(chunk, times: n) })
        } catch {
            FileHandle.standardError.write(Data("stream benchmark \(label): cannot set up: \(error)\n".utf8))
        }
    }
    return cases
}

/// A connected client stream and a server thread that reads and counts everything.
private final class StreamPipe {
    private let client: BlockingTLSStream
    private let received = Counter()
    private var sent = 0

    private final class Counter: Sendable {
        let bytes = Atomic<Int>(0)
        let failed = Atomic<Bool>(false)
    }

    init(suite: CipherSuite) throws {
        let (serverConfiguration, clientConfiguration) = try BenchmarkIdentity.configurations(suite: suite)
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let received = self.received
        Thread {
            defer { listener.close() }
            guard let socket = try? listener.accept(timeout: .seconds(10)),
                let stream = try? BlockingTLSStream(server: socket, configuration: serverConfiguration)
            else {
                received.failed.store(true, ordering: .releasing)
                return
            }
            while let data = try? stream.read(maxCount: 1 << 16), !data.isEmpty {
                received.bytes.add(data.count, ordering: .releasing)
            }
            try? stream.close()
        }.start()
        client = try BlockingTLSStream.connect(
            host: "127.0.0.1", port: listener.port, configuration: clientConfiguration, serverName: "localhost",
            timeout: .seconds(10))
    }

    deinit { try? client.close() }

    /// Writes `chunk` `times` times and waits until the server has read all of it.
    func send(_ chunk: [UInt8], times: Int) {
        for _ in 0..<times {
            do {
                try client.write(chunk)
            } catch {
                FileHandle.standardError.write(Data("stream benchmark: write failed: \(error)\n".utf8))
                return
            }
        }
        sent += chunk.count * times
        while received.bytes.load(ordering: .acquiring) < sent && !received.failed.load(ordering: .acquiring) {
            sched_yield()
        }
    }
}

/// The benchmark PKI, shared by the stream and server cases (and made the same, from fixed
/// seeds, in a server child process).
enum BenchmarkIdentity {
    /// Server and client configurations for one suite, with no 1/n-1 splitting (the record
    /// round trip it is compared with does not split either).
    static func configurations(suite: CipherSuite) throws -> (server: TLSConfiguration, client: TLSConfiguration) {
        let (ca, leaf, serverKey) = try identity.get()
        let server = try TLSConfiguration.server(certificateChain: [leaf], privateKey: serverKey, cipherSuites: [suite])
        let client = try TLSConfiguration.client(trustRoots: TrustStore([ca]), cipherSuites: [suite], options: [])
        return (server, client)
    }

    /// An RSA-2048 CA and server certificate, made once for every case.
    static let identity = Result<(Certificate, Certificate, RSAPrivateKey), any Error> { () throws(any Error) in
        let caKey = try RSAPrivateKey.generate(bits: 2048, random: DeterministicRandom(seed: 11))
        let serverKey = try RSAPrivateKey.generate(bits: 2048, random: DeterministicRandom(seed: 12))
        guard let notBefore = ASN1Time(year: 2020, month: 1, day: 1), let notAfter = ASN1Time(year: 2040, month: 1, day: 1)
        else { throw StreamBenchmarkError() }
        let validity = Validity(notBefore: notBefore, notAfter: notAfter)
        let ca = try CertificateBuilder.certificateAuthority(
            subject: DistinguishedName([.commonName("Stream Bench CA")]), publicKey: caKey.publicKey, serialNumber: [1],
            validity: validity
        ).selfSigned(with: caKey)
        let leaf = try CertificateBuilder.tlsServer(
            subject: DistinguishedName([.commonName("localhost")]), publicKey: serverKey.publicKey, serialNumber: [2],
            validity: validity, dnsNames: ["localhost"]
        ).signed(by: ca, key: caKey)
        return (ca, leaf, serverKey)
    }
}

private struct StreamBenchmarkError: Error {}
