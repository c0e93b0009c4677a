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

    package func check(key: String, limit: Int, window: Duration) async throws(StoreError) -> RateLimitDecision {
        checkImmediately(key: key, limit: limit, window: window)!
    }

    package func checkImmediately(key: String, limit: Int, window: Duration) -> RateLimitDecision? {
        let now = now()
        return arrivals.withLock { arrivals in
            let (decision, next) = CellRate.decide(storedArrival: arrivals[key], now: now, limit: limit, window: window)
            if let next { arrivals[key] = next }
            // Keys whose allowance is whole again carry no information; drop them now and then.
            if arrivals.count > 100_000 { arrivals = arrivals.filter { $0.value > now } }
            return decision
        }
    }
}
