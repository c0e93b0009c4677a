/// A zone's circuit: closed while calls succeed; open after `threshold` consecutive failures, refusing calls for
/// `openDuration`; then half-open, letting one probe through, whose outcome closes or reopens it.
package struct CircuitBreaker: Sendable {
    package enum State: String, Sendable {
        case closed
        case open
        case halfOpen = "half_open"
    }

    package private(set) var state = State.closed
    private let threshold: Int
    private let openDuration: Duration
    private var consecutiveFailures = 0
    private var openedAt = ContinuousClock.now
    private var isProbeOut = false

    init(threshold: Int, openDuration: Duration) {
        self.threshold = max(1, threshold)
        self.openDuration = openDuration
    }

    /// Whether a call may go now: nil if so, else how long until it may.
    mutating func admit(now: ContinuousClock.Instant) -> Duration? {
        switch state {
        case .closed:
            return nil
        case .open:
            let reopensAt = openedAt + openDuration
            guard now >= reopensAt else { return now.duration(to: reopensAt) }
            state = .halfOpen
            isProbeOut = true
            return nil
        case .halfOpen:
            // One probe at a time; the others wait for its outcome.
            guard !isProbeOut else { return .seconds(1) }
            isProbeOut = true
            return nil
        }
    }

    mutating func record(failed: Bool, now: ContinuousClock.Instant) {
        isProbeOut = false
        guard failed else {
            state = .closed
            consecutiveFailures = 0
            return
        }
        consecutiveFailures += 1
        if state == .halfOpen || consecutiveFailures >= threshold {
            state = .open
            openedAt = now
        }
    }
}
