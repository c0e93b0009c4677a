import Synchronization

/// Make's per-organization request limit (make-api.md §3.1): so many requests per minute, the window resetting one
/// minute after it opened. Refused requests do not count against the window.
final class RateLimiter: Sendable {
    private struct Window {
        var limitPerMinute: Int
        var opened: ContinuousClock.Instant?
        var used = 0
        var refused = 0
    }

    private let window: Mutex<Window>

    init(limitPerMinute: Int) {
        window = Mutex(Window(limitPerMinute: limitPerMinute))
    }

    /// nil when the request may go ahead, otherwise the seconds until the window resets (rounded up).
    func admit(now: ContinuousClock.Instant = .now) -> Int? {
        window.withLock { window in
            guard window.limitPerMinute > 0 else { return nil }
            if let opened = window.opened, now - opened < .seconds(60) {
                // Still inside the current window.
            } else {
                window.opened = now
                window.used = 0
            }
            if window.used < window.limitPerMinute {
                window.used += 1
                return nil
            }
            window.refused += 1
            let remaining = .seconds(60) - (now - window.opened!)
            return max(1, Int((remaining / .seconds(1)).rounded(.up)))
        }
    }

    /// Changes the limit at run time (0 turns it off) and starts a fresh window.
    func setLimit(perMinute: Int) {
        window.withLock { $0 = Window(limitPerMinute: perMinute, refused: $0.refused) }
    }

    func resetCounters() {
        window.withLock { window in
            window.refused = 0
            window.opened = nil
            window.used = 0
        }
    }

    var limitPerMinute: Int { window.withLock { $0.limitPerMinute } }

    var json: JSON {
        window.withLock { window in
            [
                "limitPerMinute": .int(window.limitPerMinute), "usedInWindow": .int(window.used),
                "refused": .int(window.refused),
            ]
        }
    }
}
