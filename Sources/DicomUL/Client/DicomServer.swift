import Foundation
import Synchronization

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
    private let stopped = Atomic<Bool>(false)
    private let counters = Mutex(Statistics())

    /// Counters since start.
    public struct Statistics: Sendable, Equatable {
        /// Associations accepted.
        public var associations = 0
        /// Associations rejected or failed before acceptance.
        public var rejected = 0
        /// Objects stored.
        public var stored = 0
        /// C-STORE requests answered with a failure status.
        public var storeFailures = 0
        /// Associations that ended with an error (abort, timeout, protocol error).
        public var errors = 0
        /// Associations being served now.
        public var active = 0
    }

    /// Binds the listening socket and checks the output folder.
    public init(_ configuration: DicomServerConfiguration) throws(DicomError) {
        let attributes = try? FileManager.default.attributesOfItem(atPath: configuration.outputDirectory)
        guard attributes?[.type] as? FileAttributeType == .typeDirectory else {
            throw DicomError(.invalidConfiguration, "output folder \(configuration.outputDirectory) does not exist or is not a folder")
        }
        self.configuration = configuration
        listener = try DicomListener(host: configuration.host, port: configuration.port)
    }

    /// A snapshot of the counters.
    public var statistics: Statistics { counters.withLock { $0 } }

    /// Runs the accept loop on a background thread.
    public func start() {
        let thread = Thread { [self] in run() }
        thread.name = "dicom-accept"
        thread.start()
    }

    /// Runs the accept loop on the calling thread until ``stop()``.
    public func run() {
        defer { listener.close() }
        while !stopped.load(ordering: .acquiring) {
            let socket: AcceptedSocket?
            do throws(DicomError) {
                socket = try listener.accept(timeout: 0.25)
            } catch {
                if !stopped.load(ordering: .acquiring) { log("accept failed: \(error.message)") }
                return
            }
            guard let socket else { continue }
            let thread = Thread { [self] in serve(socket) }
            thread.name = "dicom-association"
            thread.start()
        }
    }

    /// Stops accepting; associations in progress finish on their own threads.
    public func stop() {
        stopped.store(true, ordering: .releasing)
        listener.close()
    }

    // MARK: One association

    private func serve(_ socket: AcceptedSocket) {
        let peer = socket.peerDescription
        let overLimit = counters.withLock { s -> Bool in
            s.active += 1
            return s.active > configuration.maximumAssociations
        }
        defer { counters.withLock { $0.active -= 1 } }
        let association: Association
        do throws(DicomError) {
            let transport = try configuration.makeTransport(for: socket)
            association = try Association.accept(
                over: transport, policy: configuration.policy, timeouts: configuration.timeouts,
                maximumReceivePDULength: configuration.maximumReceivePDULength,
                refuse: { _ in overLimit ? .localLimitExceeded : nil })
        } catch {
            counters.withLock { $0.rejected += 1 }
            log(error.code == .associationRejected ? error.message : "\(peer): \(error.message)")
            return
        }
        counters.withLock { $0.associations += 1 }
        log("\(peer): association accepted from \"\(association.request.callingAETitle)\" (\(association.contexts.count) context(s))")
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

    /// C-STORE SCP (PS3.4 B.2): stream the data set to a Part 10 file, then answer.
    private func store(_ command: CommandSet, contextID: UInt8, on association: Association) throws(DicomError) {
        let id = command.messageID ?? 0
        let sopClass = command.affectedSOPClassUID ?? ""
        let sopInstance = command.affectedSOPInstanceUID ?? ""
        guard command.hasDataSet else { throw DicomError(.invalidDIMSE, "C-STORE-RQ without a data set") }
        let context = association.contexts[contextID]
        var status = DIMSEStatus.success
        var comment: String?
        var writer: Part10Writer?
        if !DicomUID.isValid(sopClass) || !DicomUID.isValid(sopInstance) {
            status = .cannotUnderstand
            comment = "Affected SOP Class or Instance UID missing or not a valid UID"
        } else if context?.abstractSyntax != sopClass {
            status = .dataSetDoesNotMatchSOPClass
            comment = "SOP class is not that of the presentation context"
        } else {
            let path = configuration.outputDirectory + "/" + Self.fileName(for: sopInstance)
            do throws(DicomError) {
                writer = try Part10Writer(
                    path: path, sopClassUID: sopClass, sopInstanceUID: sopInstance,
                    transferSyntaxUID: context?.transferSyntax ?? DicomUID.implicitVRLittleEndian,
                    sourceAETitle: association.request.callingAETitle)
            } catch {
                status = .outOfResources
                comment = error.message
            }
        }
        var writeError: DicomError?
        try association.receiveDataSet(contextID: contextID) { fragment throws(DicomError) in
            guard let w = writer, writeError == nil else { return }
            do throws(DicomError) { try w.append(fragment) } catch { writeError = error }
        }
        if let writeError {
            writer?.discard()
            status = .outOfResources
            comment = writeError.message
        } else if let writer {
            do throws(DicomError) { try writer.finish() } catch {
                status = .outOfResources
                comment = error.message
            }
        }
        counters.withLock { if status.isSuccess { $0.stored += 1 } else { $0.storeFailures += 1 } }
        log("\(association.transport.peerDescription): C-STORE \(sopInstance) → \(status)")
        try association.send(
            command: DIMSE.storeResponse(to: id, sopClassUID: sopClass, sopInstanceUID: sopInstance, status: status, errorComment: comment),
            contextID: contextID)
    }

    /// A safe file name for a SOP instance UID: digits and dots only, never a path.
    static func fileName(for sopInstanceUID: String) -> String {
        let safe = String(sopInstanceUID.unicodeScalars.map { ($0 >= "0" && $0 <= "9") || $0 == "." ? Character($0) : "_" }.prefix(64))
        let trimmed = safe.hasPrefix(".") ? "_" + safe : safe
        return (trimmed.isEmpty ? DicomUID.make() : trimmed) + ".dcm"
    }

    private func log(_ line: @autoclosure () -> String) {
        guard let log = configuration.log else { return }
        log(line())
    }
}
