import ArgumentParser
import DicomNIO

/// `dicomtls`: TLS 1.0 and DICOM secure transport from the command line.
@main
struct DicomTLSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dicomtls",
        abstract: "A pure-Swift TLS 1.0 stack and DICOM secure transport.",
        version: "0.1.0",
        subcommands: [
            TLSServerCommand.self, TLSClientCommand.self, CertificateCommand.self, ProbeCommand.self,
            EchoSCU.self, StoreSCU.self, StoreSCP.self, DemoCommand.self,
        ])

    /// Tunes the allocator (``MallocTuning``), then parses the command line and runs.
    static func main() {
        MallocTuning.apply()
        main(nil)
    }
}
