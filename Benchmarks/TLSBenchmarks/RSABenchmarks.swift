import CryptoPrimitives
import Foundation
import X509

// RSA private and public operations per second (issue 3), compared with
// `openssl speed -seconds 1 rsa2048 rsa4096` run in the same process afterwards.

/// The RSA key sizes measured.
private let rsaBenchmarkSizes = [2048, 4096]

/// Fixed keys, generated deterministically once (so every run measures the same keys).
private let rsaBenchmarkKeys: [Int: RSAPrivateKey] = {
    var keys: [Int: RSAPrivateKey] = [:]
    for bits in rsaBenchmarkSizes {
        // Fixed sizes and seeds: generation cannot fail here (a failure is a bug worth a crash).
        keys[bits] = try! RSAPrivateKey.generate(bits: bits, random: DeterministicRandom(seed: UInt64(bits)))
    }
    return keys
}()

/// Name of our case for an operation and size, e.g. "RSA-2048 sign (private)".
func rsaCaseName(_ bits: Int, _ operation: String) -> String {
    "RSA-\(bits) \(operation)"
}

/// Our RSA cases: PKCS#1 v1.5 SHA-256 sign (private op with blinding, CRT, powm_sec and
/// the public-key check), verify (public op), and the TLS premaster decryption.
func rsaCases() -> [BenchmarkCase] {
    var cases: [BenchmarkCase] = []
    for bits in rsaBenchmarkSizes {
        guard let key = rsaBenchmarkKeys[bits] else { continue }
        let digest = SHA256.hash(Array("benchmark".utf8))
        let signature = (try? key.signPKCS1v15(digestAlgorithm: .sha256, digest: digest)) ?? []
        let premaster: [UInt8] = [3, 1] + [UInt8](repeating: 0x42, count: 46)
        let ciphertext = (try? key.publicKey.encryptPKCS1v15(premaster, random: SystemRandom())) ?? []
        let random = SystemRandom()
        cases.append(BenchmarkCase(group: "rsa", name: rsaCaseName(bits, "sign (private)"), bytesPerOperation: 0) { n in
            for _ in 0..<n { blackHole(try? key.signPKCS1v15(digestAlgorithm: .sha256, digest: digest)) }
        })
        cases.append(BenchmarkCase(group: "rsa", name: rsaCaseName(bits, "verify (public)"), bytesPerOperation: 0) { n in
            for _ in 0..<n {
                blackHole(key.publicKey.verifyPKCS1v15(signature: signature, digestAlgorithm: .sha256, digest: digest))
            }
        })
        cases.append(BenchmarkCase(group: "rsa", name: rsaCaseName(bits, "TLS premaster decrypt"), bytesPerOperation: 0) { n in
            for _ in 0..<n { blackHole(key.decryptPremasterTLS(ciphertext, expectedVersion: (3, 1), random: random)) }
        })
    }
    return cases
}

/// Runs `openssl speed` and prints our RSA figures as a ratio to it; nil when no RSA
/// case was measured. When openssl cannot be launched the figures are printed without ratio.
func rsaSpeedComparison(_ results: [BenchmarkResult]) -> String? {
    let ours = Dictionary(results.filter { $0.group == "rsa" }.map { ($0.name, $0.operationsPerSecond) },
                          uniquingKeysWith: { a, _ in a })
    guard !ours.isEmpty else { return nil }
    let speed = opensslRSASpeed()
    var lines = ["", "== rsa vs `openssl speed -seconds 1 rsa2048 rsa4096` (same run)" + (speed == nil ? ": openssl not available, no ratio" : ""),
                 pad("operation", 34) + pad("ours ops/s", 13, left: true) + pad("openssl ops/s", 15, left: true) + pad("ratio", 8, left: true)]
    for bits in rsaBenchmarkSizes {
        for (operation, index) in [("sign (private)", 0), ("verify (public)", 1), ("TLS premaster decrypt", 0)] {
            guard let mine = ours[rsaCaseName(bits, operation)] else { continue }
            let theirs = speed?[bits].map { index == 0 ? $0.sign : $0.verify }
            lines.append(pad(rsaCaseName(bits, operation), 34) + pad(format(mine, 0), 13, left: true)
                + pad(theirs.map { format($0, 0) } ?? "-", 15, left: true)
                + pad(theirs.map { format(mine / $0, 3) } ?? "-", 8, left: true))
        }
    }
    return lines.joined(separator: "\n")
}

/// Sign/s and verify/s per key size from `openssl speed`, or nil when it cannot run.
private func opensslRSASpeed() -> [Int: (sign: Double, verify: Double)]? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
    process.arguments = ["speed", "-seconds", "1", "rsa2048", "rsa4096"]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    // Lines like: "rsa 2048 bits 0.000656s 0.000019s   1524.4  52406.1"
    var table: [Int: (sign: Double, verify: Double)] = [:]
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
        let fields = line.split(separator: " ")
        guard fields.count >= 7, fields[0] == "rsa", fields[2] == "bits", let bits = Int(fields[1]),
              let sign = Double(fields[5]), let verify = Double(fields[6]) else { continue }
        table[bits] = (sign, verify)
    }
    return table.isEmpty ? nil : table
}
