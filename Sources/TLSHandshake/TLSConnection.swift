import CryptoPrimitives
import TLSRecord
import X509

/// A TLS 1.0 connection, client or server, as a sans-I/O state machine (DESIGN.md §2).
///
/// Bytes from the network go in with ``receive(_:)``; ``nextEvent()`` drives the handshake
/// and returns application data and other events; ``send(_:)`` protects application data;
/// ``takeOutput()`` hands over the bytes to write to the network. It never touches a socket,
/// a thread or a clock (time comes from the configuration's injectable clock).
///
/// ```swift
/// var tls = try TLSConnection(client: config, serverName: "pacs.local")
/// socket.write(tls.takeOutput())                 // the ClientHello
/// tls.receive(bytesFromSocket)
/// while let event = try tls.nextEvent() { … }    // .handshakeComplete(info), .applicationData, .closed
/// try tls.send(plaintext)
/// socket.write(tls.takeOutput())
/// ```
/// A fatal error sends its alert (queued in ``takeOutput()``), invalidates the session, and
/// leaves the connection failed: every later call throws the same error.
public struct TLSConnection: Sendable {
    enum Machine: Sendable {
        case client(ClientState)
        case server(ServerState)
    }

    private var machine: Machine
    var record: RecordLayer
    var config: TLSConfiguration
    private let serverName: String?
    /// Handshake bytes received but not yet forming a whole message (RFC 2246 §7.4: messages
    /// may span records, and one record may hold several).
    var handshakeBuffer: [UInt8] = []
    /// Handshake messages to be sent, coalesced into as few records as possible.
    private var handshakeOut: [UInt8] = []
    var events: [TLSEvent] = []
    /// Server only: bytes held back until we know whether the client speaks SSLv2 framing.
    private var sniffBuffer: [UInt8] = []
    var sniffing: Bool
    var established = false
    var failure: TLSError?
    /// What was seen of the handshake, to explain a failure (HandshakeContext).
    var context: HandshakeContext
    var sentClose = false
    var receivedClose = false
    /// The last completed handshake's state, to fall back to when a renegotiation is refused.
    private var lastTraffic: Traffic?
    private var info: SessionInfo?
    private var currentSession: TLSSession?
    /// A server sent HelloRequest for key-usage reasons and waits for the client's hello.
    private var rekeyRequested = false
    /// Server only: a HelloRequest of ours waits for its ClientHello, so the next ClientHello
    /// is a renegotiation we asked for, not a client-initiated one.
    private var helloRequestPending = false
    /// Server only: which client-initiated renegotiations are accepted.
    private var renegotiationGate = RenegotiationGate()
    /// Warning alerts and empty records in a row without progress.
    var progressGuard = ProgressGuard()
    /// Application data the caller wrote while a renegotiation was in progress, sent once it
    /// completes: peers such as GnuTLS refuse application data in the middle of a handshake.
    private var heldApplicationData: [[UInt8]] = []
    /// A private-key operation was handed out and its result is awaited.
    var awaitingPrivateKey = false
    /// Whether the handshake hands RSA private-key operations out as
    /// ``TLSEvent/privateKeyOperationNeeded(_:)`` instead of running them inside
    /// ``nextEvent()`` (an event loop runs them on a thread pool). Off by default: the
    /// blocking adapter runs them inline.
    public var defersPrivateKeyOperations = false
    /// Server only: whether the latest handshake sent CertificateRequest (for tests).
    private(set) var requestedClientCertificateInLastHandshake = false
    /// Tests only: application data sent between the two halves of the next handshake flight
    /// of an established connection (interleaving, RFC 2246 §6.2.1).
    var interleavedApplicationDataForTesting: [UInt8]?

    /// A client connection; the ClientHello is queued at once (collect it with
    /// ``takeOutput()``). `resuming` offers a session from an earlier connection's ``session``.
    public init(client configuration: TLSConfiguration, serverName: String? = nil, resuming: TLSSession? = nil) throws(TLSError) {
        guard configuration.role == .client else { throw .configuration("a server configuration was given to a client connection") }
        if !configuration.isValidated { try configuration.validate() }
        config = configuration
        self.serverName = serverName
        context = HandshakeContext(role: .client)
        sniffing = false
        record = RecordLayer(role: .client, configuration: Self.recordConfiguration(configuration))
        var env = HandshakeEnvironment(config: config, now: config.currentTime())
        machine = .client(ClientHandshake.start(serverName: serverName, resuming: resuming, previous: nil, &env))
        try perform(env.actions)
    }

    /// A server connection, waiting for a ClientHello.
    public init(server configuration: TLSConfiguration) throws(TLSError) {
        guard configuration.role == .server else { throw .configuration("a client configuration was given to a server connection") }
        if !configuration.isValidated { try configuration.validate() }
        config = configuration
        serverName = nil
        context = HandshakeContext(role: .server)
        sniffing = true
        record = RecordLayer(role: .server, configuration: Self.recordConfiguration(configuration))
        machine = .server(.expectClientHello(ExpectClientHello(previous: nil)))
    }

    private static func recordConfiguration(_ c: TLSConfiguration) -> RecordLayerConfiguration {
        var r = RecordLayerConfiguration()
        r.recordSplitting = c.options.contains(.recordSplitting)
        if let limit = c.keyUsageLimit {
            r.keyUsageLimit = limit
            r.keyUsageRenegotiationThreshold = limit / 2
        }
        return r
    }

    // MARK: Public state

    /// Whether a handshake has completed (application data may flow).
    public var isHandshakeComplete: Bool { established && failure == nil }

    /// The latest completed handshake's summary.
    public var sessionInfo: SessionInfo? { info }

    /// The session to offer when reconnecting (client) or that was cached (server); nil
    /// after a fatal alert, which invalidates it (RFC 2246 §7.2.2).
    public var session: TLSSession? { failure == nil ? currentSession : nil }

    /// Whether a renegotiation handshake is under way on an established connection. Data
    /// passed to ``send(_:)`` meanwhile is held and sent when the new handshake completes.
    public var isRenegotiating: Bool {
        guard established, failure == nil else { return false }
        switch machine {
        case .client(.traffic), .server(.traffic): return false
        default: return true
        }
    }

    /// Whether the connection can carry no more data: failed, or closed in both directions.
    public var isClosed: Bool { failure != nil || (sentClose && receivedClose) }

    // MARK: Input

    /// Network bytes in.
    public mutating func receive(_ bytes: [UInt8]) {
        context.note(received: bytes)
        if sniffing {
            sniffBuffer += bytes
        } else {
            record.receive(bytes)
        }
    }

    /// Network bytes in, from memory the caller owns (an event loop's buffer): copied once,
    /// into the record layer's input queue, where records are then opened in place.
    public mutating func receive(_ bytes: UnsafeRawBufferPointer) {
        unsafe context.note(received: bytes)
        if sniffing {
            unsafe sniffBuffer.append(contentsOf: bytes)
        } else {
            unsafe record.receive(bytes)
        }
    }

    /// Network bytes in, written by `read` (a `recv(2)`) straight into the record layer's
    /// input buffer: `read` gets room for `maximumCount` bytes and returns how many it wrote
    /// (clamped to 0...maximumCount), which this returns. No copy on the way in, except for a
    /// server's first bytes, which are held until the SSLv2 framing question is settled.
    public mutating func receive<E: Error>(
        maximumCount: Int, _ read: (UnsafeMutableRawBufferPointer) throws(E) -> Int
    ) throws(E) -> Int {
        guard !sniffing else {
            let first = UnsafeMutableRawBufferPointer.allocate(byteCount: max(0, maximumCount), alignment: 1)
            defer { unsafe first.deallocate() }
            let n = try unsafe read(first)
            let accepted = min(max(0, n), first.count)
            // Bounds: accepted <= first.count.
            unsafe receive(UnsafeRawBufferPointer(rebasing: first[0..<accepted]))
            return accepted
        }
        let firstRead = record.bufferedInputCount == 0 && !established
        let accepted = try unsafe record.receive(maximumCount: maximumCount, read)
        if firstRead, accepted > 0 {  // a client's first bytes, for explanations
            let head = unsafe record.withBufferedInput { unsafe Array($0.prefix(16)) }
            context.note(received: head)
        }
        return accepted
    }

    /// Drives the connection: returns the next event, or nil when more input is needed.
    public mutating func nextEvent() throws(TLSError) -> TLSEvent? {
        try unsafe nextEvent(deliver: false) { _ in }
    }

    /// Drives the connection like ``nextEvent()``, except that application data does not
    /// come out as ``TLSEvent/applicationData(_:)``: each record's plaintext is passed to
    /// `applicationData` straight from the record layer's buffer, valid only during the call
    /// (copy it into your own buffer, e.g. a `ByteBuffer`; do not call back into this
    /// connection). Data passed before an event returned precedes that event. No
    /// intermediate array per record.
    public mutating func nextEvent(
        applicationData: (UnsafeRawBufferPointer) -> Void
    ) throws(TLSError) -> TLSEvent? {
        try unsafe nextEvent(deliver: true, applicationData)
    }

    private mutating func nextEvent(
        deliver: Bool, _ sink: (UnsafeRawBufferPointer) -> Void
    ) throws(TLSError) -> TLSEvent? {
        do {
            return try unsafe step(deliver: deliver, sink)
        } catch {
            let explained = context.explain(error, config: config)
            fail(explained)
            throw explained
        }
    }

    /// A record opened in place: either handed to the caller's sink already (non-empty
    /// application data the connection accepts now) or copied out for ``handleRecord(_:_:)``.
    private enum Opened {
        case delivered
        case record(ContentType, [UInt8])
    }

    private mutating func step(deliver: Bool, _ sink: (UnsafeRawBufferPointer) -> Void) throws(TLSError) -> TLSEvent? {
        while true {
            if let failure { throw failure }
            if !events.isEmpty { return events.removeFirst() }
            if awaitingPrivateKey { return nil }
            if receivedClose { return nil }
            if sniffing {
                guard try sniffSSLv2() else { return nil }
                continue
            }
            if let message = try nextHandshakeMessage() {
                try dispatch(message)
                continue
            }
            // Decided before the record is opened: the checks of handleRecord's applicationData
            // case, which the delivered records skip.
            let direct = deliver && established && acceptsApplicationData
            let next: Opened?
            do {
                next = try unsafe record.withNextRecord { type, bytes in
                    if direct, type == .applicationData, unsafe !bytes.isEmpty {
                        unsafe sink(bytes)
                        return .delivered
                    }
                    return unsafe .record(type, Array(bytes))
                }
            } catch {
                throw TLSError(.record(error))
            }
            switch next {
            case nil:
                return nil
            case .delivered:
                progressGuard.progress()
                try rekeyIfNeeded()
            case .record(let type, let fragment):
                try handleRecord(type, fragment)
            }
        }
    }

    private mutating func handleRecord(_ type: ContentType, _ fragment: [UInt8]) throws(TLSError) {
        switch type {
        case .handshake:
            guard !fragment.isEmpty else { throw .unexpected("empty handshake record") }
            handshakeBuffer += fragment
        case .changeCipherSpec:
            guard fragment == [1] else { throw .decode("a ChangeCipherSpec record must hold the single byte 1") }
            guard handshakeBuffer.isEmpty else { throw .unexpected("ChangeCipherSpec inside a fragmented handshake message") }
            try dispatchInput(.changeCipherSpec)
        case .alert:
            try handleAlert(fragment)
        case .applicationData:
            // RFC 2246 §6.2.1: records of different types may interleave, so application data
            // between the records of a fragmented renegotiation message is delivered.
            guard established else {
                throw .unexpected("application data before the handshake completed")
            }
            guard acceptsApplicationData else {
                throw .unexpected("application data between the peer's ChangeCipherSpec and Finished")
            }
            if fragment.isEmpty {
                try progressGuard.emptyRecord()
            } else {
                progressGuard.progress()
            }
            events.append(.applicationData(fragment))
            try rekeyIfNeeded()
        default:
            throw .unexpected("record of unknown content type \(type.rawValue)")
        }
    }

    /// Application data may interleave with a renegotiation, except between the peer's
    /// ChangeCipherSpec and Finished.
    private var acceptsApplicationData: Bool {
        switch machine {
        case .client(.expectServerFinished), .server(.expectClientFinished): false
        default: true
        }
    }

    private mutating func handleAlert(_ fragment: [UInt8]) throws(TLSError) {
        let alert: Alert
        do { alert = try Alert(decoding: fragment) } catch { throw TLSError(.record(error)) }
        if alert.level == .fatal {
            throw TLSError(.peerAlert(alert.description))
        }
        guard alert.level == .warning else {
            throw .illegal("alert with unknown level \(alert.level.rawValue)")
        }
        switch alert.description {
        case .closeNotify:
            // RFC 2246 §7.2.1: answer with our own close_notify.
            receivedClose = true
            if !sentClose { close() }
            events.append(.closed)
        case .noRenegotiation:
            try progressGuard.warningAlert()
            // The peer refused our renegotiation: carry on with the current keys.
            if case .client(.expectServerHello) = machine, let t = lastTraffic {
                machine = .client(.traffic(t))
                try sendHeldApplicationData()
            }
            helloRequestPending = false
            events.append(.warningAlert(alert.description))
        default:
            try progressGuard.warningAlert()
            events.append(.warningAlert(alert.description))
        }
    }


    /// One whole handshake message from the reassembly buffer, if there is one.
    /// The header is judged as soon as its 4 bytes are here, before the body is buffered:
    /// the type against the current state, the length against that type's bound.
    private mutating func nextHandshakeMessage() throws(TLSError) -> HandshakeInput? {
        guard let header = HandshakeHeader(handshakeBuffer) else { return nil }
        // After our close_notify only a HelloRequest is tolerated (and ignored, below).
        guard !sentClose || header.type == .helloRequest else { throw .unexpected("a handshake message after our close_notify") }
        try header.check(accepted: acceptedHandshakeTypes, limits: config.limits)
        guard handshakeBuffer.count >= 4 + header.length else { return nil }
        let bytes = Array(handshakeBuffer[0..<(4 + header.length)])
        handshakeBuffer.removeFirst(4 + header.length)
        let message = try HandshakeMessage.decode(bytes, maximumCertificates: config.limits.certificateCount)
        progressGuard.progress()
        return .message(message, bytes: bytes)
    }

    private var acceptedHandshakeTypes: HandshakeTypeSet {
        switch machine {
        case .client(let state): state.acceptedHandshakeTypes
        case .server(let state): state.acceptedHandshakeTypes
        }
    }

    /// Server only: the first bytes decide between a TLS record and an SSLv2-framed
    /// ClientHello (RFC 2246 Appendix E.1).
    private mutating func sniffSSLv2() throws(TLSError) -> Bool {
        guard sniffBuffer.count >= 3 else { return false }
        if SSLv2ClientHello.looksLikeSSLv2(sniffBuffer) {
            guard let v2 = try SSLv2ClientHello.decode(sniffBuffer) else { return false }
            let rest = Array(sniffBuffer[v2.consumed...])
            sniffing = false
            sniffBuffer = []
            record.receive(rest)
            try dispatchInput(.message(.clientHello(v2.hello), bytes: v2.transcriptBytes))
        } else {
            sniffing = false
            record.receive(sniffBuffer)
            sniffBuffer = []
        }
        return true
    }

    // MARK: The state machine

    private mutating func dispatch(_ input: HandshakeInput) throws(TLSError) {
        // HelloRequest (RFC 2246 §7.4.1.1) is outside the transcript and the state chains.
        if case .message(.helloRequest, _) = input {
            guard case .client(let state) = machine else {
                throw .unexpected("a client sent HelloRequest")
            }
            guard case .traffic(let traffic) = state, !sentClose else { return }  // ignored mid-handshake or closing
            try answerHelloRequest(traffic)
            return
        }
        if case .server(.traffic) = machine, case .message(.clientHello, _) = input, !helloRequestPending,
            !renegotiationGate.admit(config)
        {
            // Refused client-initiated renegotiation: a warning, and the current keys stay.
            try sendRecord(.alert, Alert.warning(.noRenegotiation).bytes)
            return
        }
        try dispatchInput(input)
    }

    /// Runs one state step. The state is set to `.failed` first, so a throw leaves the
    /// connection dead (STYLE.md §3).
    private mutating func dispatchInput(_ input: HandshakeInput) throws(TLSError) {
        context.note(input)
        var env = HandshakeEnvironment(config: config, now: config.currentTime())
        env.defersPrivateKeyOperations = defersPrivateKeyOperations
        // The state is moved out (the connection holds `.failed` meanwhile), not copied.
        switch takeMachine() {
        case .client(let state):
            let next: ClientState =
                switch state {
                case .expectServerHello(let s): try s.handle(input, &env)
                case .expectServerCertificate(let s): try s.handle(input, &env)
                case .expectServerHelloDone(let s): try s.handle(input, &env)
                case .awaitCertificateVerifySignature: throw .unexpected("\(input.name) while signing CertificateVerify")
                case .expectServerChangeCipherSpec(let s): try s.handle(input, &env)
                case .expectServerFinished(let s): try s.handle(input, &env)
                case .traffic: throw .unexpected("unexpected \(input.name) after the handshake")
                case .failed: throw TLSError(.closed)
                }
            if case .traffic(let t) = next { lastTraffic = t }
            machine = .client(next)  // last use: moved, not copied
        case .server(let state):
            let next: ServerState =
                switch state {
                case .expectClientHello(let s): try s.handle(input, &env)
                case .expectClientCertificate(let s): try s.handle(input, &env)
                case .expectClientKeyExchange(let s): try s.handle(input, &env)
                case .awaitPremaster: throw .unexpected("\(input.name) while decrypting the premaster")
                case .expectCertificateVerify(let s): try s.handle(input, &env)
                case .expectClientChangeCipherSpec(let s): try s.handle(input, &env)
                case .expectClientFinished(let s): try s.handle(input, &env)
                case .traffic(let t):
                    // A ClientHello on an established connection renegotiates (RFC 2246 §7.4.1.2).
                    try ExpectClientHello(previous: t.link).handle(input, &env)
                case .failed: throw TLSError(.closed)
                }
            if case .traffic(let t) = next { lastTraffic = t }
            machine = .server(next)  // last use: moved, not copied
        }
        try perform(env.actions)
        if let operation = env.privateKeyOperation {
            awaitingPrivateKey = true
            events.append(.privateKeyOperationNeeded(operation))
        }
    }

    /// Moves the state out, leaving the same side's `.failed` in its place: a swap, so the
    /// state's arrays and secrets are neither retained nor copied.
    private mutating func takeMachine() -> Machine {
        var taken: Machine
        switch machine {
        case .client: taken = .client(.failed)
        case .server: taken = .server(.failed)
        }
        swap(&taken, &machine)
        return taken
    }

    /// Resumes a handshake that reported ``TLSEvent/privateKeyOperationNeeded(_:)`` with the
    /// operation's result (the premaster, or the CertificateVerify signature); a failure
    /// fails the connection with `internal_error`. Then call ``nextEvent()`` again.
    public mutating func completePrivateKeyOperation(_ result: Result<[UInt8], TLSError>) throws(TLSError) {
        if let failure { throw failure }
        guard awaitingPrivateKey else { throw .misuse("completePrivateKeyOperation(_:) with no operation pending") }
        awaitingPrivateKey = false
        do throws(TLSError) {
            let output: [UInt8]
            switch result {
            case .success(let bytes): output = bytes
            case .failure(let error): throw error
            }
            var env = HandshakeEnvironment(config: config, now: config.currentTime())
            switch machine {
            case .server(.awaitPremaster(let s)):
                machine = .server(.failed)
                machine = .server(try s.finish(premaster: output, &env))
            case .client(.awaitCertificateVerifySignature(let s)):
                machine = .client(.failed)
                machine = .client(s.finish(signature: output, &env))
            default:
                throw TLSError.misuse("no private-key operation is pending")
            }
            try perform(env.actions)
        } catch {
            fail(error)
            throw error
        }
    }

    /// A client answers HelloRequest with a new ClientHello, unless renegotiation is off or
    /// would be insecure, in which case it sends the warning `no_renegotiation` (§7.2.2).
    private mutating func answerHelloRequest(_ traffic: Traffic) throws(TLSError) {
        let insecure = !traffic.link.secureRenegotiation && !config.options.contains(.allowLegacyRenegotiation)
        if insecure || config.options.contains(.noRenegotiation) {
            try sendRecord(.alert, Alert.warning(.noRenegotiation).bytes)
            return
        }
        try startClientRenegotiation(traffic)
    }

    private mutating func startClientRenegotiation(_ traffic: Traffic) throws(TLSError) {
        var env = HandshakeEnvironment(config: config, now: config.currentTime())
        machine = .client(ClientHandshake.start(serverName: serverName, resuming: nil, previous: traffic.link, &env))
        try perform(env.actions)
    }

    /// Carries out what a state asked for, in order.
    private mutating func perform(_ actions: [OutboundAction]) throws(TLSError) {
        for action in actions {
            switch action {
            case .handshake(let bytes):
                if bytes.first == HandshakeType.serverHello.rawValue { requestedClientCertificateInLastHandshake = false }
                if bytes.first == HandshakeType.certificateRequest.rawValue { requestedClientCertificateInLastHandshake = true }
                handshakeOut += bytes
            case .changeCipherSpec(let parameters):
                try flushHandshake()
                do {
                    try record.setPendingWrite(parameters)
                    try record.send(.changeCipherSpec, [1])
                    try record.changeWriteCipherSpec()
                } catch {
                    throw TLSError(.record(error))
                }
            case .changeReadCipherSpec(let parameters):
                do {
                    try record.setPendingRead(parameters)
                    try record.changeReadCipherSpec()
                } catch {
                    throw TLSError(.record(error))
                }
            case .completed(let summary):
                try flushHandshake()
                established = true
                rekeyRequested = false
                helloRequestPending = false
                record.peerRecordVersion = .tls10
                info = summary
                if case .client(.traffic(let t)) = machine { currentSession = t.link.session }
                if case .server(.traffic(let t)) = machine { currentSession = t.link.session }
                events.append(.handshakeComplete(summary))
                config.onSecureLinkReady?(summary)
                try sendHeldApplicationData()
            }
        }
        try flushHandshake()
    }

    private mutating func flushHandshake() throws(TLSError) {
        guard !handshakeOut.isEmpty else { return }
        let bytes = handshakeOut
        handshakeOut = []
        if established, bytes.count > 1, let data = interleavedApplicationDataForTesting {
            interleavedApplicationDataForTesting = nil
            try sendRecord(.handshake, Array(bytes[..<(bytes.count / 2)]))
            try sendRecord(.applicationData, data)
            try sendRecord(.handshake, Array(bytes[(bytes.count / 2)...]))
            return
        }
        try sendRecord(.handshake, bytes)
    }

    /// Protects and queues one record; nothing at all once our close_notify is out
    /// (RFC 2246 §7.2.1), whatever asks (a rekeying HelloRequest, a warning).
    private mutating func sendRecord(_ type: ContentType, _ bytes: [UInt8]) throws(TLSError) {
        guard !sentClose else { return }
        do {
            try record.send(type, bytes)
        } catch {
            throw TLSError(.record(error))
        }
    }

    // MARK: Output

    /// Protects and queues application data. Allowed once a handshake has completed.
    public mutating func send(_ plaintext: [UInt8]) throws(TLSError) {
        if let failure { throw failure }
        guard established else { throw .misuse("send(_:) before the handshake completed") }
        guard !sentClose else { throw TLSError(.closed) }
        if isRenegotiating {
            heldApplicationData.append(plaintext)
            return
        }
        do {
            try sendRecord(.applicationData, plaintext)
            try rekeyIfNeeded()
        } catch {
            fail(error)
            throw error
        }
    }

    /// Protects and queues application data from memory the caller owns: the bytes are
    /// copied once, into the records sealed in place (no intermediate array), except while a
    /// renegotiation holds them back (see ``isRenegotiating``).
    public mutating func send(contentsOf plaintext: UnsafeRawBufferPointer) throws(TLSError) {
        try checkCanSendApplicationData("send(contentsOf:)")
        if isRenegotiating {
            unsafe heldApplicationData.append(Array(plaintext))
            return
        }
        try protectApplicationData { record throws(RecordError) in try unsafe record.send(.applicationData, plaintext) }
    }

    /// The checks before application data is accepted for sending; `caller` names the call
    /// in the misuse error.
    func checkCanSendApplicationData(_ caller: String) throws(TLSError) {
        if let failure { throw failure }
        guard established else { throw .misuse("\(caller) before the handshake completed") }
        guard !sentClose else { throw TLSError(.closed) }
    }

    /// Runs `seal` on the record layer, then rekeys if a Sweet32 limit is near; a failure
    /// fails the connection (its alert queued) and is rethrown.
    mutating func protectApplicationData<R>(_ seal: (inout RecordLayer) throws(RecordError) -> R) throws(TLSError) -> R {
        do throws(TLSError) {
            let result: R
            do {
                result = try seal(&record)
            } catch {
                throw TLSError(.record(error))
            }
            try rekeyIfNeeded()
            return result
        } catch {
            fail(error)
            throw error
        }
    }

    /// Sends what ``send(_:)`` held back during a renegotiation, in order.
    private mutating func sendHeldApplicationData() throws(TLSError) {
        let held = heldApplicationData
        heldApplicationData = []
        for data in held { try sendRecord(.applicationData, data) }
    }

    /// Sweet32 (DESIGN.md §6): past the record layer's threshold under one 64-bit-block key,
    /// a client renegotiates and a server asks for it with HelloRequest; if the peer
    /// refuses, the record layer's hard limit later ends the connection.
    mutating func rekeyIfNeeded() throws(TLSError) {
        guard record.needsRenegotiation else { return }
        switch machine {
        case .client(.traffic(let t)):
            guard t.link.secureRenegotiation || config.options.contains(.allowLegacyRenegotiation),
                !config.options.contains(.noRenegotiation)
            else { return }
            try startClientRenegotiation(t)
        case .server(.traffic) where !rekeyRequested:
            rekeyRequested = true
            helloRequestPending = true
            try sendRecord(.handshake, HandshakeMessage.helloRequest.encoded())
        default:
            return
        }
    }

    /// The bytes to write to the network (records and alerts), emptying the queue.
    public mutating func takeOutput() -> [UInt8] {
        record.takeOutput()
    }

    /// Gives back the record layer's buffers and the handshake's reassembly space when they
    /// hold nothing (``RecordLayer/releaseIdleBuffers()``); an event loop calls this when a
    /// connection goes idle, so an idle connection costs little memory.
    public mutating func releaseIdleBuffers() {
        record.releaseIdleBuffers()
        if handshakeBuffer.isEmpty { handshakeBuffer = [] }
        if !sniffing && sniffBuffer.isEmpty { sniffBuffer = [] }
    }

    /// Whether bytes wait to be written to the network.
    public var hasPendingOutput: Bool { record.hasOutput }

    /// Passes the bytes waiting to be written to `body` without copying them; follow with
    /// ``consumeOutput(_:)`` for the bytes actually written.
    public func withPendingOutput<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try unsafe record.withOutput(body)
    }

    /// Drops the first `count` pending output bytes (after a partial or full write).
    public mutating func consumeOutput(_ count: Int) {
        record.consumeOutput(count)
    }

    /// Queues `close_notify` (RFC 2246 §7.2.1); nothing more can be sent afterwards.
    public mutating func close() {
        guard !sentClose, failure == nil else { return }
        try? sendHeldApplicationData()
        try? sendRecord(.alert, Alert.closeNotify.bytes)
        sentClose = true
    }

    /// Starts a new handshake on an established connection: a client sends a new ClientHello;
    /// a server sends HelloRequest (RFC 2246 §7.4.1.1). Refused without RFC 5746 support
    /// unless ``TLSOptions/allowLegacyRenegotiation`` is set.
    public mutating func renegotiate() throws(TLSError) {
        if let failure { throw failure }
        guard !sentClose else { throw TLSError(.closed) }
        do throws(TLSError) {
            switch machine {
            case .client(.traffic(let t)):
                guard t.link.secureRenegotiation || config.options.contains(.allowLegacyRenegotiation) else {
                    throw TLSError(.insecureRenegotiation("the server does not support secure renegotiation (RFC 5746)"))
                }
                try startClientRenegotiation(t)
            case .server(.traffic(let t)):
                guard t.link.secureRenegotiation || config.options.contains(.allowLegacyRenegotiation) else {
                    throw TLSError(.insecureRenegotiation("the client does not support secure renegotiation (RFC 5746)"))
                }
                try sendRecord(.handshake, HandshakeMessage.helloRequest.encoded())
                helloRequestPending = true
            default:
                throw TLSError.misuse("renegotiate() is only possible after a completed handshake and not during one")
            }
        } catch {
            if error.code != .misuse && error.code != .insecureRenegotiation { fail(error) }
            throw error
        }
    }

    // MARK: Failure

    /// Records a fatal error: sends its alert (unless the peer sent one or we already sent
    /// `close_notify`), invalidates the
    /// session (RFC 2246 §7.2.2) and poisons the connection.
    mutating func fail(_ error: TLSError) {
        guard failure == nil else { return }
        if error.code == .misuse { return }
        failure = error
        switch machine {
        case .client: machine = .client(.failed)
        case .server: machine = .server(.failed)
        }
        // RFC 2246 §7.2.1: after our close_notify we send nothing more, not even a fatal alert.
        if let alert = error.alert, !error.isPeerAlert, !sentClose {
            try? record.send(.alert, Alert.fatal(alert).bytes)
        }
        if let s = currentSession {
            config.sessionStore.remove(id: s.sessionID)
        }
        currentSession = nil
    }
}

// MARK: Test seams (internal: reachable from `@testable` tests only)

extension TLSConnection {
    /// Tests only: protects and queues one record of any type and content under the current
    /// write state, so a test can put exactly the hostile bytes of a review script on the wire.
    mutating func sendRecordForTesting(_ type: ContentType, _ bytes: [UInt8]) throws(TLSError) {
        try sendRecord(type, bytes)
    }

    /// Tests only: swaps the configuration of an established connection (e.g. the client
    /// certificate a later renegotiation presents).
    mutating func replaceConfigurationForTesting(_ configuration: TLSConfiguration) {
        config = configuration
    }
}
