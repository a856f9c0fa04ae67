import Foundation
import Synchronization
import TLSSockets

/// A storage SCP: answers C-ECHO and stores C-STORE objects as Part 10 files, serving each
/// association on its own thread so an idle or slow peer never blocks the others.
///
/// ```swift
/// let server = try DicomServer(DicomServerConfiguration(port: 11112, outputDirectory: "/tmp/in"))
/// server.start()          // accept loop on a background thread
/// …
/// server.stop()
/// ```
public final class DicomServer: Sendable {
    /// The configuration.
    public let configuration: DicomServerConfiguration
    /// The bound port.
    public var port: UInt16 { listener.port }

    private let listener: DicomListener
    /// The output folder, opened once (files are created relative to it).
    let output: OutputDirectory
    /// The checks and safe writes of C-STORE (shared with the async folder handler).
    let folderStore: FolderStore
    let counters = Mutex(Statistics())

    /// Counters since start.
    public struct Statistics: Sendable, Equatable {
        /// Associations accepted.
        public var associations = 0
        /// Associations rejected or failed before acceptance.
        public var rejected = 0
        /// Objects stored.
        public var stored = 0
        /// C-STORE requests answered with a failure or warning status.
        public var storeFailures = 0
        /// Associations that ended with an error (abort, timeout, protocol error).
        public var errors = 0
        /// Associations being served now (accepted, not yet ended).
        public var active = 0
        /// Connections being served now, associated or not.
        public var connections = 0
        /// Connections that have not associated yet.
        public var pending = 0
        /// Connections closed at once by the accept loop over the admission limits.
        public var refusedConnections = 0
    }

    /// Binds the listening socket and opens the output folder.
    public init(_ configuration: DicomServerConfiguration) throws(DicomError) {
        self.configuration = configuration
        output = try OutputDirectory(path: configuration.outputDirectory)
        folderStore = FolderStore(
            output: output, existingFiles: configuration.existingFiles, maximumObjectSize: configuration.maximumObjectSize,
            minimumFreeSpace: configuration.minimumFreeSpace)
        let alerts = configuration.alerts ?? configuration.log
        listener = try DicomListener(
            host: configuration.host, port: configuration.port, limits: configuration.admission, log: { alerts?($0) })
    }

    /// A snapshot of the counters.
    public var statistics: Statistics {
        let loop = listener.statistics
        var s = counters.withLock { $0 }
        s.connections = loop.connections
        s.pending = loop.pending
        s.refusedConnections = loop.refused
        return s
    }

    /// Runs the accept loop on a background thread.
    public func start() {
        let thread = Thread { [self] in run() }
        thread.name = "dicom-accept"
        thread.start()
    }

    /// Runs the accept loop on the calling thread until ``stop()``. An `accept` failure
    /// (descriptors exhausted, ...) is logged once, backed off and retried: only ``stop()``
    /// ends the loop.
    public func run() {
        listener.run { [self] socket in serve(socket) }
    }

    /// Stops accepting; associations in progress finish on their own threads.
    public func stop() {
        listener.stop()
    }

    /// Stops accepting, lets associations in progress finish within `gracePeriod`, then
    /// aborts the rest (closing their connections; their partial files are removed) and
    /// waits briefly for their threads to unwind.
    ///
    /// - Returns: how many connections were cut off.
    @discardableResult
    public func stop(gracePeriod: Duration) -> Int {
        listener.stop(gracePeriod: gracePeriod)
    }

    // MARK: One association

    private func serve(_ socket: AcceptedSocket) {
        let peer = socket.peerDescription
        var holdsSlot = false
        defer { if holdsSlot { counters.withLock { $0.active -= 1 } } }
        let maximum = configuration.maximumAssociations
        let association: Association
        do throws(DicomError) {
            let transport = try configuration.makeTransport(for: socket)
            association = try Association.accept(
                over: transport, policy: configuration.policy, timeouts: configuration.timeouts,
                maximumReceivePDULength: configuration.maximumReceivePDULength,
                refuse: { [self] _ in
                    // An association slot is taken only now, once a request has come.
                    holdsSlot = counters.withLock { s in
                        guard s.active < maximum else { return false }
                        s.active += 1
                        return true
                    }
                    return holdsSlot ? nil : .localLimitExceeded
                })
        } catch {
            counters.withLock { $0.rejected += 1 }
            log(error.code == .associationRejected ? error.message : "\(peer): \(error.message)")
            return
        }
        socket.leavePending()
        counters.withLock { $0.associations += 1 }
        let request = association.request
        log("\(peer): association accepted from \(LogText.quoted(request.callingAETitle)) calling \(LogText.quoted(request.calledAETitle)) (\(association.contexts.count) context(s))")
        do throws(DicomError) {
            while let (contextID, command) = try association.receiveCommand(timeout: configuration.timeouts.idle) {
                try handle(command, contextID: contextID, on: association)
            }
            log("\(peer): association released")
        } catch {
            counters.withLock { $0.errors += 1 }
            log("\(peer): \(error.message)")
            association.abort()
        }
    }

    private func handle(_ command: CommandSet, contextID: UInt8, on association: Association) throws(DicomError) {
        let id = command.messageID ?? 0
        switch command.commandField {
        case .cEchoRQ?:
            if command.hasDataSet { try association.receiveDataSet(contextID: contextID) { _ throws(DicomError) in } }
            try association.send(command: DIMSE.echoResponse(to: id), contextID: contextID)
        case .cStoreRQ?:
            try store(command, contextID: contextID, on: association)
        default:
            if command.hasDataSet { try association.receiveDataSet(contextID: contextID) { _ throws(DicomError) in } }
            log("\(association.transport.peerDescription): unsupported command \(command.commandField?.description ?? "?"); aborting")
            association.abort()
            throw DicomError(.invalidDIMSE, "unsupported DIMSE command \(command.commandField?.description ?? "?")")
        }
    }

    func log(_ line: @autoclosure () -> String) {
        guard let log = configuration.log else { return }
        log(line())
    }
}
