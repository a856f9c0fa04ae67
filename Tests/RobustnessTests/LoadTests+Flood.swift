@testable import DicomUL
import Foundation
import Testing
@testable import TLSHandshake
@testable import TLSSockets
import TestSupport

/// Issue 12 "Done when": the `dicomtls storescp --tls` process under a flood of hostile
/// connections still serves every legitimate SCU, with its threads, descriptors and
/// resident memory under bounds derived from its admission limits; and under `ulimit -n 64`
/// the same flood leaves it alive and serving once the flood stops.
extension LoadTests {
    /// The server's limits in these tests, and the bounds that follow from them.
    enum FloodLimits {
        static let maximumPending = 128, perAddress = 32, associations = 32, artim = 3.0
        /// One thread per admitted connection, plus the main, accept and signal threads and
        /// the runtime's few (16 is generous).
        static var threadBound: Int { maximumPending + associations + 16 }
        /// A socket per admitted connection, a file per association, and up to 32 more
        /// (stdio, listener, reserve, runtime).
        static var descriptorBound: Int { maximumPending + 2 * associations + 32 }
        /// 160 threads with a little stack and buffers each: 256 MiB is a wide margin.
        static let residentBoundMiB = 256
    }

    /// The default (async, SwiftNIO) server, or the thread-per-association one with `blocking`.
    static func startStoreSCP(output: String, descriptorLimit: Int? = nil, blocking: Bool) throws -> (PeerProcess, UInt16) {
        let pki = try LoadPKI.shared.get()
        return try ServerProcessTests.start(
            ["storescp"] + (blocking ? ["--blocking"] : []) + ["--tls", "--cert", pki.certificatePath, "--key", pki.keyPath, "--port", "0", "--host", "127.0.0.1",
             "--output-dir", output, "--artim", String(FloodLimits.artim), "--max-pending", String(FloodLimits.maximumPending),
             "--max-pending-per-address", String(FloodLimits.perAddress), "--max-associations", String(FloodLimits.associations)],
            descriptorLimit: descriptorLimit)
    }

    /// `count` SCUs at once, each storing its `k` objects over TLS; returns the failures.
    static func legitimateStores(port: UInt16, files: [[(path: String, object: DicomObjectGenerator.Object)]]) async -> [String] {
        let paths = files.map { $0.map(\.path) }
        return await Await.concurrently(files.count, timeout: 300) { i in
            let summary = try client(port: port).store(files: paths[i])
            guard summary.failures.isEmpty, summary.statuses.count == paths[i].count, summary.statuses.allSatisfy(\.isSuccess) else {
                throw LoadFailure("SCU \(i): \(summary.failures.map { "\($0.path): \($0.error)" })")
            }
        }
    }

    static func makeObjects(_ n: Int, _ k: Int, in src: String, seed: Int) throws -> [[(path: String, object: DicomObjectGenerator.Object)]] {
        try (0..<n).map { i in
            try (0..<k).map { j in
                let o = DicomObjectGenerator.secondaryCapture(rows: 96, columns: 96, seed: UInt8(truncatingIfNeeded: seed + i * k + j))
                let path = src + "/f\(i)-\(j).dcm"
                try Data(o.part10).write(to: URL(fileURLWithPath: path))
                return (path, o)
            }
        }
    }

    /// Every object stored once and byte-identical; returns how many were checked.
    static func checkStored(_ files: [[(path: String, object: DicomObjectGenerator.Object)]], in out: String) throws -> Int {
        var checked = 0
        for f in files.joined() {
            let path = out + "/" + f.object.sopInstanceUID + ".dcm"
            let header = try Part10File(path: path)
            #expect(Array([UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))[header.dataSetOffset...]) == f.object.dataSet)
            checked += 1
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".partial") }.isEmpty)
        return checked
    }

    @Test(arguments: [false, true]) func floodOfHostilePeersWhileLegitimateSCUsStoreOverTLS(blocking: Bool) async throws {
        let size = Flood.Size(silent: LoadSize.floodSilent, tricklers: LoadSize.floodTricklers, garbage: LoadSize.floodGarbage)
        let out = try Self.folder("flood\(blocking)"), src = try Self.folder("flood-src\(blocking)")
        let files = try Self.makeObjects(LoadSize.floodSCUs, LoadSize.floodObjects, in: src, seed: 7)
        let (scp, port) = try Self.startStoreSCP(output: out, blocking: blocking)
        defer { scp.stop() }
        #expect(try Self.client(port: port).echo().isSuccess)  // warm-up
        let before = ProcessResources.measure(scp.pid)
        let ticksBefore = RawPeer.cpuTicks(scp.pid)
        let sampler = ResourceSampler(scp.pid)
        let flood = Flood(port: port, size: size, tls: try LoadPKI.shared.get().clientConfig())
        await Await.pause(FloodLimits.artim)  // the flood reaches its steady state
        let start = Date()
        let failures = await Self.legitimateStores(port: port, files: files)
        let seconds = Date().timeIntervalSince(start)
        await Await.pause(1)
        let attack = await flood.stop()
        let peak = sampler.stop()
        let ticks = RawPeer.cpuTicks(scp.pid) - ticksBefore
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        let checked = try Self.checkStored(files, in: out)
        #expect(scp.isRunning)
        _ = await Await.until(15) { ProcessResources.measure(scp.pid).threads <= before.threads + 2 }
        let after = ProcessResources.measure(scp.pid)
        Self.report(
            "flood (storescp\(blocking ? " --blocking" : "")): \(size.silent) silent + \(size.tricklers) trickling TLS + \(size.garbage) garbage peers (\(attack)); "
                + "\(files.count) SCUs × \(LoadSize.floodObjects) objects over TLS, \(checked) checked byte for byte, in "
                + String(format: "%.1f s", seconds) + "; storescp before \(before); peak \(peak); after \(after); "
                + "storescp CPU \(ticks) ticks during the flood; "
                + "bounds threads ≤ \(FloodLimits.threadBound), fds ≤ \(FloodLimits.descriptorBound), rss ≤ \(FloodLimits.residentBoundMiB) MiB")
        #expect(checked == files.count * LoadSize.floodObjects)
        #expect(peak.threads <= FloodLimits.threadBound, "threads \(peak)")
        #expect(peak.fileDescriptors <= FloodLimits.descriptorBound, "descriptors \(peak)")
        #expect(peak.residentKiB <= FloodLimits.residentBoundMiB * 1024, "memory \(peak)")
        // ARTIM holds over TLS (F4): the server ends every trickling peer at ARTIM (each
        // notices within 0.5 s; 1.5 s more for scheduling on a loaded machine).
        #expect(attack.tricklersHandshaken > size.tricklers / 4)
        #expect(attack.longestTrickle < FloodLimits.artim + 2, "\(attack)")
        #expect(after.threads <= before.threads + 2 && after.fileDescriptors <= before.fileDescriptors + 2, "\(before) → \(after)")
    }

    @Test(arguments: [false, true]) func floodUnderDescriptorLimitLeavesStoreSCPAliveAndServing(blocking: Bool) async throws {
        let size = Flood.Size(silent: LoadSize.floodSilent, tricklers: LoadSize.floodTricklers, garbage: LoadSize.floodGarbage)
        let out = try Self.folder("flood64\(blocking)"), src = try Self.folder("flood64-src\(blocking)")
        let files = try Self.makeObjects(3, LoadSize.floodObjects, in: src, seed: 99)
        let (scp, port) = try Self.startStoreSCP(output: out, descriptorLimit: 64, blocking: blocking)
        defer { scp.stop() }
        let flood = Flood(port: port, size: size, tls: try LoadPKI.shared.get().clientConfig())
        await Await.pause(4)
        let aliveDuring = scp.isRunning
        let attack = await flood.stop()
        let accepting = { (try? Self.client(port: port).echo())?.isSuccess == true }
        let recovered = Date()
        #expect(await Await.until(20, accepting), "storescp does not serve again: \(scp.text.suffix(2000))")
        let recoverySeconds = Date().timeIntervalSince(recovered)
        let failures = await Self.legitimateStores(port: port, files: files)
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        let checked = try Self.checkStored(files, in: out)
        let acceptFailures = ServerProcessTests.lines(scp, containing: "accept failed")
        Self.report(
            "flood under ulimit -n 64 (\(attack)): storescp\(blocking ? " --blocking" : "") alive during=\(aliveDuring) after=\(scp.isRunning), "
                + "\(acceptFailures) 'accept failed' line(s), serving again after " + String(format: "%.1f s", recoverySeconds)
                + ", then \(checked) objects stored and checked")
        #expect(aliveDuring && scp.isRunning)
        #expect(acceptFailures >= 1, "the flood exhausted the descriptors (EMFILE)")
        #expect(checked == files.count * LoadSize.floodObjects)
    }
}
