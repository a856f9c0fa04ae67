// The DicomNIO articles' Swift examples, verbatim: each ```swift block of the articles in
// Sources/DicomNIO/DicomNIO.docc must appear in this file (ArticleExamplesTests checks it),
// so the examples compile with the package and the tests run them against real peers.

import DicomNIO
import DicomUL
import Logging
import ServiceLifecycle
import UnixSignals

/// A patient the example knows.
struct Patient: Sendable {
    var name: String
    var id: String
}

/// A C-FIND SCP (Patient Root, PATIENT level) answering from an in-memory list.
struct PatientFinder: DIMSEServiceHandler {
    /// Patient Root Query/Retrieve Information Model - FIND (PS3.4 C.6.1).
    static let patientRootFind = "1.2.840.10008.5.1.4.1.2.1.1"
    let patients: [Patient]

    func handle(_ request: DIMSERequest, responder: DIMSEResponder) async throws {
        let query = ImplicitVRText(decoding: request.dataSet ?? [])
        let pattern = query.values[0x0010_0010] ?? ""  // Patient's Name
        for patient in patients where Self.matches(patient.name, pattern) {
            let identifier = ImplicitVRText(values: [
                0x0008_0052: "PATIENT",  // Query/Retrieve Level
                0x0010_0010: patient.name,
                0x0010_0020: patient.id,  // Patient ID
            ])
            try await responder.send(request.command.response(status: .pending, hasDataSet: true), dataSet: identifier.encoded)
        }
        try await responder.send(request.command.response(status: .success))
    }

    /// Wildcard matching (PS3.4 C.2.2.2.4) reduced to a trailing `*`; empty matches all.
    static func matches(_ value: String, _ pattern: String) -> Bool {
        if pattern.isEmpty || pattern == "*" { return true }
        if pattern.hasSuffix("*") { return value.hasPrefix(pattern.dropLast()) }
        return value == pattern
    }
}

/// Text elements of an Implicit VR Little Endian data set (PS3.5 §7.1.3): tag, 32-bit
/// length, value. Enough for this example's keys; anything else is skipped.
struct ImplicitVRText {
    var values: [UInt32: String] = [:]

    init(values: [UInt32: String]) { self.values = values }

    init(decoding bytes: [UInt8]) {
        var i = 0
        while i + 8 <= bytes.count {
            let tag = UInt32(bytes[i + 1]) << 24 | UInt32(bytes[i]) << 16 | UInt32(bytes[i + 3]) << 8 | UInt32(bytes[i + 2])
            let length = Int(bytes[i + 4]) | Int(bytes[i + 5]) << 8 | Int(bytes[i + 6]) << 16 | Int(bytes[i + 7]) << 24
            guard length <= bytes.count - i - 8 else { break }  // undefined length (sequences): stop
            var value = bytes[(i + 8)..<(i + 8 + length)]
            while let last = value.last, last == 0x20 || last == 0 { value = value.dropLast() }
            values[tag] = String(decoding: value, as: UTF8.self)
            i += 8 + length
        }
    }

    var encoded: [UInt8] {
        var out: [UInt8] = []
        for (tag, text) in values.sorted(by: { $0.key < $1.key }) {
            var value = Array(text.utf8)
            if value.count % 2 == 1 { value.append(0x20) }
            let length = UInt32(value.count)
            out += [UInt8((tag >> 16) & 0xFF), UInt8(tag >> 24), UInt8(tag & 0xFF), UInt8((tag >> 8) & 0xFF)]
            out += [UInt8(length & 0xFF), UInt8((length >> 8) & 0xFF), UInt8((length >> 16) & 0xFF), UInt8(length >> 24)]
            out += value
        }
        return out
    }
}

/// A C-FIND SCP (and C-ECHO) over `patients`; `run()` it, stop it with `shutdown(gracePeriod:)`.
func makeFindSCP(host: String, port: Int, patients: [Patient], logger: Logger) -> DicomAsyncServer {
    var configuration = DicomAsyncServerConfiguration(host: host, port: port, logger: logger)
    configuration.services = DicomServices(others: [CommandField.cFindRQ.rawValue: PatientFinder(patients: patients)])
    configuration.acceptance = { proposal in
        proposal.accept { context in
            let known = [DicomUID.verification, PatientFinder.patientRootFind].contains(context.abstractSyntax)
            let implicit = context.transferSyntaxes.contains(DicomUID.implicitVRLittleEndian)
            return PresentationContextResult(
                id: context.id,
                result: !known ? .abstractSyntaxNotSupported : implicit ? .acceptance : .transferSyntaxesNotSupported,
                transferSyntax: DicomUID.implicitVRLittleEndian)
        }
    }
    return DicomAsyncServer(configuration)
}

/// The storage SCP as one service of an application, stopped by SIGTERM with the others.
func runStorageService(directory: String, port: Int, logger: Logger) async throws {
    let storage = try FolderStorageHandler(directory: directory, maximumObjectSize: 2 << 30)
    var configuration = DicomAsyncServerConfiguration(port: port, logger: logger)
    configuration.services = DicomServices(store: storage)
    configuration.maximumAssociations = 1000
    let server = DicomAsyncServer(configuration, gracePeriod: .seconds(30))
    let group = ServiceGroup(services: [server], gracefulShutdownSignals: [.sigterm], logger: logger)
    try await group.run()
}

/// Counts bytes instead of storing them (a stand-in for an object store upload).
struct CountingStore: StoreHandler {
    func store(_ request: StoreRequest, dataSet: DataSetChunks) async throws -> DIMSEOutcome {
        var bytes = 0
        for try await chunk in dataSet { bytes += chunk.count }
        return bytes > 0 ? DIMSEOutcome(.success) : DIMSEOutcome(.cannotUnderstand, comment: "empty data set")
    }
}
