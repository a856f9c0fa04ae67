/// Builders for the DIMSE-C command sets this module speaks (PS3.7 §9.3.1 C-STORE, §9.3.2.3 C-CANCEL, §9.3.5 C-ECHO).
public enum DIMSE {
    /// Command Data Set Type value meaning "no data set" (PS3.7 E.1-1).
    static let noDataSet: UInt16 = 0x0101

    /// C-ECHO-RQ (PS3.7 Table 9.3-12).
    public static func echoRequest(messageID: UInt16) -> CommandSet {
        var c = CommandSet()
        c.set(0x0002, uid: DicomUID.verification)
        c.set(0x0100, uint16: CommandField.cEchoRQ.rawValue)
        c.set(0x0110, uint16: messageID)
        c.set(0x0800, uint16: noDataSet)
        return c
    }

    /// C-CANCEL-RQ (PS3.7 §9.3.2.3) for the request `messageID`; no data set, no response.
    public static func cancelRequest(messageID: UInt16) -> CommandSet {
        var c = CommandSet()
        c.set(0x0100, uint16: CommandField.cCancelRQ.rawValue)
        c.set(0x0120, uint16: messageID)
        c.set(0x0800, uint16: noDataSet)
        return c
    }

    /// C-ECHO-RSP (PS3.7 Table 9.3-13).
    public static func echoResponse(to messageID: UInt16, status: DIMSEStatus = .success) -> CommandSet {
        var c = CommandSet()
        c.set(0x0002, uid: DicomUID.verification)
        c.set(0x0100, uint16: CommandField.cEchoRSP.rawValue)
        c.set(0x0120, uint16: messageID)
        c.set(0x0800, uint16: noDataSet)
        c.set(0x0900, uint16: status.rawValue)
        return c
    }

    /// C-STORE-RQ (PS3.7 Table 9.3-1); priority 0 is MEDIUM.
    public static func storeRequest(messageID: UInt16, sopClassUID: String, sopInstanceUID: String, priority: UInt16 = 0) -> CommandSet {
        var c = CommandSet()
        c.set(0x0002, uid: sopClassUID)
        c.set(0x0100, uint16: CommandField.cStoreRQ.rawValue)
        c.set(0x0110, uint16: messageID)
        c.set(0x0700, uint16: priority)
        c.set(0x0800, uint16: 0x0000)  // a data set follows
        c.set(0x1000, uid: sopInstanceUID)
        return c
    }

    /// The status of a C-STORE-RSP: success or warning (PS3.7 Annex C); a failure status is
    /// `.dimseFailure` (its message starts with `subject`, e.g. the file's path, when given),
    /// anything else `.invalidDIMSE`. Both the blocking and the async association use it.
    public static func storeStatus(of response: CommandSet, subject: String? = nil) throws(DicomError) -> DIMSEStatus {
        guard response.commandField == .cStoreRSP, let status = response.status else {
            throw DicomError(.invalidDIMSE, "the answer to C-STORE-RQ is not a C-STORE-RSP with a status")
        }
        guard status.isSuccess || status.isWarning else {
            let comment = response.errorComment.map { ": \($0)" } ?? ""
            throw DicomError(.dimseFailure, "\(subject.map { "\($0): " } ?? "")C-STORE failed with status \(status)\(comment)")
        }
        return status
    }

    /// C-STORE-RSP (PS3.7 Table 9.3-2).
    public static func storeResponse(
        to messageID: UInt16, sopClassUID: String, sopInstanceUID: String, status: DIMSEStatus, errorComment: String? = nil
    ) -> CommandSet {
        var c = CommandSet()
        c.set(0x0002, uid: sopClassUID)
        c.set(0x0100, uint16: CommandField.cStoreRSP.rawValue)
        c.set(0x0120, uint16: messageID)
        c.set(0x0800, uint16: noDataSet)
        c.set(0x0900, uint16: status.rawValue)
        c.set(0x1000, uid: sopInstanceUID)
        if let errorComment, !status.isSuccess { c.set(0x0902, text: String(errorComment.prefix(64))) }
        return c
    }
}
