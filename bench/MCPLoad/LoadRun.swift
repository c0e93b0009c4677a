/// The closed-loop benchmark: `sessions` sessions, each with one request outstanding, for `warmup` seconds
/// unmeasured and then `duration` seconds measured. Latencies of successful requests answered inside the window
/// are kept in nanoseconds and sorted at the end; the client's own CPU time is taken at both window edges.
///
/// Failures are counted over the whole run, handshakes and warm-up included, so a server that fails only while
/// sessions open still shows it.
///
/// With `--requests N` the measured window ends as soon as N requests have been answered or have failed in it
/// (answers and failures after that are not counted as requests); `--duration` then only bounds the run.
final class LoadRun: SessionObserver {
    struct Result {
        var requestsPerSecond: Double
        var p50Milliseconds: Double
        var p99Milliseconds: Double
        var failures: Int
        var clientCPUPercent: Double
        /// Requests answered or failed inside the measured window.
        var requests: Int
    }

    private let options: LoadOptions
    private let poller: Poller
    private var sessions: [MCPSession] = []
    private var latencies: [UInt64] = []
    private var failures = FailureLog()
    private var windowStart: UInt64 = 0
    private var windowEnd: UInt64 = .max
    private var isMeasuring = false
    /// Failures reported inside the measured window, for `--requests`.
    private var measuredFailures = 0

    /// `--requests N` is met: the measured window is over.
    private var isRequestLimitReached: Bool {
        options.requestLimit > 0 && latencies.count + measuredFailures >= options.requestLimit
    }

    init(options: LoadOptions) throws(LoadError) {
        self.options = options
        poller = try Poller()
        latencies.reserveCapacity(1 << 20)
    }

    func run() -> Result {
        let context = SessionContext(poller: poller, options: options, observer: self)
        let start = SystemClock.now()
        let warmupEnd = start &+ UInt64(options.warmup * 1e9)
        let runEnd = warmupEnd &+ UInt64(options.duration * 1e9)
        for _ in 0..<options.sessions {
            let session: MCPSession =
                options.transport == .sse
                ? SSESession(context: context)
                : StreamableSession(context: context)
            sessions.append(session)
            session.open(now: start)
        }
        var cpuAtStart: UInt64 = 0
        var nextTick = start
        while true {
            let now = SystemClock.now()
            if !isMeasuring, now >= warmupEnd {
                isMeasuring = true
                windowStart = now
                windowEnd = runEnd
                cpuAtStart = SystemClock.processCPUTime()
            }
            if now >= runEnd { break }
            if now >= nextTick {
                nextTick = now &+ 10_000_000
                for session in sessions { session.tick(now: now) }
            }
            poller.poll(timeoutMilliseconds: 5)
            if isRequestLimitReached { break }
        }
        let end = SystemClock.now()
        let cpu = SystemClock.processCPUTime() &- cpuAtStart
        for session in sessions { session.teardown() }
        for line in failures.report(label: options.label) { printError(line) }

        let seconds = Double(end &- windowStart) / 1e9
        latencies.sort()
        return Result(
            requestsPerSecond: seconds > 0 ? Double(latencies.count) / seconds : 0,
            p50Milliseconds: Self.percentile(latencies, 0.50),
            p99Milliseconds: Self.percentile(latencies, 0.99),
            failures: failures.count,
            clientCPUPercent: seconds > 0 ? Double(cpu) / 1e9 / seconds * 100 : 0,
            requests: latencies.count + measuredFailures
        )
    }

    /// Nearest rank over sorted nanoseconds, in milliseconds; 0 when nothing was measured.
    private static func percentile(_ sorted: [UInt64], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return Double(sorted[min(max(rank, 1), sorted.count) - 1]) / 1e6
    }

    // MARK: - SessionObserver

    func sessionDidComplete(latency: UInt64, now: UInt64) {
        guard isMeasuring, now >= windowStart, now < windowEnd, !isRequestLimitReached else { return }
        latencies.append(latency)
    }

    func sessionDidFail(kind: String, detail: String) {
        failures.record(kind: kind, detail: detail)
        if isMeasuring, !isRequestLimitReached { measuredFailures += 1 }
    }

    func sessionDidEstablish() {}

    func sessionDidEnd(wasEstablished: Bool) {}
}
