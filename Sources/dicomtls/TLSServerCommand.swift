import ArgumentParser
import NIOCore
import TLSHandshake
import TLSRecord

/// `dicomtls tls-server`: the `openssl s_server` of this stack.
///
/// It runs on the SwiftNIO adapter (``TLSServerNIO``): a few event loops serve every
/// connection, so a client that stalls in the handshake holds up nobody else, and the RSA
/// decryptions run on a thread pool. Connections are capped (`--max-connections`) and closed
/// after `--idle-timeout` seconds of silence. By default application data is echoed back;
/// with `--http` every request gets a small `HTTP/1.0 200 OK` page. `close_notify` is
/// answered with `close_notify`.
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

    @OptionGroup(title: "TLS Options")
    var tls: TLSCommandOptions

    mutating func validate() throws {
        if tls.certificateFile == nil { throw ValidationError("tls-server needs --cert and --key") }
        if !(idleTimeout > 0) { throw ValidationError("--idle-timeout must be positive") }
        if maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
    }

    func run() throws {
        let configuration = try CommandLineTool.attempt { try tls.makeConfiguration(role: .server) }
        let settings = TLSServerNIO.Settings(
            host: host, port: port, configuration: configuration, http: http,
            handshakeTimeout: .seconds(Int64(tls.handshakeTimeout)),
            idleTimeout: .nanoseconds(Int64(idleTimeout * 1e9)), maxConnections: maxConnections)
        _ = try CommandLineTool.attempt { () throws -> Never in try TLSServerNIO.run(settings) }
    }
}
