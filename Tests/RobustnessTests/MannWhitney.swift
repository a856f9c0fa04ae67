import Foundation

/// Two-sample statistics for the timing measurements: the Mann–Whitney U test (normal
/// approximation with average ranks for ties) and order statistics for a box test
/// (Crosby, Wallach, Riedi 2009: compare low-percentile intervals).
struct TimingComparison: CustomStringConvertible {
    var n1: Int, n2: Int
    var median1: Double, median2: Double
    var p10a: Double, p10b: Double
    var u: Double, z: Double, p: Double

    init(_ a: [Double], _ b: [Double]) {
        n1 = a.count
        n2 = b.count
        let sa = a.sorted(), sb = b.sorted()
        func quantile(_ s: [Double], _ q: Double) -> Double { s.isEmpty ? 0 : s[min(s.count - 1, Int(Double(s.count - 1) * q))] }
        median1 = quantile(sa, 0.5)
        median2 = quantile(sb, 0.5)
        p10a = quantile(sa, 0.1)
        p10b = quantile(sb, 0.1)
        // Ranks over the pooled sample, ties get their average rank.
        let pooled = (a.map { ($0, 0) } + b.map { ($0, 1) }).sorted { $0.0 < $1.0 }
        var rankSumA = 0.0
        var i = 0
        while i < pooled.count {
            var j = i
            while j + 1 < pooled.count && pooled[j + 1].0 == pooled[i].0 { j += 1 }
            let rank = Double(i + j + 2) / 2
            for k in i...j where pooled[k].1 == 0 { rankSumA += rank }
            i = j + 1
        }
        let m = Double(n1), n = Double(n2)
        u = rankSumA - m * (m + 1) / 2
        let mu = m * n / 2
        let sigma = (m * n * (m + n + 1) / 12).squareRoot()
        z = sigma > 0 ? (u - mu) / sigma : 0
        p = erfc(abs(z) / 2.0.squareRoot())
    }

    /// |median difference| relative to the first median.
    var relativeMedianDifference: Double { median1 > 0 ? abs(median1 - median2) / median1 : 0 }

    var description: String {
        String(
            format: "n=%d/%d median %.1f/%.1f µs (diff %.2f%%), p10 %.1f/%.1f µs, Mann–Whitney U=%.0f z=%.2f p=%.3g",
            n1, n2, median1, median2, relativeMedianDifference * 100, p10a, p10b, u, z, p)
    }
}
