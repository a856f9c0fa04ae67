/// What the upper-layer engine reports to its user (PS3.8 §9.2.2 "issue ... primitive").
public enum ULIndication: Sendable, Equatable {
    /// A-ASSOCIATE indication (AE-6): the peer asks for an association; answer with
    /// ``ULConnection/accept(_:)`` or ``ULConnection/reject(_:)``.
    case associateRequest(AssociateRQ)
    /// A-ASSOCIATE confirmation, accepted (AE-3).
    case associateAccepted(AssociateAC)
    /// A-ASSOCIATE confirmation, rejected (AE-4).
    case associateRejected(AssociateRJ)
    /// P-DATA indication (DT-2, AR-6).
    case data(PDataTF)
    /// A-RELEASE indication (AR-2, AR-8): answer with ``ULConnection/respondRelease()``.
    case releaseRequested
    /// A-RELEASE confirmation (AR-3, AR-10).
    case releaseConfirmed
    /// A-ABORT indication: the peer's service user aborted (AA-3).
    case aborted(Abort)
    /// A-P-ABORT indication (AA-3 provider source, AA-4, AA-8) with its cause.
    case providerAborted(DicomError)
}
