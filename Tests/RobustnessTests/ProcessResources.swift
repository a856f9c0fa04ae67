import Foundation

/// Open file descriptors, threads and resident memory of a process, from /proc (Linux).
struct ProcessResources: CustomStringConvertible, Equatable {
    var fileDescriptors: Int
    var threads: Int
    var residentKiB: Int

    /// `pid` nil means this process.
    static func measure(_ pid: Int32? = nil) -> ProcessResources {
        let base = pid.map { "/proc/\($0)" } ?? "/proc/self"
        let fds = ((try? FileManager.default.contentsOfDirectory(atPath: base + "/fd"))?.count ?? 0) - (pid == nil ? 1 : 0)
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: base + "/task"))?.count ?? 0
        var rss = 0
        if let status = try? String(contentsOfFile: base + "/status", encoding: .utf8) {
            for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
                rss = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
            }
        }
        return ProcessResources(fileDescriptors: fds, threads: tasks, residentKiB: rss)
    }

    var description: String { "fds=\(fileDescriptors) threads=\(threads) rss=\(residentKiB / 1024) MiB" }
}

/// Sizes of the load tests: small in the normal suite, full size from Scripts/soak.sh.
enum LoadSize {
    static func env(_ name: String, _ small: Int) -> Int {
        ProcessInfo.processInfo.environment[name].flatMap(Int.init) ?? small
    }
    /// Concurrent TLS associations to the store SCP (full size: 200).
    static var associations: Int { env("SOAK_ASSOCIATIONS", 20) }
    /// Objects stored through each association.
    static var objectsPerAssociation: Int { env("SOAK_OBJECTS", 2) }
    /// Sequential handshakes to `dicomtls tls-server` (full size: 10,000).
    static var handshakes: Int { env("SOAK_HANDSHAKES", 200) }
    /// The server flood (issue 12): silent TCP connections, TLS peers trickling empty
    /// records, garbage peers, and the legitimate SCUs storing objects meanwhile.
    static var floodSilent: Int { env("FLOOD_SILENT", 500) }
    static var floodTricklers: Int { env("FLOOD_TRICKLERS", 100) }
    static var floodGarbage: Int { env("FLOOD_GARBAGE", 50) }
    static var floodSCUs: Int { env("FLOOD_SCUS", 20) }
    static var floodObjects: Int { env("FLOOD_OBJECTS", 5) }
}

/// Waits until `condition` holds or `seconds` pass; returns whether it held.
func waitUntil(_ seconds: Double, _ condition: () -> Bool) -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.02)
    }
    return condition()
}
