import Synchronization

extension DicomServer {
    /// C-STORE SCP (PS3.4 B.2): stream the data set to a Part 10 file, then answer.
    ///
    /// Resource limits (review F13): an object past ``DicomServerConfiguration/maximumObjectSize``,
    /// or one that would leave less than ``DicomServerConfiguration/minimumFreeSpace`` on the
    /// output folder's file system, is answered with A700 (Out of Resources); its partial
    /// file is removed at once and the rest of the data set is read and dropped.
    func store(_ command: CommandSet, contextID: UInt8, on association: Association) throws(DicomError) {
        let id = command.messageID ?? 0
        let sopClass = command.affectedSOPClassUID ?? ""
        let sopInstance = command.affectedSOPInstanceUID ?? ""
        guard command.hasDataSet else { throw DicomError(.invalidDIMSE, "C-STORE-RQ without a data set") }
        let context = association.contexts[contextID]
        var status = DIMSEStatus.success
        var comment: String?
        var writer: Part10Writer?
        if !DicomUID.isValid(sopClass) || !DicomUID.isValid(sopInstance) {
            status = .cannotUnderstand
            comment = "Affected SOP Class or Instance UID missing or not a valid UID"
        } else if context?.abstractSyntax != sopClass {
            status = .dataSetDoesNotMatchSOPClass
            comment = "SOP class is not that of the presentation context"
        } else if let shortage = spaceShortage(adding: 0) {
            status = .outOfResources
            comment = shortage
        } else {
            do throws(DicomError) {
                writer = try Part10Writer(
                    directory: output, fileName: Self.fileName(for: sopInstance), existing: configuration.existingFiles,
                    sopClassUID: sopClass, sopInstanceUID: sopInstance,
                    transferSyntaxUID: context?.transferSyntax ?? DicomUID.implicitVRLittleEndian,
                    sourceAETitle: association.request.callingAETitle)
            } catch {
                status = .outOfResources
                comment = error.message
            }
        }
        var failure: String?
        var checkedAt = 0
        try association.receiveDataSet(contextID: contextID) { fragment throws(DicomError) in
            guard let w = writer else { return }
            if let limit = configuration.maximumObjectSize, w.bytesWritten + fragment.count > limit {
                failure = "the object is larger than this SCP's limit of \(limit) bytes"
            } else if w.bytesWritten + fragment.count - checkedAt >= Self.spaceCheckInterval {
                checkedAt = w.bytesWritten
                failure = spaceShortage(adding: fragment.count)
            }
            if failure == nil {
                do throws(DicomError) { try w.append(fragment) } catch { failure = error.message }
            }
            if failure != nil {
                w.discard()  // nothing half-written stays while the rest is drained
                writer = nil
            }
        }
        if let failure {
            status = .outOfResources
            comment = failure
        } else if let writer {
            do throws(DicomError) {
                if try !writer.finish() {
                    status = .elementsDiscarded
                    comment = "an object with this SOP Instance UID is already stored; the new one was discarded"
                }
            } catch {
                status = .outOfResources
                comment = error.message
            }
        }
        counters.withLock { if status.isSuccess { $0.stored += 1 } else { $0.storeFailures += 1 } }
        log("\(association.transport.peerDescription): C-STORE \(LogText.quoted(sopInstance)) → \(status)\(comment.map { ": " + $0 } ?? "")")
        try association.send(
            command: DIMSE.storeResponse(to: id, sopClassUID: sopClass, sopInstanceUID: sopInstance, status: status, errorComment: comment),
            contextID: contextID)
    }

    /// Free space is checked before an object and again after each this many bytes.
    static let spaceCheckInterval = 1 << 20

    /// Why writing `count` more bytes would go below the free-space floor; nil if it would not.
    private func spaceShortage(adding count: Int) -> String? {
        guard let available = output.availableBytes else { return nil }
        let floor = configuration.minimumFreeSpace
        guard available < floor || available - floor < UInt64(max(0, count) + Self.spaceCheckInterval) else { return nil }
        return "not enough free disk space: \(available) bytes available, \(floor) must stay free"
    }

    /// A safe file name for a SOP instance UID: digits and dots only, never a path.
    static func fileName(for sopInstanceUID: String) -> String {
        let safe = String(sopInstanceUID.unicodeScalars.map { ($0 >= "0" && $0 <= "9") || $0 == "." ? Character($0) : "_" }.prefix(64))
        let trimmed = safe.hasPrefix(".") ? "_" + safe : safe
        return (trimmed.isEmpty ? DicomUID.make() : trimmed) + ".dcm"
    }
}
