import DicomUL

/// One DIMSE response: the command set and, if it has one, its data set (e.g. a C-FIND
/// pending response's identifier).
public struct DIMSEResponse: Sendable, Equatable {
    /// The response command set.
    public let command: CommandSet
    /// The data set, collected (at most ``DIMSEResponses/maximumDataSetLength`` bytes).
    public let dataSet: [UInt8]?

    /// The response's status (0000 when absent, which a valid response never is).
    public var status: DIMSEStatus { command.status ?? .success }
    /// Whether more responses follow (FF00, FF01: pending).
    public var isPending: Bool { status.isPending }
}

/// The responses to one request sent with ``AsyncAssociation/send(command:contextID:dataSet:)``:
/// pending ones, then the final one, after which the sequence ends.
public final class DIMSEResponses: AsyncSequence {
    public typealias Element = DIMSEResponse

    /// The largest response data set collected (a peer-controlled size).
    public static let maximumDataSetLength = 16 << 20

    private let association: AsyncAssociation
    private let messageID: UInt16
    private let contextID: UInt8
    private var finished = false

    init(association: AsyncAssociation, messageID: UInt16, contextID: UInt8) {
        self.association = association
        self.messageID = messageID
        self.contextID = contextID
    }

    /// The next response; nil after the final one.
    public func nextResponse() async throws -> DIMSEResponse? {
        guard !finished else { return nil }
        let response = try await association.nextResponse(messageID: messageID, contextID: contextID)
        finished = !response.isPending
        return response
    }

    /// The iterator.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let responses: DIMSEResponses
        /// The next response.
        public mutating func next() async throws -> DIMSEResponse? { try await responses.nextResponse() }
    }

    /// Iterates the responses.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(responses: self) }
}

@available(*, unavailable)
extension DIMSEResponses: Sendable {}
