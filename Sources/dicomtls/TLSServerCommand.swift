import ArgumentParser
import NIOCore
import TLSHandshake
import TLSRecord
import TLSSockets

/// `dicomtls tls-server`: the `openssl s_server` of this stack.
///
/// It runs on the SwiftNIO adapter (``TLSServerNIO``): a few event loops serve every
/// connection, so a client that stalls in the handshake holds up nobody else, and the RSA
/// decryptions run on a thread pool. Connections are capped (`--max-connections`, and per
/// address while in the handshake) and closed after `--idle-timeout` seconds of silence;
/// accept errors are backed off. SIGINT or SIGTERM stops it gracefully (exit 0). By default application data is echoed back; with `--http` every
/// request gets a small `HTTP/1.0 200 OK` page. `close_notify` is answered with `close_notify`.
struct TLSServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tls-server",
        abstract: "Serve TLS 1.0 connections: echo the data back, or answer HTTP requests with --http.")

    @Option(help: "The TCP port to listen on (0 picks a free one and prints it).")
    var port: UInt16

    @Option(help: "The address to listen on: 127.0.0.1 (default), 0.0.0.0 or :: for every interface.")
    var host: String = "127.0.0.1"

    @Flag(help: "Answer each request with a small HTTP/1.0 200 OK page instead of echoing.")
    var http = false

    @Option(name: .customLong("idle-timeout"), help: "Seconds a connection may stay silent after the handshake.")
    var idleTimeout: Double = 300

    @Option(name: .customLong("max-connections"), help: "Connections served at once; more are closed at once.")
    var maxConnections = 256

    @Option(name: .customLong("max-handshakes-per-address"), help: "Connections from one address still in the handshake.")
    var maxHandshakesPerAddress = AdmissionLimits.defaultMaximumPendingPerAddress

    @Option(name: .customLong("grace-period"), help: "Seconds connections may finish after SIGINT/SIGTERM.")
    var gracePeriod: Double = 5

    @OptionGroup(title: "TLS Options")
    var tls: TLSCommandOptions

    mutating func validate() throws {
        if tls.certificateFile == nil { throw ValidationError("tls-server needs --cert and --key") }
    }

    func run() throws {
        let configuration = try CommandLineTool.attempt { try tls.makeConfiguration(role: .server) }
        let settings = TLSServerNIO.Settings(
            host: host, port: port, configuration: configuration, http: http,
            handshakeTimeout: .seconds(Int64(tls.handshakeTimeout)),
            idleTimeout: .nanoseconds(Int64(idleTimeout * 1e9)), maxConnections: maxConnections,
            maxHandshakesPerAddress: maxHandshakesPerAddress, gracePeriod: .nanoseconds(Int64(gracePeriod * 1e9)))
        try CommandLineTool.attempt { try TLSServerNIO.run(settings) }
    }
}
