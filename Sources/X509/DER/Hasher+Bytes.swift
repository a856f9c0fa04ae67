extension Hasher {
    /// Feeds `bytes` eight at a time (and their count), so hashing a certificate's
    /// encoding costs one round per word instead of one per byte (path building hashes
    /// every presented certificate, review finding F1).
    mutating func combine(packed bytes: [UInt8]) {
        combine(bytes.count)
        let n = bytes.count
        var i = 0
        while i + 8 <= n {
            var word: UInt64 = 0
            for k in i..<(i + 8) { word = word << 8 | UInt64(bytes[k]) }
            combine(word)
            i += 8
        }
        var word: UInt64 = 0
        while i < n {
            word = word << 8 | UInt64(bytes[i])
            i += 1
        }
        combine(word)
    }
}
