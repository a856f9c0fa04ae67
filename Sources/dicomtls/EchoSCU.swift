import ArgumentParser
import DicomNIO
import DicomUL

/// `dicomtls echoscu HOST PORT`: one association, one C-ECHO (PS3.4 Annex A), like DCMTK's
/// echoscu, on the async client (``DicomAsyncClient``).
struct EchoSCU: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echoscu", abstract: "Verify a DICOM peer with C-ECHO (exit 0 on status 0x0000).")

    @Argument(help: "Peer host name or address.") var host: String
    @Argument(help: "Peer port (default 2762 with --tls).") var port: UInt16?
    @OptionGroup var ae: AETitleOptions
    @OptionGroup var timing: TimeoutOptions
    @OptionGroup var secure: DicomTLSFlags

    func run() throws {
        let port = try secure.port(self.port, command: "echoscu")
        let security = try CommandLineTool.attempt { try secure.clientSecurity(onLink: { print($0.summary) }) }
        let client = DicomAsyncClient(try DicomClientConfiguration(
            host: host, port: port, callingAETitle: ae.aet, calledAETitle: ae.call, timeouts: timing.timeouts, security: security))
        do {
            let start = ContinuousClock.now
            let status = try AsyncBridge.run { try await client.echo() }
            let ms = (ContinuousClock.now - start).components.attoseconds / 1_000_000_000_000_000
            guard status.isSuccess else {
                throw CLIFailure("C-ECHO to \(ae.call)@\(host):\(port) returned status \(status)")
            }
            print("C-ECHO to \(ae.call)@\(host):\(port): status \(status) in \(ms) ms")
        } catch let error as DicomError {
            throw CLIFailure("C-ECHO to \(ae.call)@\(host):\(port) failed: \(error.message)")
        }
    }
}

/// AE title options shared by the SCU commands.
struct AETitleOptions: ParsableArguments {
    @Option(name: .customLong("aet"), help: "Our (calling) AE title.") var aet = "DICOMTLS"
    @Option(name: .customLong("call"), help: "The peer's (called) AE title.") var call = "ANY-SCP"
}

/// Timeout options shared by the DICOM commands.
struct TimeoutOptions: ParsableArguments {
    @Option(name: .customLong("timeout"), help: "Seconds to wait for a connection or a reply.") var timeout: Double = 30
    @Option(name: .customLong("artim"), help: "ARTIM timeout in seconds.") var artim: Double = 30

    var timeouts: DicomTimeouts {
        DicomTimeouts(connect: timeout, artim: artim, reply: timeout, idle: 300, write: timeout)
    }
}

/// A failure reported as one clear line on standard error with exit code 1.
struct CLIFailure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
