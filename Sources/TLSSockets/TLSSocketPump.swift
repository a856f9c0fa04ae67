import TLSRecord
import TLSHandshake

/// The `complete_io` loop of ``BlockingTLSStream`` (rustls `complete_io`, BearSSL `br_sslio`):
/// the engine, the socket under it, and the plaintext and state between calls.
struct TLSSocketPump {
    let socket: TCPSocket
    var connection: TLSConnection
    /// Decrypted application data not yet handed to the caller.
    var plaintext: [UInt8] = []
    var plaintextStart = 0
    /// Handshakes completed since the caller last looked (first, resumed, renegotiated).
    var completedHandshakes: [SessionInfo] = []
    /// Set when the peer answers a renegotiation request with `no_renegotiation`.
    var peerRefusedRenegotiation = false
    var peerSentCloseNotify = false
    var sentCloseNotify = false
    /// The most bytes one read takes: one record of the largest size. They go straight into
    /// the engine's input buffer, which is taken when bytes arrive and given back while the
    /// connection waits for more (no receive buffer of our own).
    static let readSize = RecordLimits.maxRecord

    init(socket: TCPSocket, connection: TLSConnection) {
        self.socket = socket
        self.connection = connection
    }

    var bufferedByteCount: Int { plaintext.count - plaintextStart }

    /// Reads and processes until the engine reports a completed handshake.
    mutating func completeHandshake(deadline: ContinuousClock.Instant, timeout: Duration) throws(TLSStreamError) -> SessionInfo {
        while completedHandshakes.isEmpty {
            do {
                try receiveOnce(deadline: deadline, context: "during the handshake")
            } catch .timedOut {
                throw .timedOut("the TLS handshake with \(socket.remoteAddress) did not finish within \(timeout)")
            }
            if completedHandshakes.isEmpty && peerSentCloseNotify {
                throw .truncated("\(socket.remoteAddress) sent close_notify during the handshake")
            }
            if completedHandshakes.isEmpty && peerRefusedRenegotiation {
                peerRefusedRenegotiation = false
                throw .renegotiationRefused("\(socket.remoteAddress) refused to renegotiate (warning no_renegotiation)")
            }
        }
        return completedHandshakes.removeFirst()
    }

    /// Moves up to `maxCount` buffered plaintext bytes out.
    mutating func takePlaintext(maxCount: Int) -> [UInt8] {
        if plaintextStart == 0, maxCount >= plaintext.count {  // all of it: hand the array over
            defer { plaintext = [] }
            return plaintext
        }
        let end = plaintextStart + min(maxCount, bufferedByteCount)
        let chunk = Array(plaintext[plaintextStart..<end])
        plaintextStart = end
        if plaintextStart == plaintext.count {
            plaintext.removeAll(keepingCapacity: true)
            plaintextStart = 0
        }
        return chunk
    }

    /// Encrypts `bytes` and writes the records.
    mutating func send(_ bytes: [UInt8], deadline: ContinuousClock.Instant?) throws(TLSStreamError) {
        do {
            try connection.send(bytes)
        } catch {
            try? flush(deadline: deadline)  // the alert, if the engine queued one
            throw .tls(error)
        }
        try flush(deadline: deadline)
    }

    /// Queues and writes our `close_notify` once.
    mutating func sendCloseNotify(deadline: ContinuousClock.Instant?) throws(TLSStreamError) {
        guard !sentCloseNotify else { return }
        sentCloseNotify = true
        connection.close()
        try flush(deadline: deadline)
    }

    /// One round: process what the engine already has; if nothing came out, read the socket once.
    mutating func receiveOnce(deadline: ContinuousClock.Instant?, context: String) throws(TLSStreamError) {
        if try drainEvents(deadline: deadline) { return }
        let n: Int
        do {
            n = try readSocket(deadline: deadline)
        } catch {
            if error.code == .timedOut {
                throw .timedOut("\(socket.remoteAddress) sent nothing \(context) before the deadline")
            }
            throw .socket(error)
        }
        guard n > 0 else {
            throw .truncated(
                "\(socket.remoteAddress) closed the TCP connection \(context) without sending close_notify: the data may be incomplete")
        }
        _ = try drainEvents(deadline: deadline)
    }

    /// Reads once, straight into the engine's input buffer. When nothing has arrived, the
    /// engine's buffers are given back (if empty) before waiting, so an idle connection
    /// holds none.
    private mutating func readSocket(deadline: ContinuousClock.Instant?) throws(SocketError) -> Int {
        let socket = self.socket
        var waiting = false
        let n = try unsafe connection.receive(maximumCount: Self.readSize) { raw throws(SocketError) in
            guard let n = try unsafe socket.readAvailable(into: raw, deadline: deadline) else {
                waiting = true
                return 0
            }
            return n
        }
        guard waiting else { return n }
        if !connection.hasPendingOutput { connection.releaseIdleBuffers() }
        try socket.waitReadable(until: deadline)
        return try unsafe connection.receive(maximumCount: Self.readSize) { raw throws(SocketError) in
            try unsafe socket.read(into: raw, deadline: deadline)
        }
    }

    /// Takes every event the engine can produce from the input it has, then flushes its output.
    ///
    /// - Returns: whether any event came out.
    private mutating func drainEvents(deadline: ContinuousClock.Instant?) throws(TLSStreamError) -> Bool {
        var any = false
        // Plaintext goes from the engine's buffer straight onto the end of ours.
        var text = plaintext
        plaintext = []
        defer { plaintext = text }
        do {
            while let event = try unsafe connection.nextEvent(applicationData: { bytes in
                any = true
                unsafe text.append(contentsOf: bytes)
            }) {
                any = true
                switch event {
                case .handshakeComplete(let info): completedHandshakes.append(info)
                case .applicationData(let bytes): text += bytes
                case .warningAlert(let alert):
                    if alert == .noRenegotiation { peerRefusedRenegotiation = true }
                case .privateKeyOperationNeeded(let operation):
                    // Not deferred on this adapter; should an engine hand one out, run it here.
                    try connection.completePrivateKeyOperation(Result { () throws(TLSError) in try operation.perform() })
                case .closed:
                    peerSentCloseNotify = true
                    if !sentCloseNotify {  // RFC 2246 §7.2.1: answer close_notify with close_notify
                        sentCloseNotify = true
                        connection.close()
                    }
                }
            }
        } catch {
            try? flush(deadline: deadline)  // deliver our fatal alert before giving up
            throw .tls(error)
        }
        try flush(deadline: deadline)
        return any
    }

    /// Writes everything the engine has queued, straight from its buffer.
    mutating func flush(deadline: ContinuousClock.Instant?) throws(TLSStreamError) {
        guard connection.hasPendingOutput else { return }
        let socket = self.socket
        do {
            let written = try unsafe connection.withPendingOutput { raw throws(SocketError) in
                try unsafe socket.write(contentsOf: raw, deadline: deadline)
                return raw.count
            }
            connection.consumeOutput(written)
        } catch {
            if error.code == .timedOut { throw .timedOut("\(socket.remoteAddress) accepted no data before the deadline") }
            throw .socket(error)
        }
    }
}
