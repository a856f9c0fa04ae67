import Foundation

extension VerificationPolicy {
    /// A policy validating at `date` (the caller reads the clock; the validator never does).
    ///
    /// - Throws: ``X509Error/Code/invalidTime`` for dates outside years 0–9999.
    public init(date: Date) throws(X509Error) {
        try self.init(secondsSince1970: Int64(date.timeIntervalSince1970.rounded(.down)))
    }
}
