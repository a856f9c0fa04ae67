import CryptoPrimitives
import DicomUL
import Foundation
import TLSHandshake
import X509

// DICOM over TLS (PS3.15 Annex B) on loopback with an in-process storage SCP per suite.
//
// Ceilings, measured in the same run, are the same work without DICOM over TLS run one after
// the other (the harness adds their times):
// - C-ECHO association over TLS: the in-memory handshake pair (full or resumed, from the
//   handshake cases) plus the raw TCP echo exchange of the plain DICOM cases.
// - C-STORE 50 x 1 MB over TLS: the raw TCP file copy of the same 50 data sets plus the
//   record layer's in-memory round trip (seal and open, 16 KB records) over the same bytes.
//   Sender and receiver run on two threads, so on two idle cores the ratio can pass 1.
// The server authenticates itself only, as in the handshake cases it is compared with.

/// The SCPs over TLS (one per suite) and the client configurations.
final class DicomTLSBenchEnvironment: @unchecked Sendable {  // immutable after init
    let tripleDES: DicomServer
    let nullSHA: DicomServer
    let aes128: DicomServer
    let client3DES: TLSConfiguration
    let clientNull: TLSConfiguration
    let clientAES128: TLSConfiguration

    init() throws {
        let (ca, leaf, key) = try Self.identity()
        let roots = TrustStore([ca])
        func server(_ suite: CipherSuite, _ name: String) throws -> DicomServer {
            let out = NSTemporaryDirectory() + "dicom-tls-bench-\(getpid())-\(name)"
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let tls = try TLSConfiguration.server(certificateChain: [leaf], privateKey: key, cipherSuites: [suite])
            let s = try DicomServer(try DicomServerConfiguration(
                port: 0, outputDirectory: out, aeTitle: "BENCH", host: "127.0.0.1", security: .tls(tls)))
            s.start()
            return s
        }
        tripleDES = try server(.rsaWith3DESEDECBCSHA, "3des")
        nullSHA = try server(.rsaWithNullSHA, "null")
        aes128 = try server(.rsaWithAES128CBCSHA, "aes128")
        // No 1/n-1 splitting: the record round trip it is compared with does not split.
        client3DES = try TLSConfiguration.client(trustRoots: roots, cipherSuites: [.rsaWith3DESEDECBCSHA], options: [])
        clientNull = try TLSConfiguration.client(trustRoots: roots, cipherSuites: [.rsaWithNullSHA], options: [])
        clientAES128 = try TLSConfiguration.client(trustRoots: roots, cipherSuites: [.rsaWithAES128CBCSHA], options: [])
    }

    static let shared: DicomTLSBenchEnvironment? = {
        do { return try DicomTLSBenchEnvironment() } catch {
            FileHandle.standardError.write(Data("note: DICOM TLS benchmarks skipped: \(error)\n".utf8))
            return nil
        }
    }()

    /// A client of the SCP for `label` ("3DES", "NULL-SHA", "AES-128"); `cache` makes it
    /// resume sessions.
    func client(_ label: String, cache: TLSSessionCache? = nil) -> DicomClient? {
        let (server, configuration) =
            switch label {
            case "NULL-SHA": (nullSHA, clientNull)
            case "AES-128": (aes128, clientAES128)
            default: (tripleDES, client3DES)
            }
        let options = SecureTransportOptions(sessionCache: cache, serverName: "localhost")
        return (try? DicomClientConfiguration(
            host: "127.0.0.1", port: server.port, callingAETitle: "BENCHSCU", calledAETitle: "BENCH",
            security: .tls(configuration, options))).map(DicomClient.init)
    }

    /// An RSA-2048 CA and a server certificate for localhost (deterministic keys).
    static func identity() throws -> (Certificate, Certificate, RSAPrivateKey) {
        let caKey = try RSAPrivateKey.generate(bits: 2048, random: DeterministicRandom(seed: 21))
        let serverKey = try RSAPrivateKey.generate(bits: 2048, random: DeterministicRandom(seed: 22))
        guard let notBefore = ASN1Time(year: 2020, month: 1, day: 1), let notAfter = ASN1Time(year: 2040, month: 1, day: 1)
        else { throw DicomError(.invalidConfiguration, "bad validity") }
        let validity = Validity(notBefore: notBefore, notAfter: notAfter)
        let ca = try CertificateBuilder.certificateAuthority(
            subject: DistinguishedName([.commonName("DICOM TLS Bench CA")]), publicKey: caKey.publicKey, serialNumber: [1],
            validity: validity
        ).selfSigned(with: caKey)
        let leaf = try CertificateBuilder.tlsServer(
            subject: DistinguishedName([.commonName("localhost")]), publicKey: serverKey.publicKey, serialNumber: [2],
            validity: validity, dnsNames: ["localhost"]
        ).signed(by: ca, key: caKey)
        return (ca, leaf, serverKey)
    }
}

func dicomTLSCases() -> [BenchmarkCase] {
    let bytes = DicomBenchEnvironment.fileCount * DicomObjectGenerator.secondaryCapture(rows: 1024, columns: 1024).dataSet.count
    let rawEcho = "raw echo exchange (TCP)"
    let rawStore = "raw file copy 50 x 1 MB (TCP)"
    var cases: [BenchmarkCase] = []

    func echo(_ name: String, handshake: String, cached: Bool) -> BenchmarkCase {
        BenchmarkCase(group: "dicom-tls", name: name, bytesPerOperation: 0, baselines: [handshake, rawEcho]) { n in
            guard let env = DicomTLSBenchEnvironment.shared,
                let client = env.client("3DES", cache: cached ? TLSSessionCache() : nil)
            else { return }
            for _ in 0..<n {
                guard (try? client.echo()) == .success else {
                    FileHandle.standardError.write(Data("C-ECHO over TLS failed\n".utf8))
                    return
                }
            }
        }
    }
    cases.append(echo("C-ECHO association, TLS full handshake (3DES)", handshake: "full handshake RSA-2048 (client+server)", cached: false))
    cases.append(echo("C-ECHO association, TLS resumed handshake (3DES)", handshake: "resumed handshake (client+server)", cached: true))

    // The record layer's in-memory round trip of 16 KB records, scaled to the 50 files' bytes.
    let records = (bytes + 16383) / 16384
    let recordCasesByName = Dictionary(recordCases().map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    for label in ["NULL-SHA", "AES-128", "3DES"] {
        guard let roundTrip = recordCasesByName["\(label) record round trip \(sizeLabel(16384))"] else {
            FileHandle.standardError.write(Data("note: no \(label) record round trip case; DICOM TLS store ratio skipped\n".utf8))
            continue
        }
        let ceiling = "\(label) record round trip, 50 x 1 MB in 16 KB records (memory)"
        cases.append(BenchmarkCase(group: "dicom-tls", name: ceiling, bytesPerOperation: bytes) { n in
            roundTrip.operation(n * records)
        })
        cases.append(BenchmarkCase(
            group: "dicom-tls", name: "C-STORE 50 x 1 MB (TLS \(label))", bytesPerOperation: bytes, baselines: [rawStore, ceiling]
        ) { n in
            guard let files = DicomBenchEnvironment.shared?.files, let client = DicomTLSBenchEnvironment.shared?.client(label)
            else { return }
            for _ in 0..<n {
                guard let s = try? client.store(files: files), s.failures.isEmpty else {
                    FileHandle.standardError.write(Data("C-STORE over TLS \(label) failed\n".utf8))
                    return
                }
            }
        })
    }
    return cases
}
