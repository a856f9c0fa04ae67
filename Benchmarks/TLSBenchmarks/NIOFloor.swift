import TLSSockets

/// What a connection costs the NIO server before any TLS: the same `ServerBootstrap`, event
/// loops and echo handler as the `nio` server, with no `TLSChannelHandler`. Each client
/// connects and makes the exchanges of a resumed handshake without TLS: 150 bytes (a
/// ClientHello) echoed, then 43 bytes (ChangeCipherSpec and Finished) echoed (the server's
/// close_notify), then closes. So the server accepts, is woken for two reads, writes twice,
/// reads the end of stream and closes, as for a resumed handshake. Its CPU per connection is
/// the floor SwiftNIO sets under the `nio` server's resumed-handshake figure, printed
/// beside GnuTLS's whole resumed handshake.
enum NIOFloor {
    /// Runs `count` plain connections against a `--serve nio-plain` child and prints the line.
    static func report(count: Int) {
        do {
            let server = try ServerChild(serving: ["--serve", ServerComparison.Kind.nioPlain.rawValue], label: "the plain NIO server")
            defer { server.stop() }
            let rate = try connections(server, count: count)
            print("  nio-plain (SwiftNIO alone, no TLS; a resumed handshake's reads, writes and close): \(format(rate.perSecond, 0))/s, "
                + "server CPU \(format(rate.cpuMicroseconds, 0)) µs each")
        } catch {
            print("  nio-plain: failed: \(error)")
        }
    }

    static func connections(_ server: ServerChild, count: Int) throws -> ServerComparison.Rate {
        let flights = [[UInt8](repeating: 0x16, count: 150), [UInt8](repeating: 0x14, count: 43)]
        var echo = [UInt8](repeating: 0, count: 4096)
        let cpu0 = server.cpuSeconds(), t0 = now()
        for _ in 0..<count {
            let socket = try TCPSocket.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(10))
            defer { socket.close() }
            let deadline = ContinuousClock.now + .seconds(10)
            for flight in flights {
                try socket.write(flight, deadline: deadline)
                var echoed = 0
                while echoed < flight.count {
                    let n = try socket.read(into: &echo, deadline: deadline)
                    guard n > 0 else { throw ServerChild.Failure(description: "the plain NIO server closed before echoing") }
                    echoed += n
                }
            }
        }
        let wall = now() - t0, cpu = server.cpuSeconds() - cpu0
        return ServerComparison.Rate(perSecond: Double(count) / wall, cpuMicroseconds: cpu / Double(count) * 1e6)
    }

    /// `TLSBenchmarks --serve nio-plain`: the `nio` server's bootstrap without TLS.
    static func serve() throws {
        try ServerChildMode.serveOnEachLoop { [ServerChildMode.EchoHandler()] }
    }
}
