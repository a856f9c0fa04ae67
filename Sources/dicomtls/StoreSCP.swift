import ArgumentParser
import DicomUL
import Foundation

/// `dicomtls storescp --port N --output-dir DIR`: a concurrent storage SCP that runs until killed.
struct StoreSCP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storescp", abstract: "Receive DICOM objects (C-STORE) and answer C-ECHO, one thread per association.")

    @Option(name: .long, help: "Port to listen on.") var port: UInt16
    @Option(name: .customLong("output-dir"), help: "Folder for the received files.") var outputDir: String
    @Option(name: .customLong("aet"), help: "Our AE title (requests calling another title are rejected).") var aet = "STORESCP"
    @Flag(name: .customLong("any-aet"), help: "Accept any called AE title.") var anyAET = false
    @Option(name: .customLong("host"), help: "Address to listen on.") var listenHost = "0.0.0.0"
    @Option(name: .customLong("max-pdu"), help: "Largest P-DATA-TF body we accept (0 = unlimited).") var maxPDU: UInt32 = 65536
    @OptionGroup var timing: TimeoutOptions
    @Flag(name: .shortAndLong, help: "Print one line per association and object.") var verbose = false

    func run() throws {
        let verbose = verbose
        let server: DicomServer
        do {
            server = try DicomServer(try DicomServerConfiguration(
                port: port, outputDirectory: outputDir, aeTitle: anyAET ? nil : aet, host: listenHost,
                timeouts: timing.timeouts, maximumReceivePDULength: maxPDU,
                log: { line in if verbose { FileHandle.standardOutput.write(Data((line + "\n").utf8)) } }))
        } catch {
            throw CLIFailure("storescp: \(error.message)")
        }
        let banner = "storescp: \(anyAET ? "any AE title" : aet) listening on \(listenHost):\(server.port), storing into \(outputDir)\n"
        FileHandle.standardOutput.write(Data(banner.utf8))
        server.run()
    }
}
