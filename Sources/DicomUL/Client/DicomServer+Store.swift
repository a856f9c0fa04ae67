import Synchronization

extension DicomServer {
    /// C-STORE SCP (PS3.4 B.2): stream the data set to a Part 10 file, then answer.
    ///
    /// Resource limits (review F13): an object past ``DicomServerConfiguration/maximumObjectSize``,
    /// or one that would leave less than ``DicomServerConfiguration/minimumFreeSpace`` on the
    /// output folder's file system, is answered with A700 (Out of Resources); its partial
    /// file is removed at once and the rest of the data set is read and dropped. The checks
    /// and the writing are ``FolderStore``'s, shared with the async folder handler.
    func store(_ command: CommandSet, contextID: UInt8, on association: Association) throws(DicomError) {
        let id = command.messageID ?? 0
        let sopClass = command.affectedSOPClassUID ?? ""
        let sopInstance = command.affectedSOPInstanceUID ?? ""
        guard command.hasDataSet else { throw DicomError(.invalidDIMSE, "C-STORE-RQ without a data set") }
        let write = folderStore.begin(
            sopClassUID: sopClass, sopInstanceUID: sopInstance, context: association.contexts[contextID],
            callingAETitle: association.request.callingAETitle)
        do throws(DicomError) {
            try association.receiveDataSet(contextID: contextID) { fragment throws(DicomError) in write.append(fragment) }
        } catch {
            write.discard()
            throw error
        }
        let (status, comment) = write.finish()
        counters.withLock { if status.isSuccess { $0.stored += 1 } else { $0.storeFailures += 1 } }
        log("\(association.transport.peerDescription): C-STORE \(LogText.quoted(sopInstance)) → \(status)\(comment.map { ": " + $0 } ?? "")")
        try association.send(
            command: DIMSE.storeResponse(to: id, sopClassUID: sopClass, sopInstanceUID: sopInstance, status: status, errorComment: comment),
            contextID: contextID)
    }

    /// A safe file name for a SOP instance UID: digits and dots only, never a path.
    static func fileName(for sopInstanceUID: String) -> String { FolderStore.fileName(for: sopInstanceUID) }
}
