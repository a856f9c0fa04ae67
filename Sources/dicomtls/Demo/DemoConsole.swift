import Foundation
import Synchronization

/// What the demo prints and what it checked: every check is printed as it happens, and the
/// demo exits 0 only if none failed. Thread-safe, since the SCP's secure-link-ready callback
/// runs on the association's thread.
final class DemoConsole: Sendable {
    private let start = Date()
    private let failures = Mutex<[String]>([])

    /// Seconds since the demo started.
    var elapsed: Double { Date().timeIntervalSince(start) }

    /// A section heading.
    func heading(_ text: String) {
        line("")
        line(text)
    }

    /// One indented line.
    func detail(_ text: String) { line("   " + text) }

    /// A line stamped with the time since the start, for events such as secure-link-ready.
    func event(_ who: String, _ text: String) {
        line(String(format: "   [%7.3f s] %@ %@", elapsed, who, text))
    }

    /// Records a check: prints `ok` or `FAILED` and remembers failures.
    @discardableResult
    func check(_ condition: Bool, _ what: String) -> Bool {
        detail((condition ? "ok      " : "FAILED  ") + what)
        if !condition { failures.withLock { $0.append(what) } }
        return condition
    }

    /// Records a failure that stops the scenario.
    func fail(_ what: String) {
        detail("FAILED  " + what)
        failures.withLock { $0.append(what) }
    }

    /// The checks that failed so far.
    var failed: [String] { failures.withLock { $0 } }

    /// Prints a line to stdout at once (the SCP thread prints too).
    func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}

/// "12.3 ms" or "1.24 s".
func demoDuration(_ seconds: Double) -> String {
    seconds < 1 ? String(format: "%.1f ms", seconds * 1000) : String(format: "%.2f s", seconds)
}
