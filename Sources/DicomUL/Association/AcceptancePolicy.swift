/// How an acceptor answers an A-ASSOCIATE-RQ (PS3.8 §9.3.3, PS3.7 Annex D.3.3).
///
/// The called AE title must match ``aeTitle`` (unless nil), the calling AE title must be in
/// ``allowedCallingAETitles`` (unless nil), and each presentation context is answered from
/// the supported abstract syntaxes and transfer syntaxes with result codes 0–4.
public struct AcceptancePolicy: Sendable, Equatable {
    /// Our AE title; a request calling another title is rejected (called-AE-title-not-recognized). Nil accepts any.
    public var aeTitle: String?
    /// Calling AE titles allowed; nil allows any.
    public var allowedCallingAETitles: Set<String>?
    /// Abstract syntaxes accepted explicitly.
    public var abstractSyntaxes: Set<String>
    /// Whether every storage SOP class (`1.2.840.10008.5.1.4.…`) is accepted too.
    public var acceptsAllStorageClasses: Bool
    /// Abstract syntaxes the user refuses (result 1, user-rejection) even if otherwise supported.
    public var refusedAbstractSyntaxes: Set<String>
    /// Accepted transfer syntaxes; nil accepts any (a storage SCP that stores bytes as received
    /// can accept every transfer syntax). The requestor's order of preference wins.
    public var transferSyntaxes: Set<String>?
    /// At most this many presentation contexts are considered; later ones get result 2 (no-reason).
    public var maximumPresentationContexts: Int

    /// A policy for a storage SCP: Verification plus every storage SOP class, any transfer syntax.
    public static func storageSCP(aeTitle: String?) -> AcceptancePolicy {
        AcceptancePolicy(aeTitle: aeTitle, abstractSyntaxes: [DicomUID.verification], acceptsAllStorageClasses: true)
    }

    /// Creates a policy.
    public init(
        aeTitle: String?, allowedCallingAETitles: Set<String>? = nil, abstractSyntaxes: Set<String>,
        acceptsAllStorageClasses: Bool = false, refusedAbstractSyntaxes: Set<String> = [], transferSyntaxes: Set<String>? = nil,
        maximumPresentationContexts: Int = 128
    ) {
        self.aeTitle = aeTitle
        self.allowedCallingAETitles = allowedCallingAETitles
        self.abstractSyntaxes = abstractSyntaxes
        self.acceptsAllStorageClasses = acceptsAllStorageClasses
        self.refusedAbstractSyntaxes = refusedAbstractSyntaxes
        self.transferSyntaxes = transferSyntaxes
        self.maximumPresentationContexts = maximumPresentationContexts
    }

    /// The answer to `request`: an A-ASSOCIATE-AC or the A-ASSOCIATE-RJ with the right
    /// result, source and reason (PS3.8 Table 9-21).
    public func answer(_ request: AssociateRQ, maximumReceivePDULength: UInt32) -> AssociationAnswer {
        if request.applicationContextName != AssociateRQ.dicomApplicationContextName {
            return .reject(.applicationContextNameNotSupported)
        }
        if !AETitle.isValid(request.calledAETitle) {
            return .reject(.calledAETitleNotRecognized)
        }
        if !AETitle.isValid(request.callingAETitle) {
            return .reject(.callingAETitleNotRecognized)
        }
        if let aeTitle, request.calledAETitle != aeTitle {
            return .reject(.calledAETitleNotRecognized)
        }
        if let allowed = allowedCallingAETitles, !allowed.contains(request.callingAETitle) {
            return .reject(.callingAETitleNotRecognized)
        }
        let results = request.presentationContexts.enumerated().map { index, proposal in
            index < maximumPresentationContexts ? answer(proposal) : PresentationContextResult(
                id: proposal.id, result: .noReason, transferSyntax: proposal.transferSyntaxes.first ?? "")
        }
        return .accept(AssociateAC(
            calledAETitle: request.calledAETitle, callingAETitle: request.callingAETitle, presentationContexts: results,
            userInformation: UserInformation(
                maximumLength: maximumReceivePDULength, implementationClassUID: DicomUID.implementationClassUID,
                implementationVersionName: DicomUID.implementationVersionName)))
    }

    /// The answer for one proposed presentation context (PS3.8 Table 9-18).
    public func answer(_ proposal: PresentationContextProposal) -> PresentationContextResult {
        let abstract = proposal.abstractSyntax
        let fallback = proposal.transferSyntaxes.first ?? DicomUID.implicitVRLittleEndian
        if refusedAbstractSyntaxes.contains(abstract) {
            return PresentationContextResult(id: proposal.id, result: .userRejection, transferSyntax: fallback)
        }
        let supported = abstractSyntaxes.contains(abstract)
            || (acceptsAllStorageClasses && abstract.hasPrefix(DicomUID.storagePrefix))
        guard supported else {
            return PresentationContextResult(id: proposal.id, result: .abstractSyntaxNotSupported, transferSyntax: fallback)
        }
        guard let chosen = proposal.transferSyntaxes.first(where: { transferSyntaxes?.contains($0) ?? true }) else {
            return PresentationContextResult(id: proposal.id, result: .transferSyntaxesNotSupported, transferSyntax: fallback)
        }
        return PresentationContextResult(id: proposal.id, result: .acceptance, transferSyntax: chosen)
    }
}

/// An acceptor's answer to an A-ASSOCIATE-RQ.
public enum AssociationAnswer: Sendable, Equatable {
    /// Accept with this A-ASSOCIATE-AC.
    case accept(AssociateAC)
    /// Reject with this A-ASSOCIATE-RJ.
    case reject(AssociateRJ)
}
