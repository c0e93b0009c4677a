internal import Synchronization

/// A sliding window for a single process: each key keeps the times of its slots in the window.
package final class InMemorySlidingWindow: SlidingWindow {
    private let slots = Mutex<[String: [Int64]]>([:])
    private let now: @Sendable () -> Int64

    /// - Parameter now: Microseconds on a monotonic clock; tests pass a controllable one.
    package init(now: @escaping @Sendable () -> Int64 = InMemoryRateLimiter.monotonicMicroseconds) {
        self.now = now
    }

    package func acquire(key: String, limit: Int, window: Duration) async throws(StoreError) -> Duration? {
        let now = now()
        let length = window.microseconds
        return slots.withLock { slots in
            var times = slots[key, default: []]
            times.removeAll { $0 <= now - length }
            defer { slots[key] = times.isEmpty ? nil : times }
            guard times.count >= max(1, limit) else {
                times.append(now)
                return nil
            }
            return .microseconds(times[0] + length - now)
        }
    }
}

extension Duration {
    /// The duration in whole microseconds, at least 1.
    var microseconds: Int64 {
        let (seconds, attoseconds) = components
        return max(1, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
    }
}
