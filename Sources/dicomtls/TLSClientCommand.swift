import ArgumentParser
import Foundation
import TLSHandshake
import TLSSockets
import TLSRecord
import X509

#if canImport(Glibc)
import Glibc
#endif

/// `dicomtls tls-client`: the `openssl s_client` of this stack.
///
/// Copies stdin to the connection and the connection to stdout. At stdin's end it sends
/// `close_notify` and waits for the peer's. `--reconnect N` then makes N more connections
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
        let timeout = Duration.seconds(tls.handshakeTimeout)
        let name = serverName ?? host
        let stream = try connect(host, port, configuration, name, resuming: nil, timeout: timeout)
        do {
            try Self.relay(stream)
        } catch {
            stream.abort()
            CommandLineTool.log("tls-client: \(CommandLineTool.explain(error))")
            throw ExitCode.failure
        }
        var session = stream.session
        var notResumed = 0
        for attempt in 1...max(reconnect, 1) where reconnect > 0 {
            let again = try connect(host, port, configuration, name, resuming: session, timeout: timeout)
            let resumed = again.sessionInfo.isResumed
            CommandLineTool.log("reconnect \(attempt): session \(resumed ? "resumed" : "NOT resumed (full handshake)")")
            if !resumed { notResumed += 1 }
            session = again.session ?? session
            do {
                try again.close()
            } catch {
                CommandLineTool.log("tls-client: \(CommandLineTool.explain(error))")
                throw ExitCode.failure
            }
        }
        if notResumed > 0 { throw ExitCode(2) }
    }

    private func connect(
        _ host: String, _ port: UInt16, _ configuration: TLSConfiguration, _ name: String,
        resuming session: TLSSession?, timeout: Duration
    ) throws -> BlockingTLSStream {
        do {
            let stream = try BlockingTLSStream.connect(
                host: host, port: port, configuration: configuration, serverName: name, resuming: session,
                timeout: timeout)
            CommandLineTool.log(HandshakeReport.line(stream.sessionInfo, peer: "\(stream.socket.remoteAddress)"))
            return stream
        } catch {
            CommandLineTool.log("tls-client: \(CommandLineTool.explain(error))")
            throw ExitCode.failure
        }
    }

    /// Copies stdin to the stream and the stream to stdout until both directions are done.
    static func relay(_ stream: BlockingTLSStream) throws(TLSStreamError) {
        var input = [UInt8](repeating: 0, count: 1 << 14)
        while true {
            if stream.bufferedByteCount == 0 {
                let (socketReady, stdinReady) = stream.socket.waitReadable(alsoWatching: 0)
                if stdinReady {
                    let n = unsafe input.withUnsafeMutableBytes { unsafe Glibc.read(0, $0.baseAddress, $0.count) }
                    if n > 0 {
                        try stream.write(Array(input[..<n]))
                    } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                        try stream.close(timeout: .seconds(10))  // close_notify; waits for the peer's
                        drain(stream)
                        return
                    }
                }
                if !socketReady { continue }
            }
            let data = try stream.read()
            if data.isEmpty {  // the peer sent close_notify; we answered it
                try stream.close()
                return
            }
            FileHandle.standardOutput.write(Data(data))
        }
    }

    /// Writes plaintext that arrived while we waited for the peer's close_notify.
    private static func drain(_ stream: BlockingTLSStream) {
        while stream.bufferedByteCount > 0, let data = try? stream.read(), !data.isEmpty {
            FileHandle.standardOutput.write(Data(data))
        }
    }
}
