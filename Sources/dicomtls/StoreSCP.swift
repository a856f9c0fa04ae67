import ArgumentParser
import DicomUL
import Foundation
import TLSSockets

/// `dicomtls storescp --port N --output-dir DIR`: a concurrent storage SCP that runs until
/// SIGINT or SIGTERM, then stops gracefully and exits 0.
struct StoreSCP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storescp", abstract: "Receive DICOM objects (C-STORE) and answer C-ECHO, on SwiftNIO event loops.",
        discussion: """
            Any called AE title is accepted and logged (as DCMTK's storescp and pynetdicom do) unless \
            --require-aet is given. Connections that have not associated yet are capped in all \
            (--max-pending) and per peer address (--max-pending-per-address); over a cap they are \
            closed at once. On SIGINT or SIGTERM the server stops accepting, lets associations finish \
            within --grace-period seconds, aborts the rest (their partial files are removed) and exits 0. \
            --blocking serves each association on a thread of its own instead (the former server).
            """)

    @Option(name: .long, help: "Port to listen on (default 2762 with --tls).") var port: UInt16?
    @Option(name: .customLong("output-dir"), help: "Folder for the received files.") var outputDir: String
    @Option(name: .customLong("aet"), help: "Our AE title (answered to any called AE title unless --require-aet).") var aet = "STORESCP"
    @Flag(name: .customLong("require-aet"), help: "Reject requests whose called AE title is not --aet.") var requireAET = false
    @Flag(name: .customLong("any-aet"), help: .hidden) var anyAET = false
    @Option(name: .customLong("allow-calling"), help: "Accept only this calling AE title (repeatable; default: any).") var allowCalling: [String] = []
    @Option(name: .customLong("host"), help: "Address to listen on.") var listenHost = "0.0.0.0"
    @Option(name: .customLong("max-pdu"), help: "Largest P-DATA-TF body we accept (0 = unlimited).") var maxPDU: UInt32 = 65536
    @Option(name: .customLong("max-associations"), help: "Concurrent associations.") var maxAssociations = 64
    @Option(name: .customLong("max-pending"), help: "Connections not yet associated, in all.")
    var maxPending = AdmissionLimits.defaultMaximumPending
    @Option(name: .customLong("max-pending-per-address"), help: "Connections not yet associated, per peer address.")
    var maxPendingPerAddress = AdmissionLimits.defaultMaximumPendingPerAddress
    @Option(name: .customLong("existing-files"), help: "When a file name is taken: keep-both (new file gets a suffix), replace, refuse.")
    var existingFiles = "keep-both"
    @Option(name: .customLong("max-object-size"), help: "Largest object stored, in bytes (larger: A700). Default: no limit.") var maxObjectSize: Int?
    @Option(name: .customLong("min-free-space"), help: "Bytes that must stay free on the output file system (else A700).")
    var minFreeSpace: UInt64 = 64 << 20
    @Option(name: .customLong("message-timeout"), help: "Seconds to receive one whole data set.") var messageTimeout: Double = 600
    @Option(name: .customLong("grace-period"), help: "Seconds associations may finish after SIGINT/SIGTERM.") var gracePeriod: Double = 10
    @OptionGroup var timing: TimeoutOptions
    @Flag(name: .shortAndLong, help: "Print one line per association and object.") var verbose = false
    @OptionGroup var secure: DicomTLSFlags
    @Flag(name: .customLong("blocking"), help: "Serve each association on a thread of its own (DicomServer) instead of SwiftNIO event loops.")
    var blocking = false
    @Flag(name: .customLong("async"), help: .hidden) var async = false
    @Option(name: .customLong("bind-ae"), help: ArgumentHelp(
        "With --tls: accept calling AE title AE only from the client certificate with this SHA-256 fingerprint (hex) or subject (repeatable).",
        valueName: "AE=fingerprint|subject"))
    var bindAE: [String] = []
    @Flag(name: .customLong("bind-ae-uri"), help: "With --tls: also accept AE from a certificate carrying the SAN URI urn:dicom:aetitle:AE.")
    var bindAEURI = false

    func validate() throws {
        guard ExistingFilePolicy(rawValue: existingFiles) != nil else {
            throw ValidationError("--existing-files must be keep-both, replace or refuse")
        }
        if blocking, async { throw ValidationError("--blocking and --async exclude each other") }
        if blocking, !bindAE.isEmpty || bindAEURI { throw ValidationError("--bind-ae and --bind-ae-uri are not available with --blocking") }
        if !secure.enabled, !bindAE.isEmpty || bindAEURI { throw ValidationError("--bind-ae and --bind-ae-uri need --tls") }
        for entry in bindAE where !entry.contains("=") { throw ValidationError("--bind-ae takes AE=fingerprint or AE=subject") }
    }

    func run() throws {
        let verbose = verbose
        let port = try secure.port(self.port, command: "storescp")
        let print: @Sendable (String) -> Void = { line in if verbose { FileHandle.standardOutput.write(Data((line + "\n").utf8)) } }
        let security = try CommandLineTool.attempt { try secure.serverSecurity(onLink: { print($0.summary) }) }
        var timeouts = timing.timeouts
        timeouts.message = messageTimeout
        if !blocking {
            try runAsync(port: port, security: security, timeouts: timeouts, print: print)
            return
        }
        let server: DicomServer
        do {
            var configuration = try DicomServerConfiguration(
                port: port, outputDirectory: outputDir, aeTitle: requireAET ? aet : nil, host: listenHost,
                timeouts: timeouts, maximumReceivePDULength: maxPDU, maximumAssociations: maxAssociations,
                admission: AdmissionLimits(maximumPending: maxPending, maximumPendingPerAddress: maxPendingPerAddress),
                existingFiles: ExistingFilePolicy(rawValue: existingFiles) ?? .keepBoth,
                maximumObjectSize: maxObjectSize, minimumFreeSpace: minFreeSpace, security: security, log: print)
            if !allowCalling.isEmpty { configuration.policy.allowedCallingAETitles = Set(allowCalling) }
            configuration.alerts = { CommandLineTool.log("storescp: " + $0) }
            server = try DicomServer(configuration)
        } catch {
            throw CLIFailure("storescp: \(error.message)")
        }
        let signals = announce(port: Int(server.port), tls: secure.enabled) { server.stop(gracePeriod: $0) }
        server.run()
        signals.waitForStop()
    }

    /// Prints the banner once the server listens, and stops it with the grace period on
    /// SIGINT/SIGTERM, saying so; `stop` returns how many associations it aborted. The same
    /// lines for both servers.
    func announce(port: Int, tls: Bool, stop: @escaping @Sendable (Duration) -> Int) -> ShutdownSignals {
        let titles = requireAET ? "\(aet) (required)" : "\(aet), answering any called AE title"
        let banner = "storescp: \(titles) listening on \(listenHost):\(port)\(tls ? " (TLS)" : ""), storing into \(outputDir)\n"
        FileHandle.standardOutput.write(Data(banner.utf8))
        let grace = gracePeriod
        return ShutdownSignals { name in
            FileHandle.standardOutput.write(Data("storescp: \(name): stopping (grace period \(grace) s)\n".utf8))
            let cut = stop(.seconds(grace))
            FileHandle.standardOutput.write(Data("storescp: stopped; \(cut) association(s) aborted\n".utf8))
        }
    }
}
