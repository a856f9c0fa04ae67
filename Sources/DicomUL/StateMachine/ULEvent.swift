/// The upper-layer events of PS3.8 Table 9-10 (§9.2.1).
public enum ULEvent: Int, CaseIterable, Sendable, CustomStringConvertible {
    case associateRequest = 1            // Evt1: A-ASSOCIATE request (local user)
    case transportConnectConfirm = 2     // Evt2: transport connect confirmation
    case associateACReceived = 3         // Evt3: A-ASSOCIATE-AC PDU received
    case associateRJReceived = 4         // Evt4: A-ASSOCIATE-RJ PDU received
    case transportConnectIndication = 5  // Evt5: transport connection indication
    case associateRQReceived = 6         // Evt6: A-ASSOCIATE-RQ PDU received
    case associateAccept = 7             // Evt7: A-ASSOCIATE response primitive (accept)
    case associateReject = 8             // Evt8: A-ASSOCIATE response primitive (reject)
    case dataRequest = 9                 // Evt9: P-DATA request primitive
    case dataTFReceived = 10             // Evt10: P-DATA-TF PDU received
    case releaseRequest = 11             // Evt11: A-RELEASE request primitive
    case releaseRQReceived = 12          // Evt12: A-RELEASE-RQ PDU received
    case releaseRPReceived = 13          // Evt13: A-RELEASE-RP PDU received
    case releaseResponse = 14            // Evt14: A-RELEASE response primitive
    case abortRequest = 15               // Evt15: A-ABORT request primitive
    case abortReceived = 16              // Evt16: A-ABORT PDU received
    case transportClosed = 17            // Evt17: transport connection closed indication
    case artimExpired = 18               // Evt18: ARTIM timer expired
    case invalidPDUReceived = 19         // Evt19: unrecognized or invalid PDU received

    /// "EvtN".
    public var description: String { "Evt\(rawValue)" }

    /// The event a received PDU raises (Evt3, 4, 6, 10, 12, 13, 16).
    public init(received pdu: PDU) {
        switch pdu {
        case .associateAC: self = .associateACReceived
        case .associateRJ: self = .associateRJReceived
        case .associateRQ: self = .associateRQReceived
        case .dataTF: self = .dataTFReceived
        case .releaseRQ: self = .releaseRQReceived
        case .releaseRP: self = .releaseRPReceived
        case .abort: self = .abortReceived
        }
    }
}
