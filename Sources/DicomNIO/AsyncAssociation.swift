import DicomUL
import NIOCore

/// An established association on the requestor side, used by one task inside
/// ``DicomAsyncClient/withAssociation(proposing:_:)``: C-ECHO, C-STORE of files or data-set
/// sources, any other DIMSE request with its response stream, release and abort.
///
/// One request at a time (PS3.7 asynchronous operations window of 1, as negotiated by default).
public final class AsyncAssociation {
    /// The A-ASSOCIATE-RQ we sent.
    public let request: AssociateRQ
    /// The peer's A-ASSOCIATE-AC.
    public let acceptance: AssociateAC
    /// The accepted presentation contexts by ID.
    public let contexts: [UInt8: NegotiatedContext]
    /// "host:port" of the peer.
    public let peer: String
    /// The TLS link (suite, peer certificate); nil over plain TCP.
    public let secureLink: SecureLink?
    /// Whether the association can still carry messages (not released, aborted or failed).
    public private(set) var isOpen = true

    let connection: DicomAssociationChannel
    let reader: InboundReader
    let outbound: NIOAsyncChannelOutboundWriter<DicomOutbound>
    let timeouts: DicomTimeouts
    /// Bytes of a data set per write: whole PDVs of the peer's maximum, about 256 KiB.
    let chunkLength: Int
    private var messageIDs = MessageIDCounter()

    private init(
        connection: DicomAssociationChannel, reader: InboundReader, outbound: NIOAsyncChannelOutboundWriter<DicomOutbound>,
        request: AssociateRQ, acceptance: AssociateAC, link: SecureLink?, timeouts: DicomTimeouts, peer: String
    ) {
        self.connection = connection
        self.reader = reader
        self.outbound = outbound
        self.request = request
        self.acceptance = acceptance
        self.contexts = NegotiatedContext.accepted(request: request, acceptance: acceptance)
        self.secureLink = link
        self.timeouts = timeouts
        self.peer = peer
        let fragment = PDVFragmenter(peerMaximumPDULength: acceptance.userInformation.maximumLength ?? 0).fragmentLength
        chunkLength = fragment * max(1, (256 << 10) / fragment)
    }

    /// Reads the peer's answer to the A-ASSOCIATE-RQ.
    static func establish(
        connection: DicomAssociationChannel, reader: InboundReader, outbound: NIOAsyncChannelOutboundWriter<DicomOutbound>,
        request: AssociateRQ, link: SecureLink?, timeouts: DicomTimeouts, peer: String
    ) async throws -> AsyncAssociation {
        switch try await reader.next() {
        case .associateAccepted(let ac)?:
            return AsyncAssociation(
                connection: connection, reader: reader, outbound: outbound, request: request, acceptance: ac, link: link,
                timeouts: timeouts, peer: peer)
        case .associateRejected(let rj)?:
            throw DicomError(.associationRejected, "\(peer) rejected the association (called AE \(LogText.quoted(request.calledAETitle)), calling AE \(LogText.quoted(request.callingAETitle))): \(rj)")
        case let other?:
            throw DicomError(.unexpectedPDU, "\(peer) answered the A-ASSOCIATE-RQ with \(other)")
        case nil:
            throw DicomError(.connectionClosed, "\(peer) closed the connection without answering the A-ASSOCIATE-RQ")
        }
    }

    /// The next Message ID (never 0).
    public func nextMessageID() -> UInt16 { messageIDs.next() }

    /// The accepted context for an abstract syntax, preferring `transferSyntax` when given.
    public func context(for abstractSyntax: String, transferSyntax: String? = nil) -> NegotiatedContext? {
        contexts.context(for: abstractSyntax, transferSyntax: transferSyntax)
    }

    // MARK: Services

    /// C-ECHO (PS3.4 Annex A): the status of the C-ECHO-RSP.
    public func echo() async throws -> DIMSEStatus {
        guard let context = context(for: DicomUID.verification) else {
            throw DicomError(.noPresentationContext, "\(peer) did not accept the Verification SOP class")
        }
        let response = try await exchange(DIMSE.echoRequest(messageID: nextMessageID()), contextID: context.id, dataSet: nil)
        guard response.commandField == .cEchoRSP, let status = response.status else {
            throw DicomError(.invalidDIMSE, "the answer to C-ECHO-RQ is not a C-ECHO-RSP with a status")
        }
        return status
    }

    /// C-STORE of a Part 10 file's data set, read from disk as it is sent; throws
    /// `.dimseFailure` on a failure status (warnings are returned).
    public func store(file: Part10File) async throws -> DIMSEStatus {
        guard let context = context(for: file.sopClassUID, transferSyntax: file.transferSyntaxUID) else {
            throw DicomError(.noPresentationContext,
                             "\(file.path): the peer accepted no presentation context for SOP class \(file.sopClassUID) with transfer syntax \(file.transferSyntaxUID)")
        }
        do {
            return try await store(FileDataSet(file), sopClassUID: file.sopClassUID, sopInstanceUID: file.sopInstanceUID, contextID: context.id)
        } catch let error as DicomError where error.code == .dimseFailure {
            throw DicomError(.dimseFailure, "\(file.path): \(error.message)")
        }
    }

    /// C-STORE of a data set from any source on an accepted context (encoded in its transfer
    /// syntax); throws `.dimseFailure` on a failure status.
    public func store(
        _ dataSet: some DataSetSource, sopClassUID: String, sopInstanceUID: String, contextID: UInt8
    ) async throws -> DIMSEStatus {
        let request = DIMSE.storeRequest(messageID: nextMessageID(), sopClassUID: sopClassUID, sopInstanceUID: sopInstanceUID)
        let response = try await exchange(request, contextID: contextID, dataSet: dataSet)
        return try DIMSE.storeStatus(of: response)
    }

    /// Sends any DIMSE request (C-FIND, C-MOVE, C-GET, N-*; its Message ID is used as is)
    /// and its data set; the responses come as an `AsyncSequence` that ends after the final
    /// (non-pending) one. Read it to its end before the next request.
    public func send(
        command: CommandSet, contextID: UInt8, dataSet: (any DataSetSource)? = nil
    ) async throws -> DIMSEResponses {
        try await write(command, contextID: contextID, dataSet: dataSet)
        return DIMSEResponses(association: self, messageID: command.messageID ?? 0, contextID: contextID)
    }

    /// Asks the peer to stop the C-FIND, C-GET or C-MOVE `messageID` (C-CANCEL-RQ, PS3.7
    /// §9.3.2.3), e.g. between two pending responses of ``send(command:contextID:dataSet:)``.
    /// C-CANCEL has no response: keep reading the request's responses to their final one,
    /// which says Cancel (FE00) if the peer stopped, or its usual status if it had finished.
    public func cancel(messageID: UInt16, contextID: UInt8) async throws {
        try await write(DIMSE.cancelRequest(messageID: messageID), contextID: contextID, dataSet: nil)
    }

    /// Sends a request and returns its single final response (data set read and dropped).
    func exchange(_ command: CommandSet, contextID: UInt8, dataSet: (any DataSetSource)?) async throws -> CommandSet {
        let responses = try await send(command: command, contextID: contextID, dataSet: dataSet)
        var last: CommandSet?
        for try await response in responses { last = response.command }
        guard let last else { throw DicomError(.invalidDIMSE, "\(peer) sent no response") }
        return last
    }

    // MARK: Release and abort

    /// Releases the association (A-RELEASE-RQ, wait for the RP) and closes.
    public func release() async throws {
        guard isOpen else { return }
        isOpen = false
        do {
            try await outbound.write(.release)
        } catch {
            throw await reason(for: error)
        }
        while let element = try await reader.next() {
            if element == .releaseConfirmed { return }
        }
    }

    /// Aborts (A-ABORT) and closes the connection; the association is unusable afterwards.
    public func abort() {
        isOpen = false
        connection.abort()
    }

    // MARK: Writing and reading

    private func write(_ command: CommandSet, contextID: UInt8, dataSet: (any DataSetSource)?) async throws {
        guard isOpen else { throw DicomError(.invalidState, "the association with \(peer) is no longer open") }
        guard contexts[contextID] != nil else {
            throw DicomError(.noPresentationContext, "presentation context \(contextID) was not accepted")
        }
        do {
            try await outbound.write(.command(command, contextID: contextID))
            guard let dataSet else { return }
            var offset = 0
            repeat {
                // A new buffer per chunk: the writer lets the next chunk through as soon as
                // this one is queued, not when the driver has framed it, so refilling one
                // buffer would copy it on write every time.
                let count = min(chunkLength, dataSet.length - offset)
                let buffer = try dataSet.chunk(count: count, offset: offset)
                offset += count
                try await outbound.write(.dataFragment(buffer, contextID: contextID, isLast: offset >= dataSet.length))
            } while offset < dataSet.length
        } catch {
            isOpen = false
            throw await reason(for: error)
        }
    }

    /// Why a write failed: a closed channel says nothing, so the error the driver reported
    /// on the inbound side (timeout, A-ABORT, TLS alert) is taken when there is one.
    private func reason(for error: any Error) async -> any Error {
        guard error is ChannelError else { return error }
        do {
            while try await reader.next() != nil {}  // the channel is closed: what is buffered, then the end
        } catch {
            return error
        }
        return DicomError(.connectionClosed, "\(peer) closed the connection")
    }

    /// The next response element of the request in progress.
    func nextResponse(messageID: UInt16, contextID: UInt8) async throws -> DIMSEResponse {
        guard let element = try await reader.next() else {
            isOpen = false
            throw DicomError(.connectionClosed, "\(peer) closed the connection instead of answering")
        }
        guard case .command(let id, let command) = element else {
            isOpen = false
            if element == .releaseRequested {
                throw DicomError(.connectionClosed, "\(peer) released the association instead of answering")
            }
            throw DicomError(.unexpectedPDU, "\(peer) sent \(element) where a response was expected")
        }
        guard id == contextID, command.messageIDBeingRespondedTo == messageID else {
            abort()
            throw DicomError(.invalidDIMSE, "response answers message \(command.messageIDBeingRespondedTo.map(String.init) ?? "?") on context \(id), expected \(messageID) on \(contextID)")
        }
        var dataSet: [UInt8]?
        if command.hasDataSet {
            var bytes: [UInt8] = []
            while true {
                guard case .dataFragment(_, let chunk, let isLast)? = try await reader.next() else {
                    abort()
                    throw DicomError(.invalidDIMSE, "the response data set from \(peer) ended early")
                }
                guard bytes.count + chunk.count <= DIMSEResponses.maximumDataSetLength else {
                    abort()
                    throw DicomError(.invalidDIMSE, "a response data set from \(peer) exceeds \(DIMSEResponses.maximumDataSetLength) bytes")
                }
                bytes += chunk
                if isLast { break }
            }
            dataSet = bytes
        }
        return DIMSEResponse(command: command, dataSet: dataSet)
    }
}

@available(*, unavailable)
extension AsyncAssociation: Sendable {}
