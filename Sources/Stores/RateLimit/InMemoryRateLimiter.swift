internal import Synchronization

/// Rate limits for a single process.
package final class InMemoryRateLimiter: RateLimiter {
    private let arrivals = Mutex<[String: Int64]>([:])
    private let now: @Sendable () -> Int64

    /// - Parameter now: Microseconds on a monotonic clock; tests pass a controllable one.
    package init(now: @escaping @Sendable () -> Int64 = InMemoryRateLimiter.monotonicMicroseconds) {
        self.now = now
    }

    private static let start = ContinuousClock.now

    /// Microseconds since the process started using rate limits.
    package static let monotonicMicroseconds: @Sendable () -> Int64 = {
        let (seconds, attoseconds) = start.duration(to: .now).components
        return seconds * 1_000_000 + attoseconds / 1_000_000_000_000
    }

    package func check(_ checks: [RateLimitCheck],
                       completion: @escaping @Sendable (Result<RateLimitOutcome, StoreError>) -> Void)
    {
        completion(.success(RateLimitOutcome(decisions: checkImmediately(checks)!)))
    }

    package let needsRoundTrip = false

    package func checkImmediately(_ checks: [RateLimitCheck]) -> [RateLimitDecision]? {
        let now = now()
        return arrivals.withLock { arrivals in
            var decisions: [RateLimitDecision] = []
            for check in checks {
                let (decision, next) = CellRate.decide(storedArrival: arrivals[check.key], now: now, limit: check.limit,
                                                       window: check.window)
                decisions.append(decision)
                guard let next else { break }
                arrivals[check.key] = next
            }
            // Keys whose allowance is whole again carry no information; drop them now and then.
            if arrivals.count > 100_000 { arrivals = arrivals.filter { $0.value > now } }
            return decisions
        }
    }
}
