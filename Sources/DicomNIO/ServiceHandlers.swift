import DicomUL
import NIOCore
import Synchronization
import TLSHandshake
import X509

/// What a service handler knows about the association it serves.
public struct AssociationInfo: Sendable {
    /// A number unique in this server process, for logs.
    public let id: UInt64
    /// "address:port" of the peer.
    public let peer: String
    /// The A-ASSOCIATE-RQ.
    public let request: AssociateRQ
    /// The accepted presentation contexts by ID.
    public let contexts: [UInt8: NegotiatedContext]
    /// The TLS handshake's outcome (suite, peer chain, verified); nil over plain TCP.
    public let tls: SessionInfo?

    /// The peer's own certificate, verified by the TLS handshake; nil without one.
    public var peerCertificate: Certificate? { tls?.peerCertificates.first }
    /// The calling AE title (the peer's).
    public var callingAETitle: String { request.callingAETitle }
    /// The called AE title (ours, as the peer addressed us).
    public var calledAETitle: String { request.calledAETitle }
}

/// An association request to decide on: an acceptance handler returns an
/// ``AssociationAnswer`` (accept, context by context, or reject with PS3.8 result, source
/// and reason).
public struct AssociationProposal: Sendable {
    /// "address:port" of the peer.
    public let peer: String
    /// The A-ASSOCIATE-RQ: AE titles, proposed contexts and transfer syntaxes, user information.
    public let request: AssociateRQ
    /// The TLS handshake's outcome with the peer's verified chain; nil over plain TCP.
    public let tls: SessionInfo?
    /// Our maximum PDU length, to put in an A-ASSOCIATE-AC.
    public let maximumReceivePDULength: UInt32

    /// The peer's own certificate; nil without one.
    public var peerCertificate: Certificate? { tls?.peerCertificates.first }

    /// An acceptance answering each proposed context with `decide` (PS3.8 Table 9-18).
    public func accept(_ decide: (PresentationContextProposal) -> PresentationContextResult) -> AssociationAnswer {
        .accept(AssociateAC(
            calledAETitle: request.calledAETitle, callingAETitle: request.callingAETitle,
            presentationContexts: request.presentationContexts.map(decide),
            userInformation: UserInformation(
                maximumLength: maximumReceivePDULength, implementationClassUID: DicomUID.implementationClassUID,
                implementationVersionName: DicomUID.implementationVersionName)))
    }

    /// The answer `policy` gives (AE titles, abstract and transfer syntaxes).
    public func answer(using policy: AcceptancePolicy) -> AssociationAnswer {
        policy.answer(request, maximumReceivePDULength: maximumReceivePDULength)
    }
}

/// Decides on association requests (after the admission limits and the certificate ↔ AE
/// title binding, when configured, have passed it).
public typealias AcceptanceHandler = @Sendable (AssociationProposal) async -> AssociationAnswer

/// Answers C-ECHO (PS3.4 Annex A, Verification).
public protocol EchoHandler: Sendable {
    /// The status to answer with.
    func echo(on association: AssociationInfo) async -> DIMSEStatus
}

/// A C-STORE request (PS3.7 §9.1.1) as a handler sees it.
public struct StoreRequest: Sendable {
    /// The C-STORE-RQ command set.
    public let command: CommandSet
    /// The presentation context it came on.
    public let context: NegotiatedContext
    /// The association.
    public let association: AssociationInfo

    /// Affected SOP Class UID.
    public var sopClassUID: String { command.affectedSOPClassUID ?? "" }
    /// Affected SOP Instance UID.
    public var sopInstanceUID: String { command.affectedSOPInstanceUID ?? "" }
}

/// The status a handler answers a request with, and an optional Error Comment (0000,0902).
public struct DIMSEOutcome: Sendable, Equatable {
    /// The status.
    public var status: DIMSEStatus
    /// Why (failures and warnings), at most 64 characters on the wire.
    public var comment: String?

    /// Creates an outcome.
    public init(_ status: DIMSEStatus, comment: String? = nil) {
        self.status = status
        self.comment = comment
    }
}

/// Stores C-STORE objects. The data set arrives as ``DataSetChunks`` while the peer sends
/// it; the handler decides where it goes (a file, a database, a stream) and answers.
public protocol StoreHandler: Sendable {
    /// Consumes `dataSet` (the rest is dropped after return) and returns the C-STORE-RSP status.
    func store(_ request: StoreRequest, dataSet: DataSetChunks) async throws -> DIMSEOutcome
}

/// Any other DIMSE request (C-FIND, C-MOVE, C-GET, N-*), its data set collected.
public struct DIMSERequest: Sendable {
    /// The command set.
    public let command: CommandSet
    /// The data set, if the command has one (at most ``DicomAsyncServerConfiguration/maximumRequestDataSetLength``).
    public let dataSet: [UInt8]?
    /// The presentation context it came on.
    public let context: NegotiatedContext
    /// The association.
    public let association: AssociationInfo
}

/// Sends the responses of one request (any number: pending ones, then a final one).
public struct DIMSEResponder: Sendable {
    let outbound: NIOAsyncChannelOutboundWriter<DicomOutbound>
    /// The presentation context of the request.
    public let contextID: UInt8
    let progress = ResponseProgress()

    init(outbound: NIOAsyncChannelOutboundWriter<DicomOutbound>, contextID: UInt8) {
        self.outbound = outbound
        self.contextID = contextID
    }

    /// Sends a response command and, if given, its data set (the command's Command Data Set
    /// Type must say so: ``CommandSet/response(status:hasDataSet:)`` does).
    ///
    /// - Throws: `CancellationError` for a pending response once the request is cancelled
    ///   (a C-CANCEL-RQ from the peer): nothing is sent, and the handler stops at its next
    ///   match. A final response is sent even then.
    public func send(_ command: CommandSet, dataSet: [UInt8]? = nil) async throws {
        let isFinal = !(command.status?.isPending ?? false)
        if !isFinal { try Task.checkCancellation() }
        if isFinal && Task.isCancelled {
            // The channel's writer refuses a cancelled task; a final response still goes out
            // (after a C-CANCEL-RQ, e.g. a C-MOVE's Cancel with its sub-operation counts).
            try await Task { [self] in try await write(command, dataSet: dataSet) }.value
        } else {
            try await write(command, dataSet: dataSet)
        }
        if isFinal { progress.markAnswered() }
    }

    private func write(_ command: CommandSet, dataSet: [UInt8]?) async throws {
        try await outbound.write(.command(command, contextID: contextID))
        if let dataSet { try await outbound.write(.dataFragment(dataSet, contextID: contextID, isLast: true)) }
    }
}

/// Whether a request's final response has gone out, shared by the copies of its responder.
final class ResponseProgress: Sendable {
    private let answered = Atomic<Bool>(false)
    var isAnswered: Bool { answered.load(ordering: .relaxed) }
    func markAnswered() { answered.store(true, ordering: .relaxed) }
}

/// Serves DIMSE requests the library does not (C-FIND, C-MOVE, C-GET, N-*).
///
/// A C-CANCEL-RQ for the request (PS3.7 §9.3.2.3) cancels the task running
/// ``handle(_:responder:)`` while it runs: `Task.isCancelled` turns true and
/// ``DIMSEResponder/send(_:dataSet:)`` of a pending response throws `CancellationError`. If
/// the handler then ends, returning or throwing, without a final response, the server sends
/// one with status FE00 (Cancel, PS3.4 C.4.1.1.4). A C-CANCEL-RQ for a request that is not
/// running is ignored; C-CANCEL has no response.
public protocol DIMSEServiceHandler: Sendable {
    /// Answers `request` through `responder`. If it throws, a failure response (0110,
    /// processing failure, the error as comment) is sent for it; after a C-CANCEL-RQ, the
    /// Cancel response instead.
    func handle(_ request: DIMSERequest, responder: DIMSEResponder) async throws
}

/// The handlers a server runs.
public struct DicomServices: Sendable {
    /// C-ECHO; nil answers success.
    public var echo: (any EchoHandler)?
    /// C-STORE; nil answers 0122 (SOP class not supported).
    public var store: (any StoreHandler)?
    /// Other commands by command field (the request's, e.g. C-FIND-RQ 0x0020).
    public var others: [UInt16: any DIMSEServiceHandler]

    /// Creates a set of handlers.
    public init(echo: (any EchoHandler)? = nil, store: (any StoreHandler)? = nil, others: [UInt16: any DIMSEServiceHandler] = [:]) {
        self.echo = echo
        self.store = store
        self.others = others
    }
}

extension CommandSet {
    /// The response command set to this request (PS3.7 Annex E): Affected SOP Class and
    /// Instance UIDs copied, Command Field with the response bit, Message ID Being Responded
    /// To, Command Data Set Type, Status.
    public func response(status: DIMSEStatus, hasDataSet: Bool = false, comment: String? = nil) -> CommandSet {
        var c = CommandSet()
        if let uid = affectedSOPClassUID { c.set(0x0002, uid: uid) }
        c.set(0x0100, uint16: (commandField?.rawValue ?? 0) | 0x8000)
        c.set(0x0120, uint16: messageID ?? 0)
        c.set(0x0800, uint16: hasDataSet ? 0x0000 : 0x0101)
        c.set(0x0900, uint16: status.rawValue)
        if let uid = affectedSOPInstanceUID { c.set(0x1000, uid: uid) }
        if let comment, !status.isSuccess { c.set(0x0902, text: String(comment.prefix(64))) }
        return c
    }
}
