import ArgumentParser
import Foundation
import NIOCore
import TLSHandshake
import TLSNIO
import TLSRecord

/// `dicomtls tls-client`: the `openssl s_client` of this stack.
///
/// Copies stdin to the connection and the connection to stdout, on the SwiftNIO adapter
/// (``TLSClientNIO``). At stdin's end it sends `close_notify` and waits for the peer's. `--reconnect N` then makes N more connections
/// that try to resume the session, reporting whether each did.
struct TLSClientCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tls-client",
        abstract: "Connect with TLS 1.0: stdin to the server, the server to stdout.",
        discussion: "At the end of stdin, sends close_notify and waits for the server's. TLS 1.0 has no "
            + "half-close: a server answers close_notify at once, so keep stdin open until its reply has "
            + "arrived. Exit status: 0 on a clean close, 1 on any TLS or connection failure (the alert is "
            + "named on stderr), 2 when a --reconnect connection did not resume.")

    @Argument(help: ArgumentHelp("The server as HOST:PORT.", valueName: "host:port"))
    var address: String

    @Option(name: .customLong("server-name"), help: "The name to verify the certificate against (default: HOST).")
    var serverName: String?

    @Option(help: "After the first connection, make N more that resume its session (exit status 2 if one does not resume).")
    var reconnect: Int = 0

    @OptionGroup(title: "TLS Options")
    var tls: TLSCommandOptions

    mutating func validate() throws {
        guard endpoint != nil else { throw ValidationError("'\(address)' is not HOST:PORT") }
        if reconnect < 0 { throw ValidationError("--reconnect must not be negative") }
    }

    /// `HOST:PORT`, or `[IPv6]:PORT`, split.
    var endpoint: (host: String, port: UInt16)? {
        guard let colon = address.lastIndex(of: ":"), let port = UInt16(address[address.index(after: colon)...]) else {
            return nil
        }
        var host = String(address[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return host.isEmpty ? nil : (host, port)
    }

    func run() throws {
        guard let (host, port) = endpoint else { throw ValidationError("'\(address)' is not HOST:PORT") }
        let configuration = try CommandLineTool.attempt { try tls.makeConfiguration(role: .client) }
        let timeout = TimeAmount.seconds(Int64(tls.handshakeTimeout))
        let name = serverName ?? host
        let connection = try connect(host, port, configuration, name, resuming: nil, timeout: timeout)
        do {
            try TLSClientNIO.relay(connection)
        } catch {
            CommandLineTool.log("tls-client: \(CommandLineTool.explain(error))")
            throw ExitCode.failure
        }
        var session = connection.result.session
        var notResumed = 0
        for attempt in 1...max(reconnect, 1) where reconnect > 0 {
            let again = try connect(host, port, configuration, name, resuming: session, timeout: timeout)
            let resumed = again.result.sessionInfo.isResumed
            CommandLineTool.log("reconnect \(attempt): session \(resumed ? "resumed" : "NOT resumed (full handshake)")")
            if !resumed { notResumed += 1 }
            session = again.result.session ?? session
            do {
                try TLSClientNIO.close(again)
            } catch {
                CommandLineTool.log("tls-client: \(CommandLineTool.explain(error))")
                throw ExitCode.failure
            }
        }
        if notResumed > 0 { throw ExitCode(2) }
    }

    private func connect(
        _ host: String, _ port: UInt16, _ configuration: TLSConfiguration, _ name: String,
        resuming session: TLSSession?, timeout: TimeAmount
    ) throws -> TLSClientNIO.Connection {
        do {
            return try TLSClientNIO.connect(
                host: host, port: port, configuration: configuration, serverName: name, resuming: session,
                handshakeTimeout: timeout)
        } catch {
            CommandLineTool.log("tls-client: \(CommandLineTool.explain(error))")
            throw ExitCode.failure
        }
    }
}
