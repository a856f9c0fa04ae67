import ArgumentParser
import DicomNIO
import DicomUL
import Foundation
import Logging
import TLSSockets

extension StoreSCP {
    /// `storescp` (without `--blocking`): the same service on ``DicomAsyncServer`` (SwiftNIO), the folder
    /// storage as its store handler; same flags, banner, log lines and signal handling.
    func runAsync(port: UInt16, security: DicomSecurity, timeouts: DicomTimeouts, print: @escaping @Sendable (String) -> Void) throws {
        let storage: FolderStorageHandler
        do {
            storage = try FolderStorageHandler(
                directory: outputDir, existingFiles: ExistingFilePolicy(rawValue: existingFiles) ?? .keepBoth,
                maximumObjectSize: maxObjectSize, minimumFreeSpace: minFreeSpace)
        } catch {
            throw CLIFailure("storescp: \(error.message)")
        }
        var logger = Logger(label: "storescp") { _ in LineLogHandler(print: print) }
        logger.logLevel = verbose ? .info : .critical
        var configuration = DicomAsyncServerConfiguration(
            host: listenHost, port: Int(port), security: security, timeouts: timeouts, maximumReceivePDULength: maxPDU,
            maximumAssociations: maxAssociations,
            admission: AdmissionLimits(maximumPending: maxPending, maximumPendingPerAddress: maxPendingPerAddress),
            services: DicomServices(store: storage), logger: logger)
        configuration.alerts = { CommandLineTool.log("storescp: " + $0) }
        var policy = AcceptancePolicy.storageSCP(aeTitle: requireAET ? aet : nil)
        if !allowCalling.isEmpty { policy.allowedCallingAETitles = Set(allowCalling) }
        configuration.acceptance = { [policy] proposal in proposal.answer(using: policy) }
        if !bindAE.isEmpty || bindAEURI {
            var table: [String: [CertificateAEBinding.Identity]] = [:]
            for entry in bindAE {
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                let identity = CertificateAEBinding.Identity.fingerprint(hex: parts[1]) ?? .subject(parts[1])
                table[parts[0], default: []].append(identity)
            }
            configuration.certificateBinding = CertificateAEBinding(table: table, acceptsAETitleURI: bindAEURI)
        }
        let server = DicomAsyncServer(configuration, gracePeriod: .seconds(gracePeriod))
        let running = Task { try await server.run() }
        let bound: Int
        do {
            bound = try AsyncBridge.run { try await server.port() }
        } catch {
            throw CLIFailure("storescp: cannot listen on \(listenHost):\(port): \(CommandLineTool.explain(error))")
        }
        let signals = announce(port: bound, tls: secure.enabled) { grace in
            (try? AsyncBridge.run { await server.stop(gracePeriod: grace) }) ?? 0
        }
        _ = try? AsyncBridge.run { try await running.value }
        signals.waitForStop()
    }
}

/// The server's log lines as the blocking `storescp -v` prints them: "peer: message".
struct LineLogHandler: LogHandler {
    let print: @Sendable (String) -> Void
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let peer = (event.metadata?["peer"] ?? metadata["peer"]).map { "\($0): " } ?? ""
        print(peer + "\(event.message)")
    }
}
