import Foundation
import Synchronization
import Testing
@testable import DicomUL

/// Both sides release at once over real sockets: PS3.8 §9.2 release collision (AR-8 → Sta9/Sta10,
/// AR-9, AR-10, AR-3, AR-4) through the blocking driver. Neither side reads before sending its
/// A-RELEASE-RQ, so the collision happens every run.
@Suite struct ReleaseCollisionTests {
    @Test func simultaneousReleaseCompletesOnBothSides() throws {
        let listener = try DicomListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let timeouts = DicomTimeouts(connect: 5, artim: 5, reply: 5)
        let acceptorResult = Mutex<String?>(nil)
        let ready = DispatchSemaphore(value: 0), go = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        let port = listener.port
        let thread = Thread {
            defer { done.signal() }
            do {
                guard let socket = try listener.accept(timeout: 5) else { acceptorResult.withLock { $0 = "no connection" }; return }
                let a = try Association.accept(
                    over: TCPTransport(adopting: socket), policy: .storageSCP(aeTitle: nil), timeouts: timeouts, maximumReceivePDULength: 16384)
                ready.signal()
                go.wait()
                try a.release()
                acceptorResult.withLock { $0 = a.releaseCollided ? "released after collision" : "released without collision" }
            } catch {
                ready.signal()
                acceptorResult.withLock { $0 = "\(error)" }
            }
        }
        thread.start()
        let rq = AssociateRQ(
            calledAETitle: "SCP", callingAETitle: "SCU",
            presentationContexts: [.init(id: 1, abstractSyntax: DicomUID.verification, transferSyntaxes: [DicomUID.implicitVRLittleEndian])],
            userInformation: UserInformation(maximumLength: 16384, implementationClassUID: DicomUID.implementationClassUID))
        let requestor = try Association.request(
            over: try TCPTransport.connect(host: "127.0.0.1", port: port, timeout: 5), rq, timeouts: timeouts, maximumReceivePDULength: 16384)
        #expect(ready.wait(timeout: .now() + 5) == .success)
        go.signal()
        try requestor.release()
        #expect(requestor.releaseCollided)
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(acceptorResult.withLock { $0 } == "released after collision")
    }
}
