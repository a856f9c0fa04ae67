import DicomUL
import Logging
import NIOCore

extension DicomAsyncServer {
    /// Hands one DIMSE request to its handler and sends the answer (PS3.7 §9, §10). Handlers
    /// of other services run as requests a C-CANCEL-RQ can stop (`cancellations`).
    func dispatch(
        _ command: CommandSet, contextID: UInt8, info: AssociationInfo, reader: InboundReader,
        outbound: NIOAsyncChannelOutboundWriter<DicomOutbound>, cancellations: DIMSECancellations, logger: Logger
    ) async throws {
        guard let context = info.contexts[contextID] else {
            throw DicomError(.noPresentationContext, "command on presentation context \(contextID), which was not accepted")
        }
        let services = configuration.services
        let id = command.messageID ?? 0
        switch command.commandField {
        case .cEchoRQ?:
            if command.hasDataSet { try await DataSetChunks(reader: reader, contextID: contextID).drain() }
            let status = await services.echo?.echo(on: info) ?? .success
            try await outbound.write(.command(DIMSE.echoResponse(to: id, status: status), contextID: contextID))
        case .cStoreRQ?:
            guard command.hasDataSet else { throw DicomError(.invalidDIMSE, "C-STORE-RQ without a data set") }
            let chunks = DataSetChunks(reader: reader, contextID: contextID)
            let request = StoreRequest(command: command, context: context, association: info)
            var outcome = DIMSEOutcome(.sopClassNotSupported, comment: "this SCP stores nothing")
            if let store = services.store {
                do {
                    outcome = try await store.store(request, dataSet: chunks)
                } catch let error as DicomError where error.code == .connectionClosed || error.code == .invalidDIMSE {
                    throw error
                } catch {
                    outcome = DIMSEOutcome(.processingFailure, comment: "\(error)")
                }
            }
            try await chunks.drain()
            if outcome.status.isSuccess {
                metrics.stored(bytes: chunks.bytesRead)
            } else {
                metrics.storeFailed(status: "\(outcome.status)")
            }
            logger.info("C-STORE \(LogText.quoted(request.sopInstanceUID)) → \(outcome.status)\(outcome.comment.map { ": " + $0 } ?? "")")
            try await outbound.write(.command(
                DIMSE.storeResponse(
                    to: id, sopClassUID: request.sopClassUID, sopInstanceUID: request.sopInstanceUID, status: outcome.status,
                    errorComment: outcome.comment),
                contextID: contextID))
        case let field?:
            let dataSet = command.hasDataSet ? try await collect(reader: reader, contextID: contextID) : nil
            guard let handler = services.others[field.rawValue] else {
                cancellations.finish(id)
                logger.notice("unsupported command \(field); answered 0211 (unrecognized operation)")
                try await outbound.write(.command(command.response(status: .unrecognizedOperation), contextID: contextID))
                return
            }
            let request = DIMSERequest(command: command, dataSet: dataSet, context: context, association: info)
            let responder = DIMSEResponder(outbound: outbound, contextID: contextID)
            let (cancelledByPeer, result) = await cancellations.run(id) { try await handler.handle(request, responder: responder) }
            if cancelledByPeer {
                guard !responder.progress.isAnswered else { return }
                logger.info("\(field) cancelled by the peer (C-CANCEL-RQ); answered FE00 (cancel)")
                try await outbound.write(.command(command.response(status: .cancel), contextID: contextID))
                return
            }
            do {
                try result.get()
            } catch let error as DicomError where error.code == .connectionClosed || error.code == .invalidDIMSE {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.notice("\(field) handler failed: \(error); answered 0110 (processing failure)")
                try await outbound.write(.command(command.response(status: .processingFailure, comment: "\(error)"), contextID: contextID))
            }
        case nil:
            throw DicomError(.invalidDIMSE, "command set without a Command Field")
        }
    }

    /// Collects a request's data set, at most ``DicomAsyncServerConfiguration/maximumRequestDataSetLength`` bytes.
    private func collect(reader: InboundReader, contextID: UInt8) async throws -> [UInt8] {
        let chunks = DataSetChunks(reader: reader, contextID: contextID)
        var bytes: [UInt8] = []
        let limit = configuration.maximumRequestDataSetLength
        while let chunk = try await chunks.nextChunk() {
            guard bytes.count + chunk.count <= limit else {
                throw DicomError(.invalidDIMSE, "request data set exceeds this SCP's limit of \(limit) bytes")
            }
            bytes += chunk
        }
        return bytes
    }
}
