/// Storing C-STORE objects as Part 10 files in one folder, with the safe writes of
/// ``Part10Writer`` and the resource limits of review F13, independent of how the data set
/// arrives: the blocking `DicomServer` and the async folder handler both use it.
///
/// ``begin(sopClassUID:sopInstanceUID:context:callingAETitle:)`` checks the request and opens
/// the file; ``FolderStoreWrite/append(_:)`` takes each fragment; ``FolderStoreWrite/finish()``
/// publishes the file and gives the C-STORE-RSP status. A failure (too large, disk full)
/// removes the partial file at once; the rest of the data set is then dropped.
public struct FolderStore: Sendable {
    /// The output folder, opened once.
    public let output: OutputDirectory
    /// What to do when a file name is taken.
    public var existingFiles: ExistingFilePolicy
    /// Largest object stored, in bytes; nil: no limit.
    public var maximumObjectSize: Int?
    /// Free space the file system must keep, in bytes.
    public var minimumFreeSpace: UInt64

    /// Free space is checked before an object and again after each this many bytes.
    public static let spaceCheckInterval = 1 << 20

    /// Creates a store over an opened folder.
    public init(output: OutputDirectory, existingFiles: ExistingFilePolicy, maximumObjectSize: Int?, minimumFreeSpace: UInt64) {
        self.output = output
        self.existingFiles = existingFiles
        self.maximumObjectSize = maximumObjectSize
        self.minimumFreeSpace = minimumFreeSpace
    }

    /// Checks a C-STORE request (UIDs, SOP class against the context, free space) and opens
    /// its file. The write's ``FolderStoreWrite/outcome`` is already set when it is refused.
    public func begin(sopClassUID sopClass: String, sopInstanceUID sopInstance: String, context: NegotiatedContext?, callingAETitle: String) -> FolderStoreWrite {
        let write = FolderStoreWrite(store: self)
        if !DicomUID.isValid(sopClass) || !DicomUID.isValid(sopInstance) {
            write.refuse(.cannotUnderstand, "Affected SOP Class or Instance UID missing or not a valid UID")
        } else if context?.abstractSyntax != sopClass {
            write.refuse(.dataSetDoesNotMatchSOPClass, "SOP class is not that of the presentation context")
        } else if let shortage = spaceShortage(adding: 0) {
            write.refuse(.outOfResources, shortage)
        } else {
            do throws(DicomError) {
                write.writer = try Part10Writer(
                    directory: output, fileName: Self.fileName(for: sopInstance), existing: existingFiles,
                    sopClassUID: sopClass, sopInstanceUID: sopInstance,
                    transferSyntaxUID: context?.transferSyntax ?? DicomUID.implicitVRLittleEndian, sourceAETitle: callingAETitle)
            } catch {
                write.refuse(.outOfResources, error.message)
            }
        }
        return write
    }

    /// Why writing `count` more bytes would go below the free-space floor; nil if it would not.
    func spaceShortage(adding count: Int) -> String? {
        guard let available = output.availableBytes else { return nil }
        let floor = minimumFreeSpace
        guard available < floor || available - floor < UInt64(max(0, count) + Self.spaceCheckInterval) else { return nil }
        return "not enough free disk space: \(available) bytes available, \(floor) must stay free"
    }

    /// A safe file name for a SOP instance UID: digits and dots only, never a path.
    public static func fileName(for sopInstanceUID: String) -> String {
        let safe = String(sopInstanceUID.unicodeScalars.map { ($0 >= "0" && $0 <= "9") || $0 == "." ? Character($0) : "_" }.prefix(64))
        let trimmed = safe.hasPrefix(".") ? "_" + safe : safe
        return (trimmed.isEmpty ? DicomUID.make() : trimmed) + ".dcm"
    }
}

/// One object being stored by a ``FolderStore``.
public final class FolderStoreWrite {
    let store: FolderStore
    var writer: Part10Writer?
    private var checkedAt = 0
    private var failure: (DIMSEStatus, String)?

    init(store: FolderStore) { self.store = store }

    func refuse(_ status: DIMSEStatus, _ comment: String) { failure = (status, comment) }

    /// Whether fragments are still written (false once refused or failed).
    public var isWriting: Bool { writer != nil }

    /// Writes one fragment; past a limit the partial file is removed and later fragments dropped.
    public func append(_ fragment: ArraySlice<UInt8>) {
        guard let w = writer else { return }
        var problem: String?
        if let limit = store.maximumObjectSize, w.bytesWritten + fragment.count > limit {
            problem = "the object is larger than this SCP's limit of \(limit) bytes"
        } else if w.bytesWritten + fragment.count - checkedAt >= FolderStore.spaceCheckInterval {
            checkedAt = w.bytesWritten
            problem = store.spaceShortage(adding: fragment.count)
        }
        if problem == nil {
            do throws(DicomError) { try w.append(fragment) } catch { problem = error.message }
        }
        if let problem {
            w.discard()  // nothing half-written stays while the rest is drained
            writer = nil
            failure = (.outOfResources, problem)
        }
    }

    /// Publishes the file (after the last fragment) and returns the C-STORE-RSP status and comment.
    public func finish() -> (status: DIMSEStatus, comment: String?) {
        if let failure { return failure }
        guard let writer else { return (.outOfResources, "nothing was written") }
        self.writer = nil
        do throws(DicomError) {
            if try !writer.finish() {
                return (.elementsDiscarded, "an object with this SOP Instance UID is already stored; the new one was discarded")
            }
        } catch {
            return (.outOfResources, error.message)
        }
        return (.success, nil)
    }

    /// Removes the partial file (the association ended before the last fragment).
    public func discard() {
        writer?.discard()
        writer = nil
    }
}

@available(*, unavailable)
extension FolderStoreWrite: Sendable {}
