@testable import DicomUL
import Foundation
import Synchronization
import Testing
import TLSSockets

/// Nested in the serialized ``LoadTests`` so that only one of these blocking suites holds a
/// thread of the test pool at a time (the others' time limits stay meaningful on 2 cores).
extension LoadTests {
    /// Review F6 (symlinks, shared temporary names), F13 (object size, free space), F12 (peer
    /// text in logs) and the library's graceful stop, against an in-process `DicomServer`.
    @Suite(.timeLimit(.minutes(5))) struct StorageSafetyTests {
        static func server(
            _ out: String, existing: ExistingFilePolicy = .keepBoth, maximumObjectSize: Int? = nil, minimumFreeSpace: UInt64 = 64 << 20,
            timeouts: DicomTimeouts = DicomTimeouts(artim: 5, reply: 10, idle: 20), maxPDU: UInt32 = 65536,
            log: (@Sendable (String) -> Void)? = nil
        ) throws -> DicomServer {
            let server = try DicomServer(try DicomServerConfiguration(
                port: 0, outputDirectory: out, host: "127.0.0.1", timeouts: timeouts, maximumReceivePDULength: maxPDU, existingFiles: existing,
                maximumObjectSize: maximumObjectSize, minimumFreeSpace: minimumFreeSpace, log: log))
            server.start()
            return server
        }

        static func object(seed: UInt8, uid: String? = nil) throws -> (path: String, object: DicomObjectGenerator.Object) {
            let o = DicomObjectGenerator.secondaryCapture(rows: 64, columns: 64, seed: seed, sopInstanceUID: uid)
            let path = try LoadTests.folder("src") + "/o.dcm"
            try Data(o.part10).write(to: URL(fileURLWithPath: path))
            return (path, o)
        }

        static func store(_ path: String, port: UInt16) throws -> DIMSEStatus {
            let summary = try DicomClient(try DicomClientConfiguration(host: "127.0.0.1", port: port)).store(files: [path])
            return try #require(summary.statuses.first, "\(summary.failures)")
        }

        /// The status of a C-STORE the client reports as a failure ("... 0xA700 ...").
        static func failedStore(_ path: String, port: UInt16) throws -> String {
            let summary = try DicomClient(try DicomClientConfiguration(host: "127.0.0.1", port: port)).store(files: [path])
            return summary.failures.first?.error.message ?? "succeeded: \(summary.statuses)"
        }

        /// The data set of a stored Part 10 file.
        static func dataSet(of path: String) throws -> [UInt8] {
            let header = try Part10File(path: path)
            return Array([UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))[header.dataSetOffset...])
        }

        static func names(_ folder: String) throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        }

        /// F6 (a): symlinks planted under the old temporary name and under the final name,
        /// pointing at a file outside the folder. The victim keeps its content with every policy.
        @Test(arguments: ExistingFilePolicy.allCases) func plantedSymlinksAreNeverFollowed(_ policy: ExistingFilePolicy) throws {
            let out = try LoadTests.folder("f6"), outside = try LoadTests.folder("victim")
            let victim = outside + "/victim.txt"
            let content = "important content owned by someone else\n"
            try content.write(toFile: victim, atomically: false, encoding: .utf8)
            let (path, object) = try Self.object(seed: 1, uid: "1.2.3.4")
            try FileManager.default.createSymbolicLink(atPath: out + "/1.2.3.4.dcm.partial", withDestinationPath: victim)
            try FileManager.default.createSymbolicLink(atPath: out + "/1.2.3.4.dcm", withDestinationPath: victim)
            let server = try Self.server(out, existing: policy)
            defer { server.stop() }
            let status = try Self.store(path, port: server.port)
            #expect(try String(contentsOfFile: victim, encoding: .utf8) == content, "the symlink's target was written")
            switch policy {
            case .keepBoth:
                #expect(status == .success)
                #expect(try Self.names(out) == ["1.2.3.4-1.dcm", "1.2.3.4.dcm", "1.2.3.4.dcm.partial"])
                #expect(try Self.dataSet(of: out + "/1.2.3.4-1.dcm") == object.dataSet)
            case .replace:
                #expect(status == .success)
                let attributes = try FileManager.default.attributesOfItem(atPath: out + "/1.2.3.4.dcm")
                #expect(attributes[.type] as? FileAttributeType == .typeRegular, "the symlink itself is replaced")
                #expect(try Self.dataSet(of: out + "/1.2.3.4.dcm") == object.dataSet)
            case .refuse:
                #expect(status == .elementsDiscarded && status.isWarning)
                #expect(try Self.names(out) == ["1.2.3.4.dcm", "1.2.3.4.dcm.partial"])
            }
        }

        /// F6 (b): concurrent stores of one SOP Instance UID never share a file; each object
        /// is kept whole under its own name (default policy).
        @Test func concurrentStoresOfOneUIDKeepBothObjects() throws {
            let out = try LoadTests.folder("f6b")
            let server = try Self.server(out)
            defer { server.stop() }
            let objects = try (0..<4).map { try Self.object(seed: UInt8($0 + 10), uid: "1.2.3.5") }
            let port = server.port
            let failures = LoadTests.concurrently(objects.count, timeout: 60) { i in
                guard try Self.store(objects[i].path, port: port) == .success else { throw LoadFailure("store \(i) failed") }
            }
            #expect(failures.isEmpty, "\(failures)")
            let names = try Self.names(out)
            #expect(names == ["1.2.3.5-1.dcm", "1.2.3.5-2.dcm", "1.2.3.5-3.dcm", "1.2.3.5.dcm"])
            let stored = Set(try names.map { try Self.dataSet(of: out + "/" + $0) })
            #expect(stored == Set(objects.map(\.object.dataSet)), "every object whole, none interleaved")
        }

        /// F13: past the size limit or the free-space floor, A700 and nothing left on disk.
        @Test func limitsAnswerOutOfResourcesAndLeaveNothing() throws {
            let (path, _) = try Self.object(seed: 2)
            let big = try LoadTests.folder("f13-size")
            let sized = try Self.server(big, maximumObjectSize: 4096)
            defer { sized.stop() }
            #expect(try Self.failedStore(path, port: sized.port).contains("0xA700"))
            #expect(try Self.names(big).isEmpty)
            let full = try LoadTests.folder("f13-disk")
            let floor = try Self.server(full, minimumFreeSpace: UInt64.max / 2)
            defer { floor.stop() }
            #expect(try Self.failedStore(path, port: floor.port).contains("0xA700"))
            #expect(try Self.names(full).isEmpty)
            #expect(try Self.failedStore(path, port: sized.port).contains("0xA700"), "and again")
            let ok = try LoadTests.folder("f13-ok")
            let roomy = try Self.server(ok, maximumObjectSize: 1 << 20)
            defer { roomy.stop() }
            #expect(try Self.store(path, port: roomy.port) == .success)
        }

        /// Item 7: `stop(gracePeriod:)` lets a short association finish, aborts one still
        /// sending after the grace period and removes its temporary file.
        @Test func gracefulStopAbortsLateAssociationsAndRemovesTheirFiles() throws {
            let out = try LoadTests.folder("stop")
            let server = try Self.server(out, timeouts: DicomTimeouts(artim: 5, reply: 10, idle: 20, message: 60), maxPDU: 256)
            let (_, object) = try Self.object(seed: 3)
            let client = try startSlowStore(of: object, port: server.port)
            #expect(waitUntil(5) { ((try? Self.names(out)) ?? []).contains { $0.hasSuffix(".partial") } }, "a store is in flight")
            let start = ContinuousClock.now
            let cut = server.stop(gracePeriod: .milliseconds(500))
            let took = AdmissionAndDeadlineTests.seconds(since: start)
            #expect(cut == 1)
            #expect(took >= 0.45 && took < 6)
            #expect(try Self.names(out).isEmpty, "no partial file survives")
            #expect(throws: DicomError.self) { _ = try client.echo() }
        }

        /// F12 (DICOM part): peer text in log lines is escaped. The PDU decoder already refuses
        /// control bytes in AE titles; a UID in a command set is taken as sent, so a C-STORE whose
        /// Affected SOP Instance UID holds a newline must not start a new log line.
        @Test func peerSuppliedTextIsEscapedInLogLines() throws {
            let lines = Mutex<[String]>([])
            let out = try LoadTests.folder("log")
            let server = try Self.server(out, log: { line in lines.withLock { $0.append(line) } })
            defer { server.stop() }
            let object = DicomObjectGenerator.secondaryCapture(rows: 8, columns: 8)
            let client = DicomClient(try DicomClientConfiguration(host: "127.0.0.1", port: server.port))
            let association = try client.associate(proposing: [
                PresentationContextProposal(id: 1, abstractSyntax: object.sopClassUID, transferSyntaxes: [object.transferSyntaxUID]),
            ])
            let id = association.nextMessageID()
            let forged = "1.2\n127.0.0.1:1: C-STORE 9.9 → 0x0000 (Success)"
            let response = try association.exchange(
                DIMSE.storeRequest(messageID: id, sopClassUID: object.sopClassUID, sopInstanceUID: forged),
                contextID: 1, dataSet: MemoryDataSet(object.dataSet), messageID: id)
            try association.release()
            #expect(response.status == .cannotUnderstand)
            #expect(waitUntil(5) { lines.withLock { $0.contains { $0.contains("C-STORE") } } })
            let logged = lines.withLock { $0 }
            #expect(logged.allSatisfy { !$0.contains("\n") }, "\(logged)")
            #expect(logged.contains { $0.contains(#""1.2\x0A127.0.0.1:1: C-STORE 9.9"#) }, "\(logged)")
            #expect(LogText.escaped("1.2\u{1B}[31m\u{85}\\") == #"1.2\x1B[31m\u{0085}\\"#)
        }
    }
}
