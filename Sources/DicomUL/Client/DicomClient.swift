/// An association requestor: C-ECHO and C-STORE against a remote AE (PS3.4 Annexes A, B).
///
/// Every call opens one association, does its work and releases it.
///
/// ```swift
/// let client = try DicomClient(DicomClientConfiguration(host: "127.0.0.1", port: 11112, calledAETitle: "STORESCP"))
/// let status = try client.echo()
/// let summary = try client.store(files: ["/data/ct1.dcm"])
/// ```
public struct DicomClient: Sendable {
    /// The configuration.
    public let configuration: DicomClientConfiguration

    /// Creates a client.
    public init(_ configuration: DicomClientConfiguration) {
        self.configuration = configuration
    }

    /// Opens an association proposing `contexts` (odd IDs are assigned in order when 0).
    public func associate(proposing contexts: [PresentationContextProposal]) throws(DicomError) -> Association {
        var proposals = contexts
        for i in proposals.indices where proposals[i].id == 0 { proposals[i].id = UInt8(truncatingIfNeeded: 2 * i + 1) }
        guard proposals.count <= 128 else {
            throw DicomError(.invalidConfiguration, "\(proposals.count) presentation contexts proposed; at most 128 fit in one association")
        }
        let rq = AssociateRQ(
            calledAETitle: configuration.calledAETitle, callingAETitle: configuration.callingAETitle,
            presentationContexts: proposals,
            userInformation: UserInformation(
                maximumLength: configuration.maximumReceivePDULength, implementationClassUID: DicomUID.implementationClassUID,
                implementationVersionName: DicomUID.implementationVersionName))
        let transport = try configuration.openTransport()
        do throws(DicomError) {
            return try Association.request(
                over: transport, rq, timeouts: configuration.timeouts, maximumReceivePDULength: configuration.maximumReceivePDULength)
        } catch {
            transport.close()
            throw error
        }
    }

    /// Verifies the peer with a C-ECHO (PS3.4 Annex A) and returns its status.
    public func echo() throws(DicomError) -> DIMSEStatus {
        let association = try associate(proposing: [
            PresentationContextProposal(id: 1, abstractSyntax: DicomUID.verification, transferSyntaxes: [DicomUID.implicitVRLittleEndian]),
        ])
        guard let context = association.context(for: DicomUID.verification) else {
            try? association.release()
            throw DicomError(.noPresentationContext, "\(configuration.host):\(configuration.port) did not accept the Verification SOP class")
        }
        let id = association.nextMessageID()
        let response: CommandSet
        do throws(DicomError) {
            response = try association.exchange(DIMSE.echoRequest(messageID: id), contextID: context.id, messageID: id)
        } catch {
            association.abort()
            throw error
        }
        try association.release()
        guard response.commandField == .cEchoRSP, let status = response.status else {
            throw DicomError(.invalidDIMSE, "the answer to C-ECHO-RQ is not a C-ECHO-RSP with a status")
        }
        return status
    }

    /// Sends one Part 10 file with C-STORE and returns the status; throws on failure statuses.
    public func store(file path: String) throws(DicomError) -> DIMSEStatus {
        let summary = try store(files: [path])
        if let failure = summary.failures.first { throw failure.error }
        return summary.statuses.first ?? .success
    }

    /// Sends every file in one association, each on a presentation context matching its SOP
    /// class and transfer syntax. Files that cannot be read or are refused are reported in
    /// the summary; the call throws only when no association could be made.
    public func store(files paths: [String], progress: ((StoreProgress) -> Void)? = nil) throws(DicomError) -> StoreSummary {
        let start = monotonicSeconds()
        var summary = StoreSummary()
        var headers: [(position: Int, file: Part10File)] = []
        for (i, path) in paths.enumerated() {
            do throws(DicomError) {
                headers.append((i + 1, try Part10File(path: path)))
            } catch {
                summary.failures.append(StoreSummary.Failure(path: path, error: error))
                progress?(StoreProgress(path: path, index: i + 1, count: paths.count, bytes: 0, result: .failure(error)))
            }
        }
        guard !headers.isEmpty else {
            summary.seconds = monotonicSeconds() - start
            return summary
        }
        var pairs: [PresentationContextProposal] = []
        for (_, h) in headers where !pairs.contains(where: { $0.abstractSyntax == h.sopClassUID && $0.transferSyntaxes == [h.transferSyntaxUID] }) {
            pairs.append(PresentationContextProposal(id: 0, abstractSyntax: h.sopClassUID, transferSyntaxes: [h.transferSyntaxUID]))
        }
        let association = try associate(proposing: pairs)
        var dead: DicomError?
        for (index, h) in headers {
            let result: Result<DIMSEStatus, DicomError>
            if let dead {
                result = .failure(dead)
            } else {
                do throws(DicomError) {
                    result = .success(try storeOne(h, on: association))
                } catch {
                    if error.code == .dimseFailure || error.code == .noPresentationContext || error.code == .invalidFile {
                        result = .failure(error)
                    } else {
                        dead = error
                        result = .failure(error)
                    }
                }
            }
            switch result {
            case .success(let status):
                summary.statuses.append(status)
                summary.bytes += h.dataSetLength
            case .failure(let error):
                summary.failures.append(StoreSummary.Failure(path: h.path, error: error))
            }
            progress?(StoreProgress(path: h.path, index: index, count: paths.count, bytes: h.dataSetLength, result: result))
        }
        if dead == nil {
            do throws(DicomError) { try association.release() } catch { association.abort() }
        } else {
            association.abort()
        }
        summary.seconds = monotonicSeconds() - start
        return summary
    }

    private func storeOne(_ file: Part10File, on association: Association) throws(DicomError) -> DIMSEStatus {
        guard let context = association.context(for: file.sopClassUID, transferSyntax: file.transferSyntaxUID) else {
            throw DicomError(.noPresentationContext,
                             "\(file.path): the peer accepted no presentation context for SOP class \(file.sopClassUID) with transfer syntax \(file.transferSyntaxUID)")
        }
        let source = try FileDataSet(file)
        let id = association.nextMessageID()
        let request = DIMSE.storeRequest(messageID: id, sopClassUID: file.sopClassUID, sopInstanceUID: file.sopInstanceUID)
        let response = try association.exchange(request, contextID: context.id, dataSet: source, messageID: id)
        return try DIMSE.storeStatus(of: response, subject: file.path)
    }
}

/// Progress of a multi-file C-STORE, reported after each file.
public struct StoreProgress: Sendable {
    /// The file just handled.
    public var path: String
    /// 1-based position among all files.
    public var index: Int
    /// Number of files.
    public var count: Int
    /// Data set bytes of this file.
    public var bytes: Int
    /// Its status, or why it failed.
    public var result: Result<DIMSEStatus, DicomError>

    /// Creates a progress report (for other drivers, e.g. the async client).
    public init(path: String, index: Int, count: Int, bytes: Int, result: Result<DIMSEStatus, DicomError>) {
        self.path = path
        self.index = index
        self.count = count
        self.bytes = bytes
        self.result = result
    }
}

/// The outcome of a multi-file C-STORE.
public struct StoreSummary: Sendable {
    /// A file that was not stored.
    public struct Failure: Sendable {
        /// The file.
        public var path: String
        /// Why.
        public var error: DicomError

        /// Creates a failure.
        public init(path: String, error: DicomError) {
            self.path = path
            self.error = error
        }
    }

    /// An empty summary.
    public init() {}

    /// Adds one file's outcome.
    public mutating func add(_ progress: StoreProgress) {
        switch progress.result {
        case .success(let status):
            statuses.append(status)
            bytes += progress.bytes
        case .failure(let error):
            failures.append(Failure(path: progress.path, error: error))
        }
    }
    /// Statuses of stored files (success or warning), in order.
    public var statuses: [DIMSEStatus] = []
    /// Files not stored.
    public var failures: [Failure] = []
    /// Data set bytes stored.
    public var bytes = 0
    /// Wall time in seconds, association included.
    public var seconds = 0.0
    /// Number of files attempted.
    public var files: Int { statuses.count + failures.count }
    /// Throughput in MB/s (10^6 bytes).
    public var megabytesPerSecond: Double { seconds > 0 ? Double(bytes) / seconds / 1e6 : 0 }
}
