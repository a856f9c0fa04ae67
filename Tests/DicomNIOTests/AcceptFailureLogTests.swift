@testable import DicomNIO
import NIOCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The async server's `accept` failure lines (review F2, F10): one per burst, then one when
/// accepting works again, as the blocking accept loop logs them.
@Suite struct AcceptFailureLogTests {
    @Test func oneLinePerBurstThenAcceptingAgain() {
        let burst = AcceptFailureBurst()
        #expect(burst.accepted() == nil, "no burst yet")
        let first = burst.failed(IOError(errnoCode: EMFILE, reason: "accept"))
        #expect(first?.hasPrefix("accept failed: ") == true, "\(first ?? "nil")")
        #expect(first?.contains("accepting paused for 1 s") == true)
        #expect(burst.failed(IOError(errnoCode: EMFILE, reason: "accept")) == nil)
        #expect(burst.failed(IOError(errnoCode: ENFILE, reason: "accept")) == nil)
        #expect(burst.accepted() == "accepting again after 3 failed accept(s)")
        #expect(burst.accepted() == nil)
        #expect(burst.failed(IOError(errnoCode: ECONNABORTED, reason: "accept"))?.contains("; retrying") == true, "a new burst")
    }
}
