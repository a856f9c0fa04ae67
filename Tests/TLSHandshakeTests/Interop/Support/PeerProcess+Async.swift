import Foundation
import TestSupport

extension PeerProcess {
    /// Waits for the process to exit without holding a test-pool thread (a blocking wait
    /// starves the other suites on two cores and trips their time limits); nil on timeout.
    func exitStatus(within seconds: Double) async -> Int32? {
        let end = ContinuousClock.now + .seconds(seconds)
        while isRunning, ContinuousClock.now < end {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return isRunning ? nil : waitForExit(timeout: .seconds(1))
    }
}
