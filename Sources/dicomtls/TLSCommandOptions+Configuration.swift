import ArgumentParser
import Foundation
import Synchronization
import TLSHandshake
import TLSRecord
import X509

extension TLSCommandOptions {
    /// Loads the files named by the flags and builds a validated configuration for `role`.
    ///
    /// Every failure names the file and the cause (the customer's `StartUp` + `SSLSuccess`).
    func makeConfiguration(role: ConnectionEnd) throws -> TLSConfiguration {
        let chain = try certificateFile.map { try Self.loadCertificates($0, what: "--cert") } ?? []
        let key = try keyFile.map { try loadPrivateKey($0) }
        let roots = try caFile.map { TrustStore(try Self.loadCertificates($0, what: "--ca-file")) }
        let suites = try cipherSuites()
        let verification: CertificateVerification =
            switch verify ?? (role == .client ? .peer : .none) {
            case .none: .noneInsecure
            case .peer: .peer
            case .require: .requirePeerCertificate
            }
        var options: TLSOptions = []
        if splitRecords ?? (role == .client ? .on : .off) == .on { options.insert(.recordSplitting) }
        if compression == .deflate { options.insert(.deflateCompression) }
        var configuration: TLSConfiguration
        if role == .server {
            guard let key else { throw ValidationError("tls-server needs --cert and --key") }
            configuration = try TLSConfiguration.server(
                certificateChain: chain, privateKey: key, trustRoots: roots, verification: verification,
                verifyDepth: verifyDepth, cipherSuites: suites, options: options)
        } else {
            configuration = try TLSConfiguration.client(
                certificateChain: chain, privateKey: key, trustRoots: roots, verification: verification,
                verifyDepth: verifyDepth, cipherSuites: suites, options: options)
        }
        if let keylog { configuration.keyLog = try KeyLogFile(path: keylog).append }
        return configuration
    }

    /// `--ciphers` as suites, or the defaults (3DES, then DES; never NULL unless named).
    func cipherSuites() throws -> [CipherSuite] {
        guard let names = cipherNames else { return CipherSuite.defaults }
        return try names.map { name in
            guard let suite = CipherSuite(name: name) else {
                let known = CipherSuite.all.map(\.name).joined(separator: ", ")
                throw ValidationError("unknown cipher suite '\(name)' in --ciphers; known: \(known)")
            }
            return suite
        }
    }

    /// Every `CERTIFICATE` block of a PEM file.
    static func loadCertificates(_ path: String, what: String) throws -> [Certificate] {
        let text = try readText(path, what: what)
        do {
            let certificates = try PEMDocument.parseAll(text).filter { $0.label == "CERTIFICATE" }
                .map { document throws(X509Error) in try Certificate(derEncoded: document.derBytes) }
            guard !certificates.isEmpty else { throw ConfigurationError("\(what) \(path): no CERTIFICATE block") }
            return certificates
        } catch let error as X509Error {
            throw ConfigurationError("\(what) \(path): \(error.message)")
        }
    }

    /// The private key, asking the password file only if the key is encrypted.
    func loadPrivateKey(_ path: String) throws -> RSAPrivateKey {
        let text = try Self.readText(path, what: "--key")
        let passwordFile = keyPasswordFile
        do {
            return try RSAPrivateKey(pemEncoded: text) {
                guard let passwordFile else {
                    throw ConfigurationError("--key \(path) is encrypted: give its password with --key-password-file")
                }
                let line = try Self.readText(passwordFile, what: "--key-password-file")
                    .split(separator: "\n", omittingEmptySubsequences: false).first ?? ""
                return String(line.hasSuffix("\r") ? line.dropLast() : line)
            }
        } catch {
            throw ConfigurationError("--key \(path): \(error.message)")
        }
    }

    static func readText(_ path: String, what: String) throws -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError("\(what) \(path): cannot read the file (\(error.localizedDescription))")
        }
    }
}

/// A problem with the files or flags, reported as one line.
struct ConfigurationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// An `SSLKEYLOGFILE`: one line per handshake appended with `O_APPEND`, so concurrent
/// connections never interleave within a line.
final class KeyLogFile: Sendable {
    private let descriptor: Int32

    init(path: String) throws {
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ConfigurationError("--keylog \(path): cannot open the file for appending") }
    }

    deinit { close(descriptor) }

    @Sendable func append(_ line: String) {
        let bytes = Array((line.hasSuffix("\n") ? line : line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}
