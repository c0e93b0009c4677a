/// The outcome of one rate-limit check.
package struct RateLimitDecision: Sendable, Equatable {
    package var isAllowed: Bool
    /// Requests allowed per window.
    package var limit: Int
    /// Requests left in the current window after this one.
    package var remaining: Int
    /// When the allowance is whole again.
    package var resetAfter: Duration
    /// When a refused request may be retried; zero when allowed.
    package var retryAfter: Duration

    package init(isAllowed: Bool, limit: Int, remaining: Int, resetAfter: Duration, retryAfter: Duration) {
        self.isAllowed = isAllowed
        self.limit = limit
        self.remaining = remaining
        self.resetAfter = resetAfter
        self.retryAfter = retryAfter
    }
}

/// What one step of checks decided, with what else the store read in the same step.
package struct RateLimitOutcome: Sendable, Equatable {
    /// The decisions made, in the order of the checks; a refusal is last.
    package var decisions: [RateLimitDecision]
    /// The shared store's session generation as it was when the checks ran (see ``SessionStore``); nil for a
    /// limiter that shares nothing.
    package var sessionGeneration: UInt64?

    package init(decisions: [RateLimitDecision], sessionGeneration: UInt64? = nil) {
        self.decisions = decisions
        self.sessionGeneration = sessionGeneration
    }
}

/// One key's limit, as a request is checked against it.
package struct RateLimitCheck: Sendable, Hashable {
    package var key: String
    package var limit: Int
    package var window: Duration

    package init(key: String, limit: Int, window: Duration) {
        self.key = key
        self.limit = limit
        self.window = window
    }
}

/// Counts requests per key against a limit per window, by the generic cell rate algorithm (GCRA): a burst of up to
/// `limit` requests, then one every `window / limit`. One timestamp per key, so memory does not grow with traffic.
package protocol RateLimiter: Sendable {
    /// Counts one request against each of `checks`, in order and as one atomic step: the first refusal ends it, and
    /// the checks after it are not counted. Returns the decisions made, a refusal last. A request counted against
    /// its identity and its tool's class at once costs one Redis round trip, not two.
    ///
    /// `completion` gets the outcome or the store's failure; a check made on an event loop of the store's client
    /// completes on that loop, with no task in between (the request path's form).
    func check(_ checks: [RateLimitCheck],
               completion: @escaping @Sendable (Result<RateLimitOutcome, StoreError>) -> Void)

    /// The same checks without suspending, for limiters that need no I/O; nil when this one does.
    func checkImmediately(_ checks: [RateLimitCheck]) -> [RateLimitDecision]?

    /// Whether checks need a round trip to a store, so ``checkImmediately(_:)`` always answers nil: callers skip
    /// building checks for it.
    var needsRoundTrip: Bool { get }
}

extension RateLimiter {
    /// ``check(_:completion:)``, awaited.
    package func check(_ checks: [RateLimitCheck]) async throws(StoreError) -> [RateLimitDecision] {
        try await withUnsafeContinuation { continuation in
            check(checks) { continuation.resume(returning: $0.map(\.decisions)) }
        }.get()
    }

    /// Counts one request for `key` if it is within the limit, and says whether it was.
    package func check(key: String, limit: Int, window: Duration) async throws(StoreError) -> RateLimitDecision {
        try await check([RateLimitCheck(key: key, limit: limit, window: window)])[0]
    }

    package func checkImmediately(key: String, limit: Int, window: Duration) -> RateLimitDecision? {
        checkImmediately([RateLimitCheck(key: key, limit: limit, window: window)])?[0]
    }
}

/// GCRA on a "theoretical arrival time", shared by both implementations so they decide identically.
enum CellRate {
    /// - Parameters:
    ///   - storedArrival: The key's theoretical arrival time in microseconds, or nil for a new key.
    ///   - now: The current time in microseconds.
    /// - Returns: The decision, and the arrival time to store when the request is allowed.
    static func decide(storedArrival: Int64?, now: Int64, limit: Int, window: Duration) -> (RateLimitDecision, Int64?) {
        let windowMicroseconds = max(1, window.components.seconds * 1_000_000 + window.components.attoseconds / 1_000_000_000_000)
        let interval = max(1, windowMicroseconds / Int64(max(1, limit)))
        let arrival = max(storedArrival ?? now, now)
        let next = arrival + interval
        let allowAt = next - windowMicroseconds
        if now < allowAt {
            let remaining = 0
            return (RateLimitDecision(isAllowed: false, limit: limit, remaining: remaining,
                                      resetAfter: .microseconds(arrival - now), retryAfter: .microseconds(allowAt - now)),
                    nil)
        }
        let remaining = Int((windowMicroseconds - (next - now)) / interval)
        return (RateLimitDecision(isAllowed: true, limit: limit, remaining: max(0, remaining),
                                  resetAfter: .microseconds(next - now), retryAfter: .zero),
                next)
    }
}
