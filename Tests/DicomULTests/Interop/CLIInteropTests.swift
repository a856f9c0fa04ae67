import Foundation
import Testing
@testable import DicomUL

/// The `dicomtls` subcommands against DCMTK, run as processes (the binary is built next to
/// the test bundle by `swift build --build-tests`).
@Suite(.serialized, .timeLimit(.minutes(5))) struct CLIInteropTests {
    static let binary: String = {
        let here = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        return here.appendingPathComponent("dicomtls").path
    }()
    static let available = FileManager.default.isExecutableFile(atPath: binary)
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/storescp")

    @Test(.enabled(if: available)) func echoscuAndStorescuToDCMTK() throws {
        let port = try PeerProcess.freePort()
        let out = try PeerProcess.temporaryFolder("cli-dcmtk")
        let scp = try PeerProcess("/usr/bin/storescp", ["-aet", "DCMTKSCP", "-od", out, "+B", String(port)])
        defer { scp.kill() }
        #expect(PeerProcess.waitForPort(port))
        let echo = try PeerProcess(Self.binary, ["echoscu", "127.0.0.1", String(port), "--call", "DCMTKSCP", "--aet", "CLI"])
        #expect(echo.wait(timeout: 20) == 0, "\(echo.text)")
        #expect(echo.text.contains("0x0000 (Success)"))
        let src = try PeerProcess.temporaryFolder("cli-src")
        let files = try PeerProcess.writeObjects(3, rows: 256, columns: 256, in: src)
        let store = try PeerProcess(Self.binary, ["storescu", "127.0.0.1", String(port), src, "--call", "DCMTKSCP"])
        #expect(store.wait(timeout: 30) == 0, "\(store.text)")
        #expect(store.text.contains("3 file(s), 3 stored, 0 failed"), "\(store.text)")
        let stored = try DCMTKInteropTests.storedFiles(in: out)
        for f in files { #expect(try stored[f.object.sopInstanceUID].map(PeerProcess.dataSet(of:)) == f.object.dataSet) }
    }

    @Test(.enabled(if: available)) func storescpReceivesFromDCMTKAndRejectsWrongAE() throws {
        let port = try PeerProcess.freePort()
        let out = try PeerProcess.temporaryFolder("cli-scp")
        let scp = try PeerProcess(Self.binary, ["storescp", "--port", String(port), "--output-dir", out, "--aet", "CLISCP", "--require-aet"])
        defer { scp.kill() }
        #expect(PeerProcess.waitForPort(port))
        let src = try PeerProcess.temporaryFolder("cli-scp-src")
        let files = try PeerProcess.writeObjects(2, rows: 200, columns: 200, in: src)
        let store = try PeerProcess("/usr/bin/storescu", ["-aec", "CLISCP", "127.0.0.1", String(port)] + files.map(\.path))
        #expect(store.wait(timeout: 30) == 0, "\(store.text)")
        for f in files { #expect(try PeerProcess.dataSet(of: out + "/" + f.object.sopInstanceUID + ".dcm") == f.object.dataSet) }
        // Our echoscu with a wrong called AE title: exit status 1 and the reason spelled out.
        let echo = try PeerProcess(Self.binary, ["echoscu", "127.0.0.1", String(port), "--call", "WRONG"])
        #expect(echo.wait(timeout: 20) == 1)
        #expect(echo.text.contains("called-AE-title-not-recognized"), "\(echo.text)")
        // A missing file: non-zero exit and a message naming it.
        let missing = try PeerProcess(Self.binary, ["storescu", "127.0.0.1", String(port), "/nonexistent.dcm", "--call", "CLISCP"])
        #expect(missing.wait(timeout: 20) != 0)
        #expect(missing.text.contains("/nonexistent.dcm"))
    }

    /// Issue 12 item 8: a storescp started with no AE-title flag is reached by every
    /// caller's default called AE title: DCMTK's echoscu and storescu, pynetdicom's
    /// `associate()` and our own storescu/echoscu (all "ANY-SCP"). On d2291a7 each of them
    /// got "rejected-permanent ... called-AE-title-not-recognized".
    @Test(.enabled(if: available)) func storescpWithoutAETitleFlagsAnswersEveryDefaultCaller() throws {
        let port = try PeerProcess.freePort()
        let out = try PeerProcess.temporaryFolder("cli-default-aet")
        let scp = try PeerProcess(Self.binary, ["storescp", "--port", String(port), "--output-dir", out, "-v"])
        defer { scp.kill() }
        #expect(PeerProcess.waitForPort(port))
        let src = try PeerProcess.temporaryFolder("cli-default-aet-src")
        let files = try PeerProcess.writeObjects(4, rows: 64, columns: 64, in: src)
        let dcmtkEcho = try PeerProcess("/usr/bin/echoscu", ["127.0.0.1", String(port)])
        #expect(dcmtkEcho.wait(timeout: 20) == 0, "DCMTK echoscu: \(dcmtkEcho.text)")
        let dcmtkStore = try PeerProcess("/usr/bin/storescu", ["127.0.0.1", String(port), files[0].path])
        #expect(dcmtkStore.wait(timeout: 30) == 0, "DCMTK storescu: \(dcmtkStore.text)")
        let script = try InteropScripts.write(InteropScripts.scu, name: "scu-default")
        let pynetdicom = try PeerProcess("/usr/bin/env", ["python3", script, String(port), "-", files[1].path])
        #expect(pynetdicom.wait(timeout: 60) == 0, "pynetdicom: \(pynetdicom.text)")
        let ours = try PeerProcess(Self.binary, ["storescu", "127.0.0.1", String(port), files[2].path, files[3].path])
        #expect(ours.wait(timeout: 30) == 0, "our storescu: \(ours.text)")
        let ourEcho = try PeerProcess(Self.binary, ["echoscu", "127.0.0.1", String(port)])
        #expect(ourEcho.wait(timeout: 20) == 0, "our echoscu: \(ourEcho.text)")
        for f in files { #expect(try PeerProcess.dataSet(of: out + "/" + f.object.sopInstanceUID + ".dcm") == f.object.dataSet) }
        // The called AE title of each association is logged.
        let logged = { scp.text.components(separatedBy: "calling \"ANY-SCP\"").count - 1 }
        let deadline = Date().addingTimeInterval(10)
        while logged() < 5, Date() < deadline { usleep(50_000) }
        #expect(logged() == 5, "\(scp.text)")
    }

    /// The calling-AE allow-list stays available: `--allow-calling` admits only the titles listed.
    @Test(.enabled(if: available)) func storescpAllowListOfCallingAETitles() throws {
        let port = try PeerProcess.freePort()
        let out = try PeerProcess.temporaryFolder("cli-allow")
        let scp = try PeerProcess(Self.binary, ["storescp", "--port", String(port), "--output-dir", out, "--allow-calling", "MODALITY1"])
        defer { scp.kill() }
        #expect(PeerProcess.waitForPort(port))
        let allowed = try PeerProcess(Self.binary, ["echoscu", "127.0.0.1", String(port), "--aet", "MODALITY1"])
        #expect(allowed.wait(timeout: 20) == 0, "\(allowed.text)")
        let other = try PeerProcess(Self.binary, ["echoscu", "127.0.0.1", String(port), "--aet", "INTRUDER"])
        #expect(other.wait(timeout: 20) == 1)
        #expect(other.text.contains("calling-AE-title-not-recognized"), "\(other.text)")
    }
}
