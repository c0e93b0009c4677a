/// Opens N HTTP+SSE sessions (stream, endpoint event, initialize, initialized; then the POST connection is closed),
/// holds them idle, and measures how much the server's resident memory grew per session.
///
/// Sessions open at most `openingAtOnce` at a time, so the server's accept backlog never overflows. A failed session
/// is not retried; if the first sessions all fail the server does not serve HTTP+SSE and the run stops early.
final class IdleSSERun: SessionObserver {
    struct Result {
        var established: Int
        var failures: Int
        var residentBeforeKiB: Int
        var residentAfterKiB: Int
    }

    private let options: LoadOptions
    private let poller: Poller
    private var sessions: [SSESession] = []
    private var failures = FailureLog()
    private var opening = 0
    private var established = 0
    private var finishedOpening = 0
    private let openingAtOnce = 64
    /// How long the server gets to settle once every session is open, before its memory is read.
    private let settleNanoseconds: UInt64 = 1_000_000_000
    /// A bound on the whole run, so a server that stalls cannot hang `make bench`.
    private let runLimitNanoseconds: UInt64 = 300_000_000_000

    init(options: LoadOptions) throws(LoadError) {
        self.options = options
        poller = try Poller()
    }

    func run() -> Result? {
        guard let before = SystemClock.residentKiB(of: options.serverPID) else {
            printError("mcpload: no process \(options.serverPID) (or no VmRSS in /proc/\(options.serverPID)/status)")
            return nil
        }
        let context = SessionContext(poller: poller, options: options, observer: self)
        let start = SystemClock.now()
        var nextTick = start
        var started = 0
        while finishedOpening < options.idleSSESessions {
            let now = SystemClock.now()
            if now &- start > runLimitNanoseconds {
                failures.record(kind: "timeout", detail: "run limit reached with \(established) sessions open")
                break
            }
            if started >= openingAtOnce, established == 0, finishedOpening == started {
                printError("mcpload: the first \(started) sessions all failed; not opening more")
                break
            }
            while opening < openingAtOnce, started < options.idleSSESessions {
                let session = SSESession(context: context)
                sessions.append(session)
                started += 1
                opening += 1
                session.open(now: now)
            }
            if now >= nextTick {
                nextTick = now &+ 50_000_000
                for session in sessions where !session.isDead && !session.isEstablished { session.tick(now: now) }
            }
            poller.poll(timeoutMilliseconds: 10)
        }
        // Let the server finish whatever the last handshakes started; keep reading keep-alive comments meanwhile.
        let settleEnd = SystemClock.now() &+ settleNanoseconds
        while SystemClock.now() < settleEnd {
            poller.poll(timeoutMilliseconds: 50)
        }
        let after = SystemClock.residentKiB(of: options.serverPID) ?? before
        let result = Result(
            established: established, failures: failures.count, residentBeforeKiB: before,
            residentAfterKiB: after)
        for session in sessions { session.teardown() }
        for line in failures.report(label: "idle_sse") { printError(line) }
        return result
    }

    // MARK: - SessionObserver

    func sessionDidComplete(latency: UInt64, now: UInt64) {}

    func sessionDidFail(kind: String, detail: String) {
        failures.record(kind: kind, detail: detail)
    }

    func sessionDidEstablish() {
        established += 1
        opening -= 1
        finishedOpening += 1
    }

    func sessionDidEnd(wasEstablished: Bool) {
        if wasEstablished {
            // An open idle stream was dropped: it no longer counts, and its slot is not reopened.
            established -= 1
        } else {
            opening -= 1
            finishedOpening += 1
        }
    }
}
