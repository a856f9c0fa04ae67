/// The actions of PS3.8 Table 9-7 to 9-9 (§9.2.2), each with the state it leads to.
public enum ULAction: String, CaseIterable, Sendable, CustomStringConvertible {
    // Association establishment (Table 9-6)
    case ae1 = "AE-1"   // issue TRANSPORT CONNECT request → Sta4
    case ae2 = "AE-2"   // send A-ASSOCIATE-RQ PDU → Sta5
    case ae3 = "AE-3"   // issue A-ASSOCIATE confirmation (accept) → Sta6
    case ae4 = "AE-4"   // issue A-ASSOCIATE confirmation (reject), close transport → Sta1
    case ae5 = "AE-5"   // issue transport connection response, start ARTIM → Sta2
    case ae6 = "AE-6"   // stop ARTIM; acceptable: A-ASSOCIATE indication → Sta3; else send A-ASSOCIATE-RJ, start ARTIM → Sta13
    case ae7 = "AE-7"   // send A-ASSOCIATE-AC PDU → Sta6
    case ae8 = "AE-8"   // send A-ASSOCIATE-RJ PDU, start ARTIM → Sta13
    // Data transfer (Table 9-7)
    case dt1 = "DT-1"   // send P-DATA-TF PDU → Sta6
    case dt2 = "DT-2"   // issue P-DATA indication → Sta6
    // Association release (Table 9-8)
    case ar1 = "AR-1"   // send A-RELEASE-RQ PDU → Sta7
    case ar2 = "AR-2"   // issue A-RELEASE indication → Sta8
    case ar3 = "AR-3"   // issue A-RELEASE confirmation, close transport → Sta1
    case ar4 = "AR-4"   // send A-RELEASE-RP PDU, start ARTIM → Sta13
    case ar5 = "AR-5"   // stop ARTIM → Sta1
    case ar6 = "AR-6"   // issue P-DATA indication → Sta7
    case ar7 = "AR-7"   // send P-DATA-TF PDU → Sta8
    case ar8 = "AR-8"   // issue A-RELEASE indication (release collision): requestor → Sta9, acceptor → Sta10
    case ar9 = "AR-9"   // send A-RELEASE-RP PDU → Sta11
    case ar10 = "AR-10" // issue A-RELEASE confirmation → Sta12
    // Association abort (Table 9-9)
    case aa1 = "AA-1"   // send A-ABORT PDU (service-user source), start or restart ARTIM → Sta13
    case aa2 = "AA-2"   // stop ARTIM if running, close transport → Sta1
    case aa3 = "AA-3"   // issue A-ABORT (user source) or A-P-ABORT (provider source) indication, close transport → Sta1
    case aa4 = "AA-4"   // issue A-P-ABORT indication → Sta1
    case aa5 = "AA-5"   // stop ARTIM → Sta1
    case aa6 = "AA-6"   // ignore PDU → Sta13
    case aa7 = "AA-7"   // send A-ABORT PDU → Sta13
    case aa8 = "AA-8"   // send A-ABORT PDU (service-provider source), issue A-P-ABORT indication, start ARTIM → Sta13

    /// The PS3.8 name, e.g. "AE-1".
    public var description: String { rawValue }

    /// The state the action leads to. AE-6 and AR-8 branch: `acceptable` (AE-6) and
    /// `isRequestor` (AR-8) choose the branch.
    public func nextState(isRequestor: Bool, acceptable: Bool = true) -> ULState {
        switch self {
        case .ae1: .awaitingTransportOpen
        case .ae2: .awaitingAssociateAC
        case .ae3, .ae7, .dt1, .dt2: .established
        case .ae4, .ar3, .ar5, .aa2, .aa3, .aa4, .aa5: .idle
        case .ae5: .awaitingAssociateRQ
        case .ae6: acceptable ? .awaitingLocalAssociateResponse : .awaitingTransportClose
        case .ae8, .ar4, .aa1, .aa6, .aa7, .aa8: .awaitingTransportClose
        case .ar1, .ar6: .awaitingReleaseRP
        case .ar2, .ar7: .awaitingLocalReleaseResponse
        case .ar8: isRequestor ? .collisionRequestorAwaitingLocalResponse : .collisionAcceptorAwaitingReleaseRP
        case .ar9: .collisionRequestorAwaitingReleaseRP
        case .ar10: .collisionAcceptorAwaitingLocalResponse
        }
    }
}
