import ArgumentParser
import Foundation
import TLSHandshake
import TLSRecord
import X509

extension TLSCommandOptions {
    /// Loads the files named by the flags and builds a validated configuration for `role`.
    ///
    /// Every failure names the file and the cause (the customer's `StartUp` + `SSLSuccess`).
    func makeConfiguration(role: ConnectionEnd) throws -> TLSConfiguration {
        var chain = try certificateFile.map { try TLSConfiguration.certificates(pemFile: $0) } ?? []
        var key = try keyFile.map { try TLSConfiguration.privateKey(pemFile: $0, password: passwordCallback(for: $0)) }
        if let pkcs12File {
            (chain, key) = try TLSConfiguration.identity(pkcs12File: pkcs12File, password: passwordCallback(for: pkcs12File))
        }
        if let key, let leaf = chain.first { try TLSConfiguration.checkKey(key, matches: leaf) }
        let additional = try zip(certificateFiles, keyFiles).dropFirst().map { certFile, keyFile in
            let identity = CertifiedKey(
                certificateChain: try TLSConfiguration.certificates(pemFile: certFile),
                privateKey: try TLSConfiguration.privateKey(pemFile: keyFile, password: passwordCallback(for: keyFile)))
            if let key = identity.privateKey as? RSAPrivateKey, let leaf = identity.certificateChain.first {
                try TLSConfiguration.checkKey(key, matches: leaf)
            }
            return identity
        }
        if role == .client, !additional.isEmpty { throw ValidationError("a client takes one --cert and --key") }
        let roots = try caFile.map { path in
            var isDirectory: ObjCBool = false
            let folder = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            return try folder ? TLSConfiguration.trustRoots(directory: path) : TLSConfiguration.trustRoots(pemFile: path)
        }
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
            guard let key else { throw ValidationError("tls-server needs --cert and --key, or --pkcs12") }
            configuration = try TLSConfiguration.server(
                certificateChain: chain, privateKey: key, trustRoots: roots, verification: verification,
                verifyDepth: verifyDepth, cipherSuites: suites, options: options)
        } else {
            configuration = try TLSConfiguration.client(
                certificateChain: chain, privateKey: key, trustRoots: roots, verification: verification,
                verifyDepth: verifyDepth, cipherSuites: suites, options: options)
        }
        configuration.additionalIdentities = additional
        configuration.applicationProtocols = alpnNames ?? []
        try configuration.prepare()  // validated once, not per connection
        if !crlFiles.isEmpty {
            guard verification != .noneInsecure else {
                throw ValidationError("--crl-file needs peer verification: add --verify peer or --verify require")
            }
            var crls: [CertificateRevocationList] = []
            for file in crlFiles {
                do {
                    crls += try CertificateRevocationList.load(contentsOfFile: file)
                } catch {
                    throw ConfigurationError("--crl-file \(file): \(error)")
                }
            }
            configuration.revocation = RevocationPolicy(crls: crls, scope: crlCheck, staleCRL: crlStale, onWarning: { line in
                FileHandle.standardError.write(Data("warning: \(line)\n".utf8))
            })
        }
        if let keylog { configuration.keyLog = try KeyLogFile(path: keylog).append }
        return configuration
    }

    /// `--ciphers` as suites, or the default (AES-128, AES-256, 3DES; DES and NULL only when named).
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

    /// The password callback for an encrypted `--key` or a `--pkcs12` file: the first line of
    /// `--key-password-file`. It is called only when the key or file is encrypted.
    func passwordCallback(for keyPath: String) -> TLSConfiguration.PasswordCallback {
        let passwordFile = keyPasswordFile
        return {
            guard let passwordFile else {
                throw ConfigurationError("\(keyPath) is encrypted: give its password with --key-password-file")
            }
            let text: String
            do {
                text = try String(contentsOfFile: passwordFile, encoding: .utf8)
            } catch {
                throw ConfigurationError("--key-password-file \(passwordFile): cannot read the file")
            }
            let line = text.split(separator: "\n", omittingEmptySubsequences: false).first ?? ""
            return String(line.hasSuffix("\r") ? line.dropLast() : line)
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
