/// PS3.8 Table 9-10, the DICOM upper-layer state transition table, as data.
///
/// Keyed by (state, event); a missing key is an empty cell: the event cannot occur in that
/// state (for local primitives that is caller misuse; every PDU event is covered in every
/// state where a transport connection exists).
public enum ULStateTable {
    /// A table key.
    public struct Key: Hashable, Sendable {
        /// The current state.
        public var state: ULState
        /// The event.
        public var event: ULEvent
        /// Creates a key.
        public init(_ state: ULState, _ event: ULEvent) {
            self.state = state
            self.event = event
        }
    }

    /// The action for `event` in `state`, or nil for an empty cell.
    public static func action(for event: ULEvent, in state: ULState) -> ULAction? {
        table[Key(state, event)]
    }

    /// Every filled cell of Table 9-10.
    public static let table: [Key: ULAction] = {
        var t: [Key: ULAction] = [:]
        func set(_ event: ULEvent, _ states: [Int], _ action: ULAction) {
            for s in states {
                guard let state = ULState(rawValue: s) else { continue }
                t[Key(state, event)] = action
            }
        }
        let sta6to12 = Array(6...12), sta5to12 = Array(5...12), sta3to12 = Array(3...12)

        set(.associateRequest, [1], .ae1)
        set(.transportConnectConfirm, [4], .ae2)

        // Evt3 A-ASSOCIATE-AC and Evt4 A-ASSOCIATE-RJ PDUs.
        set(.associateACReceived, [2], .aa1)
        set(.associateACReceived, [3] + sta6to12, .aa8)
        set(.associateACReceived, [5], .ae3)
        set(.associateACReceived, [13], .aa6)
        set(.associateRJReceived, [2], .aa1)
        set(.associateRJReceived, [3] + sta6to12, .aa8)
        set(.associateRJReceived, [5], .ae4)
        set(.associateRJReceived, [13], .aa6)

        set(.transportConnectIndication, [1], .ae5)

        // Evt6 A-ASSOCIATE-RQ PDU.
        set(.associateRQReceived, [2], .ae6)
        set(.associateRQReceived, [3] + sta5to12, .aa8)
        set(.associateRQReceived, [13], .aa7)

        set(.associateAccept, [3], .ae7)
        set(.associateReject, [3], .ae8)

        set(.dataRequest, [6], .dt1)
        set(.dataRequest, [8], .ar7)

        // Evt10 P-DATA-TF PDU.
        set(.dataTFReceived, [2], .aa1)
        set(.dataTFReceived, [3, 5] + Array(8...12), .aa8)
        set(.dataTFReceived, [6], .dt2)
        set(.dataTFReceived, [7], .ar6)
        set(.dataTFReceived, [13], .aa6)

        set(.releaseRequest, [6], .ar1)

        // Evt12 A-RELEASE-RQ PDU.
        set(.releaseRQReceived, [2], .aa1)
        set(.releaseRQReceived, [3, 5] + Array(8...12), .aa8)
        set(.releaseRQReceived, [6], .ar2)
        set(.releaseRQReceived, [7], .ar8)
        set(.releaseRQReceived, [13], .aa6)

        // Evt13 A-RELEASE-RP PDU.
        set(.releaseRPReceived, [2], .aa1)
        set(.releaseRPReceived, [3, 5, 6, 8, 9, 12], .aa8)
        set(.releaseRPReceived, [7, 11], .ar3)
        set(.releaseRPReceived, [10], .ar10)
        set(.releaseRPReceived, [13], .aa6)

        set(.releaseResponse, [8, 12], .ar4)
        set(.releaseResponse, [9], .ar9)

        // Evt15 A-ABORT request primitive.
        set(.abortRequest, [3] + sta5to12, .aa1)
        set(.abortRequest, [4], .aa2)

        // Evt16 A-ABORT PDU.
        set(.abortReceived, [2, 13], .aa2)
        set(.abortReceived, [3] + sta5to12, .aa3)

        // Evt17 transport closed.
        set(.transportClosed, [2], .aa5)
        set(.transportClosed, sta3to12, .aa4)
        set(.transportClosed, [13], .ar5)

        // Evt18 ARTIM expired.
        set(.artimExpired, [2, 13], .aa2)

        // Evt19 invalid PDU.
        set(.invalidPDUReceived, [2], .aa1)
        set(.invalidPDUReceived, [3] + sta5to12, .aa8)
        set(.invalidPDUReceived, [13], .aa7)
        return t
    }()
}
