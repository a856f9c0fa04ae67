import DicomNIO
import DicomUL
import Foundation
import Logging
import ServiceLifecycle
import Testing
import TestSupport

/// Runs the articles' examples (ArticleExamples.swift): the C-FIND SCP against pynetdicom's
/// `find` SCU, and the storage service in a `ServiceGroup`; and checks that every ```swift
/// block of the articles is one of them, verbatim.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ArticleExamplesTests {
    static let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
    static let docc = here + "/../../Sources/DicomNIO/DicomNIO.docc"

    @Test func everyArticleSwiftBlockIsCompiledVerbatim() throws {
        let examples = try String(contentsOfFile: Self.here + "/ArticleExamples.swift", encoding: .utf8)
        var count = 0
        for article in ["WritingADicomService.md", "EmbeddingTheStorageSCP.md"] {
            let text = try String(contentsOfFile: Self.docc + "/" + article, encoding: .utf8)
            var rest = text[...]
            while let open = rest.range(of: "```swift\n") {
                guard let close = rest[open.upperBound...].range(of: "```") else { break }
                let block = String(rest[open.upperBound..<close.lowerBound])
                #expect(examples.contains(block), "\(article): a swift block is not in ArticleExamples.swift:\n\(block)")
                count += 1
                rest = rest[close.upperBound...]
            }
        }
        #expect(count == 4)
    }

    /// pynetdicom `send_c_find` (Patient Root, PATIENT level) → the example's SCP: pending
    /// responses with the matching identifiers, then success.
    static let findSCU = """
    import sys
    from pydicom.dataset import Dataset
    from pynetdicom import AE
    from pynetdicom.sop_class import PatientRootQueryRetrieveInformationModelFind as FIND
    port, pattern = int(sys.argv[1]), sys.argv[2]
    ae = AE(ae_title='PYFIND')
    ae.add_requested_context(FIND)
    assoc = ae.associate('127.0.0.1', port, ae_title='FINDSCP')
    if not assoc.is_established:
        print('NOT ESTABLISHED', flush=True)
        sys.exit(2)
    ds = Dataset()
    ds.QueryRetrieveLevel = 'PATIENT'
    ds.PatientName = pattern
    ds.PatientID = ''
    for status, identifier in assoc.send_c_find(ds, FIND):
        if status is None:
            print('NO STATUS', flush=True)
            sys.exit(3)
        print('STATUS 0x%04X' % status.Status, flush=True)
        if identifier is not None and status.Status in (0xFF00, 0xFF01):
            print('MATCH %s %s' % (identifier.PatientName, identifier.PatientID), flush=True)
    assoc.release()
    """

    @Test func pynetdicomFindAgainstTheExampleSCP() async throws {
        var logger = Logger(label: "find")
        logger.logLevel = .warning
        let patients = [Patient(name: "DOE^JOHN", id: "1001"), Patient(name: "DOE^JANE", id: "1002"), Patient(name: "SMITH^ANN", id: "2001")]
        let server = makeFindSCP(host: "127.0.0.1", port: 0, patients: patients, logger: logger)
        let task = Task { try await server.run() }
        let port = try await server.port()
        let script = NSTemporaryDirectory() + "dicomnio-find-\(UUID().uuidString).py"
        try Self.findSCU.write(toFile: script, atomically: true, encoding: .utf8)
        let (code, text) = try await offPool {
            let scu = try PeerProcess("/usr/bin/env", ["python3", script, String(port), "DOE*"])
            let code = scu.waitForExit(timeout: .seconds(60))
            scu.stop()
            return (code, scu.text)
        }
        _ = await server.stop(gracePeriod: .seconds(1))
        _ = try? await task.value
        #expect(code == 0, "\(text)")
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("MATCH ") }.sorted() == ["MATCH DOE^JANE 1002", "MATCH DOE^JOHN 1001"], "\(text)")
        #expect(lines.filter { $0.hasPrefix("STATUS ") } == ["STATUS 0xFF00", "STATUS 0xFF00", "STATUS 0x0000"], "\(text)")
    }

    /// The server as a `Service`: a graceful shutdown of its `ServiceGroup` ends it.
    @Test func serviceGroupShutsTheServerDownGracefully() async throws {
        var logger = Logger(label: "lifecycle")
        logger.logLevel = .warning
        let out = try temporaryFolder("lifecycle")
        var configuration = DicomAsyncServerConfiguration(host: "127.0.0.1", port: 0, logger: logger)
        configuration.services = DicomServices(store: try FolderStorageHandler(directory: out))
        let server = DicomAsyncServer(configuration, gracePeriod: .seconds(1))
        let group = ServiceGroup(services: [server], gracefulShutdownSignals: [], logger: logger)
        let running = Task { try await group.run() }
        let port = UInt16(try await server.port())
        let echo = try await offPool {
            try DicomClient(try DicomClientConfiguration(host: "127.0.0.1", port: port, timeouts: DicomTimeouts(connect: 10, reply: 60))).echo()
        }
        #expect(echo == .success)
        await group.triggerGracefulShutdown()
        let clock = ContinuousClock()
        let start = clock.now
        try await running.value
        #expect(clock.now - start < .seconds(30))  // a loaded CI machine; the stalled one would hold it for an hour
        let refused = try await offPool { () -> Bool in
            (try? DicomClient(try DicomClientConfiguration(host: "127.0.0.1", port: port, timeouts: DicomTimeouts(connect: 2, reply: 2))).echo()) == nil
        }
        #expect(refused)
    }
}
