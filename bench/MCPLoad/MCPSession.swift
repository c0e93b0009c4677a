/// What both transports' sessions share: failure handling, restart after a delay, the request deadline, and
/// capturing the body of a non-2xx answer for the failure report. Subclasses drive the protocol.
class MCPSession: ConnectionDelegate {
    let context: SessionContext
    /// Bumped on every teardown, so a loop over one read's events stops once the session has started over.
    private(set) var generation = 0
    /// When the outstanding step times out; 0 while nothing is outstanding.
    var deadline: UInt64 = 0
    private var restartAt: UInt64 = 0
    private(set) var isEstablished = false
    private(set) var isDead = false

    /// The non-2xx response being read so its body can be quoted: which connection, and what it answered.
    private var failedResponse: (connection: ObjectIdentifier, summary: String, body: [UInt8])?

    init(context: SessionContext) {
        self.context = context
    }

    /// Opens the connections and starts the handshake. Subclasses override.
    func open(now: UInt64) {}

    /// Closes every connection and forgets protocol state. Subclasses override and call super.
    func teardown() {
        generation += 1
        deadline = 0
        failedResponse = nil
        isEstablished = false
    }

    /// Checks the deadline and restarts a broken session once its delay has passed.
    func tick(now: UInt64) {
        if restartAt != 0, now >= restartAt {
            restartAt = 0
            open(now: now)
        } else if deadline != 0, now > deadline {
            fail(
                kind: "timeout", detail: "no answer within \(context.options.timeout) s (\(stepDescription))",
                breaksSession: true)
        }
    }

    /// What the session is waiting for, for timeout reports.
    var stepDescription: String { "" }

    /// Reports a failure; one that breaks the session tears it down and, in a load run, starts over after a delay.
    func fail(kind: String, detail: String, breaksSession: Bool) {
        context.observer.sessionDidFail(kind: kind, detail: detail)
        guard breaksSession else { return }
        let wasEstablished = isEstablished
        teardown()
        if context.isIdleMode {
            isDead = true
            context.observer.sessionDidEnd(wasEstablished: wasEstablished)
        } else {
            restartAt = SystemClock.now() &+ context.restartDelayNanoseconds
        }
    }

    func markEstablished() {
        isEstablished = true
        deadline = 0
        context.observer.sessionDidEstablish()
    }

    // MARK: - Non-2xx answers

    /// Starts quoting the answer on `connection`: the failure is reported when its body has arrived.
    func beginFailedResponse(on connection: LoopbackConnection, summary: String) {
        failedResponse = (ObjectIdentifier(connection), summary, [])
    }

    /// Whether `connection` is carrying a failed answer; if so `event` was consumed for the report.
    func consumeFailedResponse(_ connection: LoopbackConnection, _ event: HTTPResponseEvent) -> Bool {
        guard let failed = failedResponse, failed.connection == ObjectIdentifier(connection) else { return false }
        switch event {
        case .body(let bytes):
            if failed.body.count < 512 {
                failedResponse?.body.append(contentsOf: bytes.prefix(512 - failed.body.count))
            }
        case .end:
            reportFailedResponse()
        case .head, .malformed:
            break
        }
        return true
    }

    /// Reports the captured failed answer (its body so far) and breaks the session; false if none was pending.
    @discardableResult
    func reportFailedResponse() -> Bool {
        guard let failed = failedResponse else { return false }
        failedResponse = nil
        let body = failed.body.withUnsafeBytes { JSONRPCScan.excerpt($0) }
        fail(kind: "http_status", detail: "\(failed.summary)\(body.isEmpty ? "" : ": \(body)")", breaksSession: true)
        return true
    }

    // MARK: - ConnectionDelegate

    func connection(_ connection: LoopbackConnection, didReceive event: HTTPResponseEvent) {}

    func connectionDidClose(_ connection: LoopbackConnection, reason: String) {}
}
