import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The CPU a server child's living threads have used, by kind of thread (from
/// `/proc/PID/task/*/stat`): where an async server's time goes. Threads that have exited are
/// not listed; their CPU is only in the process total (``ServerChild/cpuSeconds()``).
enum ThreadCPU {
    /// Kinds of thread, from their names: SwiftNIO's event loops (`NIO-…`) and thread pool
    /// (`…TP-…`, the file writes), and the Swift concurrency pool (the handler tasks;
    /// Dispatch names them by QoS).
    static func kind(_ name: String) -> String {
        if name.contains("TP-") { return "file pool" }
        if name.hasPrefix("NIO-") { return "event loops" }
        if name.contains("qos") { return "handler tasks" }
        return "other"
    }

    /// utime + stime per kind of thread, in seconds.
    static func seconds(of pid: Int32) -> [String: Double] {
        let folder = "/proc/\(pid)/task"
        var totals: [String: Double] = [:]
        for tid in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            guard let (name, seconds) = read("\(folder)/\(tid)/stat") else { continue }
            totals[kind(name), default: 0] += seconds
        }
        return totals
    }

    /// The name and utime + stime (seconds) of a `/proc/…/stat` file: a process's, all its
    /// threads' included, living or gone, or one thread's.
    static func read(_ path: String) -> (name: String, seconds: Double)? {
        guard let stat = try? String(contentsOfFile: path, encoding: .utf8),
            let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the name: state is [0], utime [11], stime [12] (proc(5)).
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (String(stat[stat.index(after: open)..<close]), (user + system) / Double(sysconf(Int32(_SC_CLK_TCK))))
    }

    /// `after - before` per kind, in ms per MB, in a fixed order, with what exited threads used.
    static func describe(before: [String: Double], after: [String: Double], total: Double, megabytes: Double) -> String {
        var parts: [String] = []
        var listed = 0.0
        for kind in ["event loops", "file pool", "handler tasks", "other"] {
            let used = (after[kind] ?? 0) - (before[kind] ?? 0)
            listed += used
            parts.append("\(kind) \(format(used / megabytes * 1e3, 2))")
        }
        parts.append("exited threads \(format(max(0, total - listed) / megabytes * 1e3, 2))")
        return parts.joined(separator: ", ") + " ms/MB"
    }
}
