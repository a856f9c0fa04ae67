/// Records that make no progress ("SSL Death Alert", CVE-2016-8610; review F7): warning alerts
/// other than `close_notify` and empty records, counted until a record carries data or a
/// handshake message completes. The 5th warning alert or the 33rd empty record in a row is
/// `unexpected_message` (OpenSSL's `MAX_WARN_ALERT_COUNT` and `MAX_EMPTY_RECORDS`).
struct ProgressGuard: Sendable {
    private var warningAlerts = 0
    private var emptyRecords = 0

    /// A record carried data or a handshake message completed: both counts start again.
    mutating func progress() {
        warningAlerts = 0
        emptyRecords = 0
    }

    mutating func warningAlert() throws(TLSError) {
        warningAlerts += 1
        guard warningAlerts <= TLSLimits.consecutiveWarningAlerts else {
            throw .unexpected("\(warningAlerts) warning alerts in a row")
        }
    }

    mutating func emptyRecord() throws(TLSError) {
        emptyRecords += 1
        guard emptyRecords <= TLSLimits.consecutiveEmptyRecords else {
            throw .unexpected("\(emptyRecords) empty records in a row")
        }
    }
}
