import ArgumentParser
import Foundation
import NIOCore
import TLSHandshake
import TLSSockets
import TLSRecord
import X509

/// `dicomtls tls-server`: the `openssl s_server` of this stack.
///
/// By default it serves on the SwiftNIO adapter (``TLSServerNIO``): event loops, premaster
/// decryption on a thread pool. `--blocking` serves with the blocking stream instead, one
/// thread per accepted connection, so a client that stalls in the handshake holds up nobody
/// else. Both cap connections (`--max-connections`, and per address while in the handshake),
/// close a connection after `--idle-timeout` seconds of silence, pause accepting when
/// descriptors run out (review F10), and stop gracefully on SIGINT or SIGTERM (exit 0), with
/// the same lines on stderr. By default application data is echoed back; with `--http` every
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

    @Flag(name: .customLong("allow-client-renegotiation"), help: ArgumentHelp(
        "Accept renegotiations the client starts (at most 3 per connection per minute); by default they get the warning no_renegotiation."))
    var allowClientRenegotiation = false

    @Option(name: .customLong("idle-timeout"), help: "Seconds a connection may stay silent after the handshake.")
    var idleTimeout: Double = 300

    @Option(name: .customLong("max-connections"), help: "Connections served at once; more are closed at once.")
    var maxConnections = 256

    @Option(name: .customLong("max-handshakes-per-address"), help: "Connections from one address still in the handshake.")
    var maxHandshakesPerAddress = AdmissionLimits.defaultMaximumPendingPerAddress

    @Option(name: .customLong("grace-period"), help: "Seconds connections may finish after SIGINT/SIGTERM.")
    var gracePeriod: Double = 5

    @Flag(help: "Serve with the blocking stream, one thread per connection, instead of SwiftNIO event loops.")
    var blocking = false

    @Flag(help: ArgumentHelp("Serve on SwiftNIO event loops (the default; kept for scripts).", visibility: .hidden))
    var nio = false

    @OptionGroup(title: "TLS Options")
    var tls: TLSCommandOptions

    mutating func validate() throws {
        if blocking && nio { throw ValidationError("--blocking and --nio exclude each other") }
        if !tls.hasIdentity { throw ValidationError("tls-server needs --cert and --key, or --pkcs12") }
    }

    func run() throws {
        var made = try CommandLineTool.attempt { try tls.makeConfiguration(role: .server) }
        if allowClientRenegotiation { made.options.insert(.allowClientRenegotiation) }
        if http, tls.alpnNames == nil { made.applicationProtocols = ["http/1.1"] }  // RFC 7301 §6
        try CommandLineTool.attempt { try made.prepare() }  // once, not per connection
        let configuration = made
        if !blocking {
            let settings = TLSServerNIO.Settings(
                host: host, port: port, configuration: configuration, http: http,
                handshakeTimeout: .seconds(Int64(tls.handshakeTimeout)),
                idleTimeout: .nanoseconds(Int64(idleTimeout * 1e9)), maxConnections: maxConnections,
                maxHandshakesPerAddress: maxHandshakesPerAddress, gracePeriod: .nanoseconds(Int64(gracePeriod * 1e9)))
            try CommandLineTool.attempt { try TLSServerNIO.run(settings) }
            return
        }
        let listener = try CommandLineTool.attempt { try TCPListener(host: host, port: port) }
        // One accept loop for the DICOM server and this one: accept errors are backed off,
        // connections over the caps are closed at once (review F10).
        let loop = AcceptLoop(
            listener: listener,
            limits: AdmissionLimits(
                maximumConnections: maxConnections, maximumPending: maxConnections, maximumPendingPerAddress: maxHandshakesPerAddress),
            log: CommandLineTool.log)
        CommandLineTool.log("listening on \(listener.localAddress)")
        let timeouts = (handshake: Duration.seconds(tls.handshakeTimeout), idle: Duration.seconds(idleTimeout))
        let http = self.http
        let grace = gracePeriod
        let signals = ShutdownSignals { name in
            CommandLineTool.log("\(name): stopping (grace period \(grace) s)")
            let cut = loop.stop(gracePeriod: .seconds(grace))
            CommandLineTool.log("stopped; \(cut) connection(s) closed")
        }
        loop.run { connection in Self.serve(connection, configuration: configuration, timeouts: timeouts, http: http) }
        signals.waitForStop()
    }

    /// One connection: handshake, then echo (or HTTP) until the peer closes or stays idle
    /// for `timeouts.idle`.
    static func serve(
        _ connection: AcceptedConnection, configuration: TLSConfiguration, timeouts: (handshake: Duration, idle: Duration), http: Bool
    ) {
        let socket = connection.socket
        let peer = socket.remoteAddress
        let stream: BlockingTLSStream
        do {
            stream = try BlockingTLSStream(server: socket, configuration: configuration, handshakeTimeout: timeouts.handshake)
        } catch {
            CommandLineTool.log("\(peer): handshake failed: \(CommandLineTool.explain(error))")
            return
        }
        connection.leavePending()
        stream.ioTimeout = timeouts.idle
        CommandLineTool.log(HandshakeReport.line(stream.sessionInfo, peer: "\(peer)"))
        do {
            if http {
                try answerHTTP(stream)
            } else {
                var sessionID = stream.sessionInfo.sessionID
                while true {
                    let data = try stream.read()
                    if stream.sessionInfo.sessionID != sessionID {  // the client renegotiated
                        sessionID = stream.sessionInfo.sessionID
                        CommandLineTool.log(HandshakeReport.line(stream.sessionInfo, peer: "\(peer)"))
                    }
                    if data.isEmpty { break }  // close_notify: the pump already answered it
                    try stream.write(data)
                }
            }
            try stream.close()
            CommandLineTool.log("\(peer): closed cleanly (close_notify both ways)")
        } catch .timedOut {
            stream.abort()
            CommandLineTool.log("\(peer): idle for \(timeouts.idle) (or too slow); connection closed")
        } catch {
            stream.abort()
            CommandLineTool.log("\(peer): \(CommandLineTool.explain(error))")
        }
    }

    /// Reads one request head (up to a blank line) and answers it, as `gnutls-serv --http` does.
    static func answerHTTP(_ stream: BlockingTLSStream) throws(TLSStreamError) {
        var request: [UInt8] = []
        let end = Array("\r\n\r\n".utf8), bareEnd = Array("\n\n".utf8)
        while !(request.ends(with: end) || request.ends(with: bareEnd)) {
            let data = try stream.read()
            if data.isEmpty { return }
            request += data
            if request.count > 65536 { break }
        }
        let info = stream.sessionInfo
        let body = """
            <html><head><title>dicomtls</title></head><body>
            <h1>dicomtls tls-server</h1>
            <p>Protocol: TLS 1.0<br>Cipher suite: \(info.cipherSuite.name)<br>Resumed: \(info.isResumed ? "yes" : "no")</p>
            </body></html>

            """
        let head = "HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
        try stream.write(Array((head + body).utf8))
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
