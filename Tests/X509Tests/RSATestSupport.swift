import CryptoPrimitives
import Foundation
import TestSupport
@testable import X509

/// Helpers for the RSA, PEM and key tests: vector-file models, hashing by name, and a
/// bounded subprocess runner for the openssl CLI.
enum RSATestSupport {
    /// The digest algorithm and hash of `message` for a vector file's hash name
    /// (`SHA-256`, `SHA256`, `sha256`…). SHA-1 and SHA-256 use CryptoPrimitives; the
    /// SHA-2 variants we do not implement are computed by the openssl CLI in one batch.
    static func digests(hashName: String, messages: [[UInt8]]) throws -> (DigestAlgorithm, [[UInt8]]) {
        let key = hashName.uppercased().replacingOccurrences(of: "-", with: "")
        switch key {
        case "SHA1": return (.sha1, messages.map { SHA1.hash($0) })
        case "SHA256": return (.sha256, messages.map { SHA256.hash($0) })
        case "MD5": return (.md5, messages.map { MD5.hash($0) })
        case "SHA224": return (.sha224, try opensslDigests("sha224", messages))
        case "SHA384": return (.sha384, try opensslDigests("sha384", messages))
        case "SHA512": return (.sha512, try opensslDigests("sha512", messages))
        default: throw Vectors.LoadError("unknown hash \(hashName)")
        }
    }

    /// Hashes many messages with one `openssl dgst -r` call.
    static func opensslDigests(_ algorithm: String, _ messages: [[UInt8]]) throws -> [[UInt8]] {
        if messages.isEmpty { return [] }
        let dir = try TempDirectory()
        var paths: [String] = []
        for (i, m) in messages.enumerated() {
            let path = dir.path("m\(i)")
            try Data(m).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        let result = try Subprocess.run("/usr/bin/openssl", ["dgst", "-\(algorithm)", "-r"] + paths)
        guard result.status == 0 else { throw Vectors.LoadError("openssl dgst failed: \(result.stderr)") }
        let lines = result.stdout.split(separator: "\n")
        guard lines.count == messages.count else { throw Vectors.LoadError("openssl dgst gave \(lines.count) lines") }
        return lines.map { Hex.decode(String($0.split(separator: " ")[0])) }
    }
}

/// A temporary directory removed when the value is released.
final class TempDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("x509tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Runs a program with a time limit; the child is killed by PID if it overruns.
enum Subprocess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutData: Data
    }

    static func run(_ executable: String, _ arguments: [String], stdin: Data? = nil,
                    timeout: TimeInterval = 60) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        try process.run()
        let pid = process.processIdentifier
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try? input.fileHandleForWriting.close()
        // Drain both pipes concurrently so a chatty child cannot block on a full pipe.
        let collected = Mutex2()
        let group = DispatchGroup()
        for (i, pipe) in [out, err].enumerated() {
            group.enter()
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                collected.set(i, data)
                group.leave()
            }
        }
        if done.wait(timeout: .now() + timeout) == .timedOut {
            kill(pid, SIGKILL)
            _ = done.wait(timeout: .now() + 5)
            throw Vectors.LoadError("\(executable) \(arguments.joined(separator: " ")) timed out after \(timeout) s")
        }
        _ = group.wait(timeout: .now() + 10)
        let o = collected.get(0), e = collected.get(1)
        return Result(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self), stdoutData: o)
    }

    /// Runs the openssl CLI (60 s limit); throws with its stderr when it fails.
    @discardableResult
    static func openssl(_ args: [String], stdin: Data? = nil) throws -> Result {
        let r = try run("/usr/bin/openssl", args, stdin: stdin, timeout: 60)
        guard r.status == 0 else {
            throw Vectors.LoadError("openssl \(args.joined(separator: " ")) failed (\(r.status)): \(r.stderr)")
        }
        return r
    }

    /// Two data slots shared between the reader threads.
    final class Mutex2: @unchecked Sendable {
        // @unchecked: every access goes through `lock`.
        private let lock = NSLock()
        private var slots = [Data(), Data()]
        func set(_ i: Int, _ d: Data) { lock.lock(); slots[i] = d; lock.unlock() }
        func get(_ i: Int) -> Data { lock.lock(); defer { lock.unlock() }; return slots[i] }
    }
}

// MARK: Wycheproof models

/// A Wycheproof RSA file (decrypt, verify, or generate; v0 and v1 layouts).
struct WycheproofRSAFile: Decodable {
    var numberOfTests: Int
    var testGroups: [Group]

    struct Group: Decodable {
        var sha: String?
        var privateKey: PrivateKey?
        var publicKey: PublicKey?
        var n: String?
        var e: String?
        var privateKeyPem: String?
        var privateKeyPkcs8: String?
        var publicKeyDer: String?
        var publicKeyAsn: String?
        var publicKeyPem: String?
        var keyDer: String?
        var keyAsn: String?
        var keyPem: String?
        var tests: [Case]
    }

    struct PrivateKey: Decodable {
        var modulus: String
        var publicExponent: String
        var privateExponent: String
        var prime1: String?
        var prime2: String?
        var exponent1: String?
        var exponent2: String?
        var coefficient: String?

        /// The key; the sig-gen files give only n, e and d, so the primes are recovered.
        func key() throws -> RSAPrivateKey {
            guard let prime1, let prime2, let exponent1, let exponent2, let coefficient else {
                return try RSAPrivateKey(modulus: Hex.decode(modulus), publicExponent: Hex.decode(publicExponent),
                                         privateExponent: Hex.decode(privateExponent))
            }
            return try RSAPrivateKey(
                modulus: Hex.decode(modulus), publicExponent: Hex.decode(publicExponent),
                privateExponent: Hex.decode(privateExponent), prime1: Hex.decode(prime1), prime2: Hex.decode(prime2),
                exponent1: Hex.decode(exponent1), exponent2: Hex.decode(exponent2), coefficient: Hex.decode(coefficient))
        }
    }

    struct PublicKey: Decodable {
        var modulus: String
        var publicExponent: String
    }

    struct Case: Decodable {
        var tcId: Int
        var comment: String
        var msg: String
        var ct: String?
        var sig: String?
        var result: String
        var flags: [String]?
    }

    static func load(_ name: String) throws -> WycheproofRSAFile {
        let file = try Vectors.json(WycheproofRSAFile.self, "rsa/wycheproof/\(name)")
        let count = file.testGroups.reduce(0) { $0 + $1.tests.count }
        guard count == file.numberOfTests, count > 0 else {
            throw Vectors.LoadError("\(name): \(count) tests but numberOfTests = \(file.numberOfTests)")
        }
        return file
    }
}

// MARK: RSA Labs models

/// One key of the RSA Labs PKCS#1 v1.5 example files, with its examples.
struct RSALabsKey {
    var fields: [String: [UInt8]] = [:]
    /// (message, signature) or (message, seed, ciphertext) per example.
    var examples: [[String: [UInt8]]] = []

    func privateKey() throws -> RSAPrivateKey {
        func f(_ k: String) -> [UInt8] { fields[k] ?? [] }
        return try RSAPrivateKey(
            modulus: f("Modulus"), publicExponent: f("Public exponent"), privateExponent: f("Exponent"),
            prime1: f("Prime 1"), prime2: f("Prime 2"), exponent1: f("Prime exponent 1"),
            exponent2: f("Prime exponent 2"), coefficient: f("Coefficient"))
    }

    /// Parses the `# Label:` + hex-lines layout of `pkcs1v15sign-vectors.txt` and
    /// `pkcs1v15crypt-vectors.txt`.
    static func parse(_ text: String) -> [RSALabsKey] {
        var items: [(String, [UInt8])] = []
        var label: String?
        var hex = ""
        func flush() {
            if let l = label { items.append((l, Hex.decode(hex))) }
            label = nil
            hex = ""
        }
        for raw in text.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("#") || line.hasPrefix("=") {
                flush()
                let body = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
                if body.hasSuffix(":") { label = String(body.dropLast()) }
            } else if label != nil {
                hex += line + " "
            }
        }
        flush()
        var keys: [RSALabsKey] = []
        var current = RSALabsKey()
        var inPrivate = false
        var example: [String: [UInt8]] = [:]
        for (l, v) in items {
            switch l {
            case "Modulus":
                if inPrivate || current.fields["Modulus"] == nil {
                    if current.fields["Modulus"] != nil { keys.append(current) }
                    current = RSALabsKey()
                    inPrivate = false
                } else {
                    inPrivate = true
                }
                current.fields[l] = v
            case "Exponent":
                current.fields[inPrivate ? "Exponent" : "Public exponent"] = v
            case "Message to be signed", "Message":
                if !example.isEmpty { current.examples.append(example) }
                example = ["Message": v]
            case "Signature", "Seed", "Encryption":
                example[l] = v
                if l != "Seed" { current.examples.append(example); example = [:] }
            default:
                current.fields[l] = v
            }
        }
        if current.fields["Modulus"] != nil { keys.append(current) }
        return keys
    }
}
