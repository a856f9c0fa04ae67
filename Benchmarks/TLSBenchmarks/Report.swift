import Foundation

/// Renders results as a table a person can read.
func renderTable(_ results: [BenchmarkResult]) -> String {
    var lines: [String] = []
    let header = pad("case", 40) + pad("size", 8, left: true) + pad("ops/s", 13, left: true)
        + pad("MB/s", 10, left: true) + pad("ratio", 8, left: true) + pad("allocs/op", 11, left: true)
    var group = ""
    for r in results {
        if r.group != group {
            group = r.group
            lines.append("")
            lines.append("== \(group)")
            lines.append(header)
        }
        lines.append(
            pad(r.name, 40) + pad(sizeLabel(r.bytesPerOperation), 8, left: true)
                + pad(format(r.operationsPerSecond, 0), 13, left: true)
                + pad(r.megabytesPerSecond.map { format($0, 1) } ?? "-", 10, left: true)
                + pad(r.ratio.map { format($0, 3) } ?? "-", 8, left: true)
                + pad(format(r.allocationsPerOperation, 2), 11, left: true))
    }
    return lines.joined(separator: "\n")
}

/// Encodes results as JSON.
func renderJSON(_ results: [BenchmarkResult]) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return try encoder.encode(results)
}

func sizeLabel(_ n: Int) -> String {
    n == 0 ? "-" : n % 1024 == 0 ? "\(n / 1024) KB" : "\(n) B"
}

func format(_ x: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", x)
}

func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
    guard s.count < width else { return s + " " }
    let fill = String(repeating: " ", count: width - s.count)
    return left ? fill + s : s + fill
}
