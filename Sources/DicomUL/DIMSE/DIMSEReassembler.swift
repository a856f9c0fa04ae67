/// Reassembles received presentation data values into DIMSE messages (PS3.7 §6.3.1,
/// PS3.8 Annex E), without I/O: the blocking ``Association`` and the SwiftNIO driver feed it
/// the PDVs of each P-DATA-TF and act on what it returns.
///
/// A message is a command set (its fragments concatenated, at most
/// ``CommandSet/maximumLength`` bytes) followed, when the command says so, by a data set on
/// the same presentation context. Command fragments are collected and decoded; data set
/// fragments are handed out one by one, never collected, so a large object is never whole in
/// memory. Every violation (a fragment of the wrong kind, context or size) throws
/// `.invalidDIMSE`; the driver then aborts the association.
public struct DIMSEReassembler: Sendable {
    /// One step of a message.
    public enum Part: Sendable, Equatable {
        /// A whole command set, received on `contextID`.
        case command(contextID: UInt8, CommandSet)
        /// A fragment of the data set that follows the last command; `isLast` ends it.
        case dataFragment(contextID: UInt8, ArraySlice<UInt8>, isLast: Bool)
    }

    /// What the next PDV must be.
    public enum Expecting: Sendable, Equatable {
        /// A command fragment (between messages, or inside a command).
        case command
        /// A fragment of the data set on this context.
        case dataSet(contextID: UInt8)
    }

    /// The accepted presentation context IDs.
    public let acceptedContexts: Set<UInt8>
    /// What the next PDV must be.
    public private(set) var expecting = Expecting.command
    private var commandBytes: [UInt8] = []
    private var commandContext: UInt8?

    /// A reassembler for an association whose accepted contexts are `acceptedContexts`.
    public init(acceptedContexts: Set<UInt8>) {
        self.acceptedContexts = acceptedContexts
    }

    /// Whether a message is under way (a command partly received, or its data set).
    public var isInsideMessage: Bool { commandContext != nil || expecting != .command }

    /// Consumes one PDV; returns a whole command or a data set fragment, or nil while a
    /// command is still incomplete.
    public mutating func consume(_ pdv: PresentationDataValue) throws(DicomError) -> Part? {
        switch expecting {
        case .command:
            guard pdv.isCommand else { throw Self.violation("received a data set fragment where a command was expected") }
            if let commandContext, commandContext != pdv.contextID {
                throw Self.violation("command fragments arrived on presentation contexts \(commandContext) and \(pdv.contextID)")
            }
            guard acceptedContexts.contains(pdv.contextID) else {
                throw Self.violation("command on presentation context \(pdv.contextID), which was not accepted")
            }
            guard commandBytes.count + pdv.data.count <= CommandSet.maximumLength else {
                throw Self.violation("command set exceeds \(CommandSet.maximumLength) bytes")
            }
            commandContext = pdv.contextID
            commandBytes += pdv.data
            guard pdv.isLast else { return nil }
            let bytes = commandBytes
            commandBytes = []
            commandContext = nil
            let command: CommandSet
            do throws(DicomError) {
                command = try CommandSet(decoding: bytes)
            } catch {
                throw Self.violation(error.message)
            }
            if command.hasDataSet { expecting = .dataSet(contextID: pdv.contextID) }
            return .command(contextID: pdv.contextID, command)
        case .dataSet(let contextID):
            guard !pdv.isCommand else { throw Self.violation("received a command fragment inside a data set") }
            guard pdv.contextID == contextID else {
                throw Self.violation("data set fragment on presentation context \(pdv.contextID), expected \(contextID)")
            }
            if pdv.isLast { expecting = .command }
            return .dataFragment(contextID: contextID, pdv.data, isLast: pdv.isLast)
        }
    }

    private static func violation(_ message: String) -> DicomError {
        DicomError(.invalidDIMSE, message, abortReason: .unexpectedPDUParameter)
    }
}
