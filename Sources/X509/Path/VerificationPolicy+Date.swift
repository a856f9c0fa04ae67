import Foundation

extension VerificationPolicy {
    /// A policy validating at `date` (the caller reads the clock; the validator never does).
    ///
    /// - Throws: ``X509Error/Code/invalidTime`` for dates outside years 0–9999.
    public init(date: Date) throws(X509Error) {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        guard seconds.isFinite, abs(seconds) < 1e12 else {
            throw X509Error(.invalidTime, "validation date \(date) is outside years 0–9999")
        }
        try self.init(secondsSince1970: Int64(seconds))
    }
}
