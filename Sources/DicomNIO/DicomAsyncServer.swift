import DicomUL
import Logging
import NIOCore
import NIOPosix
import Synchronization
import TLSHandshake
import ServiceLifecycle
import TLSNIO

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A DICOM server on SwiftNIO: every association is a task driven by ``DicomULHandler``
/// (TCP or TLS), the application decides acceptance and serves DIMSE through handlers
/// (``DicomServices``), and thousands of associations share the event loops instead of a
/// thread each.
///
/// ```swift
/// let storage = try FolderStorageHandler(directory: "/srv/dicom")
/// let server = DicomAsyncServer(DicomAsyncServerConfiguration(port: 11112, services: DicomServices(store: storage)))
/// try await server.run()                     // until shutdown(gracePeriod:) or cancellation
/// ```
/// It is a swift-service-lifecycle `Service`: in a `ServiceGroup`, a graceful shutdown stops
/// accepting and lets associations finish within ``gracePeriod``, then aborts the rest.
public final class DicomAsyncServer: Sendable {
    /// The configuration.
    public let configuration: DicomAsyncServerConfiguration
    /// How long associations may finish after a graceful shutdown begins, before they are aborted.
    public let gracePeriod: Duration

    let gate: AdmissionGate
    let metrics = DicomServerMetrics()
    let associationIDs = Atomic<UInt64>(0)
    let listening: EventLoopPromise<Int>
    let listener = Mutex<[any Channel]>([])
    let live = Mutex<[ObjectIdentifier: DicomAssociationChannel]>([:])
    let stopRequested = Atomic<Bool>(false)

    /// Creates a server (nothing is bound until ``run()``).
    public init(_ configuration: DicomAsyncServerConfiguration, gracePeriod: Duration = .seconds(10)) {
        self.configuration = configuration
        self.gracePeriod = gracePeriod
        gate = AdmissionGate(limits: configuration.admission, maximumAssociations: configuration.maximumAssociations)
        listening = configuration.group.next().makePromise(of: Int.self)
    }

    /// The bound port, once ``run()`` has bound it.
    public func port() async throws -> Int {
        try await listening.futureResult.get()
    }

    /// Associations in progress now.
    public var activeAssociations: Int { gate.state.withLock { $0.active } }
    /// Connections closed at once over the admission limits since start.
    public var refusedConnections: Int { gate.state.withLock { $0.refused } }

    /// Binds and serves until ``shutdown(gracePeriod:)`` (then returns once every association
    /// has ended) or until the task is cancelled (which aborts every association).
    public func run() async throws {
        let tls: TLSConfiguration?
        // ALPN `dicom` accepted when the configuration names no protocol, as the blocking server.
        if case .tls(let configuration, _) = configuration.security { tls = TLSTransport.withDICOMProtocol(configuration) } else { tls = nil }
        let association = DicomULHandler.Configuration(
            timeouts: configuration.timeouts, maximumReceivePDULength: configuration.maximumReceivePDULength)
        let handshakeTimeout = DicomULHandler.amount(configuration.timeouts.artim)
        let offload = configuration.offload
        let logger = configuration.logger
        let alerts = configuration.alerts ?? { logger.warning("\($0)") }
        let burst = AcceptFailureBurst()
        // One listening socket per event loop (SO_REUSEPORT), each accepting onto its own
        // loop: a connection over the admission limits is closed on the loop that accepted
        // it, at once, rather than after a hand-over to another loop's queue (under a flood
        // those hand-overs held descriptors the limits did not count).
        var servers: [NIOAsyncChannel<Accepted?, Never>] = []
        do {
            var port = configuration.port
            for loop in configuration.group.makeIterator() {
                let server = try await bootstrap(loop, alerts: alerts, burst: burst)
                    .bind(host: configuration.host, port: port) { [self] channel in
                        channel.eventLoop.makeCompletedFuture { () throws -> Accepted? in
                            let address = channel.remoteAddress?.ipAddress ?? "?"
                            guard gate.admit(address) else {
                                metrics.association("refused")
                                if let line = gate.refusalLine(address) { alerts(line) }
                                channel.close(promise: nil)
                                return nil
                            }
                            let handler = try tls.map {
                                try TLSChannelHandler(server: $0, offload: offload, handshakeTimeout: handshakeTimeout, logger: logger)
                            }
                            let connection = try DicomPipeline.configure(channel, role: .acceptor, configuration: association, tls: handler)
                            return Accepted(connection: connection, address: address)
                        }
                    }
                port = server.channel.localAddress?.port ?? port
                servers.append(server)
            }
        } catch {
            for server in servers { try? await server.channel.close() }
            listening.fail(error)
            throw error
        }
        let listeners = servers
        listener.withLock { $0 = listeners.map(\.channel) }
        listening.succeed(listeners.first?.channel.localAddress?.port ?? 0)
        if stopRequested.load(ordering: .acquiring) { closeListeners() }
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { accepting in
                for server in listeners {
                    accepting.addTask { await self.accept(on: server) }
                }
            }
        } onGracefulShutdown: {
            self.shutdown(gracePeriod: self.gracePeriod)
        }
    }

    /// A bootstrap that accepts onto `loop` alone, sharing the port with the other loops'
    /// listeners; descriptors running out pause accepting for a second, said once (F2, F10).
    private func bootstrap(_ loop: any EventLoop, alerts: @escaping @Sendable (String) -> Void, burst: AcceptFailureBurst) -> ServerBootstrap {
        ServerBootstrap(group: loop, childGroup: loop)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.socketOption(NIOBSDSocket.Option(rawValue: SO_REUSEPORT)), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([AcceptPauseHandler(), AcceptFailureLog(burst, log: alerts)])
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
    }

    /// Serves the connections one listening socket accepts, until it is closed.
    private func accept(on server: NIOAsyncChannel<Accepted?, Never>) async {
        try? await server.executeThenClose { connections in
            await withDiscardingTaskGroup { group in
                do {
                    for try await accepted in connections {
                        guard let accepted else { continue }
                        group.addTask { await self.serve(accepted) }
                    }
                } catch {
                    configuration.logger.error("accepting connections failed: \(error)")
                }
            }
        }
    }

    /// Closes every listening socket.
    func closeListeners() {
        listener.withLock { $0 }.forEach { $0.close(promise: nil) }
    }

    /// Stops accepting now; associations in progress may finish within `gracePeriod`, then
    /// are aborted (A-ABORT; a partial object is removed by its handler). ``run()`` returns
    /// once the last association has ended.
    public func shutdown(gracePeriod: Duration) {
        stopRequested.store(true, ordering: .releasing)
        closeListeners()
        let nanoseconds = gracePeriod.components.seconds * 1_000_000_000 + gracePeriod.components.attoseconds / 1_000_000_000
        configuration.group.next().scheduleTask(in: .nanoseconds(nanoseconds)) { [self] in
            _ = abortAll()
        }
    }

    /// Stops as ``shutdown(gracePeriod:)`` does and waits (at most the grace period and a
    /// moment) for associations to end. Returns how many had to be aborted.
    public func stop(gracePeriod: Duration) async -> Int {
        stopRequested.store(true, ordering: .releasing)
        for channel in listener.withLock({ $0 }) { try? await channel.close().get() }
        let clock = ContinuousClock()
        let deadline = clock.now + gracePeriod
        while clock.now < deadline, !live.withLock(\.isEmpty) {
            try? await Task.sleep(for: .milliseconds(20))
        }
        let cut = abortAll()
        let settle = clock.now + .seconds(2)
        while clock.now < settle, !live.withLock(\.isEmpty) {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return cut
    }

    /// Aborts every association still open; returns how many.
    func abortAll() -> Int {
        let open = live.withLock { Array($0.values) }
        for connection in open { connection.abort() }
        return open.count
    }

    /// An accepted connection and the address its admission slot is counted under.
    struct Accepted: Sendable {
        let connection: DicomAssociationChannel
        let address: String
    }
}
