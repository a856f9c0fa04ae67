/// The upper-layer states of PS3.8 Table 9-10 (§9.2.1).
public enum ULState: Int, CaseIterable, Sendable, CustomStringConvertible {
    case idle = 1                                   // Sta1
    case awaitingAssociateRQ = 2                    // Sta2: transport open, awaiting A-ASSOCIATE-RQ PDU
    case awaitingLocalAssociateResponse = 3         // Sta3: awaiting local A-ASSOCIATE response primitive
    case awaitingTransportOpen = 4                  // Sta4: awaiting transport connection to complete
    case awaitingAssociateAC = 5                    // Sta5: awaiting A-ASSOCIATE-AC or -RJ PDU
    case established = 6                            // Sta6: ready for data transfer
    case awaitingReleaseRP = 7                      // Sta7: awaiting A-RELEASE-RP PDU
    case awaitingLocalReleaseResponse = 8           // Sta8: awaiting local A-RELEASE response primitive
    case collisionRequestorAwaitingLocalResponse = 9   // Sta9: release collision, requestor, awaiting local response
    case collisionAcceptorAwaitingReleaseRP = 10        // Sta10: release collision, acceptor, awaiting A-RELEASE-RP
    case collisionRequestorAwaitingReleaseRP = 11       // Sta11: release collision, requestor, awaiting A-RELEASE-RP
    case collisionAcceptorAwaitingLocalResponse = 12    // Sta12: release collision, acceptor, awaiting local response
    case awaitingTransportClose = 13                // Sta13: association gone, awaiting transport close

    /// "StaN".
    public var description: String { "Sta\(rawValue)" }
}
