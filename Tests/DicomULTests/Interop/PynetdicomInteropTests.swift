import Foundation
import Testing
@testable import DicomUL

/// Plain-TCP interop with pynetdicom 3 (Python scripts run via `Process`).
@Suite(.serialized, .timeLimit(.minutes(5))) struct PynetdicomInteropTests {
    /// Python as found on PATH (pynetdicom may live in a pyenv interpreter, not /usr/bin/python3).
    static let available = FileManager.default.isExecutableFile(atPath: "/usr/bin/env")

    @Test(.enabled(if: available)) func ourSCUToPynetdicomSCP() throws {
        let port = try PeerProcess.freePort()
        let out = try PeerProcess.temporaryFolder("py-scp")
        let script = try InteropScripts.write(InteropScripts.scp, name: "scp")
        let scp = try PeerProcess("/usr/bin/env", ["python3", script, String(port), out, "PYSCP"])
        defer { scp.kill() }
        #expect(PeerProcess.waitForPort(port), "\(scp.text)")
        let client = DicomClient(try DicomClientConfiguration(
            host: "127.0.0.1", port: port, calledAETitle: "PYSCP", timeouts: DicomTimeouts(connect: 5, reply: 20)))
        #expect(try client.echo() == .success)
        let src = try PeerProcess.temporaryFolder("py-src")
        let files = try PeerProcess.writeObjects(2, rows: 512, columns: 512, in: src)
        let summary = try client.store(files: files.map(\.path))
        #expect(summary.failures.isEmpty, "\(summary.failures.map(\.error.description)) \(scp.text)")
        for f in files {
            #expect(try PeerProcess.dataSet(of: out + "/" + f.object.sopInstanceUID + ".dcm") == f.object.dataSet)
        }
    }

    /// pynetdicom SCP that checks the called AE title: our side reports the A-ASSOCIATE-RJ clearly.
    @Test(.enabled(if: available)) func wrongCalledAETitleAgainstPynetdicom() throws {
        let port = try PeerProcess.freePort()
        let out = try PeerProcess.temporaryFolder("py-scp-rj")
        let script = try InteropScripts.write(InteropScripts.scp, name: "scp")
        let scp = try PeerProcess("/usr/bin/env", ["python3", script, String(port), out, "PYSCP"])
        defer { scp.kill() }
        #expect(PeerProcess.waitForPort(port), "\(scp.text)")
        let client = DicomClient(try DicomClientConfiguration(host: "127.0.0.1", port: port, calledAETitle: "NOTPYSCP"))
        do {
            _ = try client.echo()
            Issue.record("echo with a wrong called AE title succeeded")
        } catch {
            #expect(error.code == .associationRejected)
            #expect(error.message.contains("called-AE-title-not-recognized"), "\(error)")
        }
    }

    @Test(.enabled(if: available)) func pynetdicomSCUToOurSCP() throws {
        let out = try PeerProcess.temporaryFolder("our-scp-py")
        let server = try DicomServer(try DicomServerConfiguration(port: 0, outputDirectory: out, aeTitle: "OURSCP", host: "127.0.0.1"))
        server.start()
        defer { server.stop() }
        let src = try PeerProcess.temporaryFolder("py-scu-src")
        let files = try PeerProcess.writeObjects(2, rows: 300, columns: 300, in: src)
        let script = try InteropScripts.write(InteropScripts.scu, name: "scu")
        let scu = try PeerProcess("/usr/bin/env", ["python3", script, String(server.port), "OURSCP"] + files.map(\.path))
        #expect(scu.wait(timeout: 60) == 0, "\(scu.text)")
        #expect(scu.text.contains("OK"))
        for f in files {
            #expect(try PeerProcess.dataSet(of: out + "/" + f.object.sopInstanceUID + ".dcm") == f.object.dataSet)
        }
        // pydicom (an independent parser) reads what we wrote.
        let check = try PeerProcess("/usr/bin/env", ["python3", "-c", """
            import sys; from pydicom import dcmread
            ds = dcmread(sys.argv[1]); print(ds.SOPInstanceUID, ds.file_meta.TransferSyntaxUID, ds.Rows, ds.Columns)
            """, out + "/" + files[0].object.sopInstanceUID + ".dcm"])
        #expect(check.wait(timeout: 30) == 0, "\(check.text)")
        #expect(check.text.contains("\(files[0].object.sopInstanceUID) 1.2.840.10008.1.2.1 300 300"))
    }

    @Test(.enabled(if: available)) func pynetdicomWithWrongCalledAETitleIsRejected() throws {
        let out = try PeerProcess.temporaryFolder("our-scp-py-rj")
        let server = try DicomServer(try DicomServerConfiguration(port: 0, outputDirectory: out, aeTitle: "OURSCP", host: "127.0.0.1"))
        server.start()
        defer { server.stop() }
        let script = try InteropScripts.write(InteropScripts.scu, name: "scu")
        let scu = try PeerProcess("/usr/bin/env", ["python3", script, String(server.port), "WRONGAE"])
        #expect(scu.wait(timeout: 60) == 2, "\(scu.text)")
        #expect(scu.text.contains("rejected=True"))
        #expect(server.statistics.rejected == 1)
    }
}
