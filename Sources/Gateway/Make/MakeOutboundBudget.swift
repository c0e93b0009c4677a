internal import MakeClient
internal import Stores
internal import Synchronization

/// Each Make organization's request budget, shared by every replica through the store's sliding window, so the
/// fleet together never sends more than the organization's limit in any minute (make-api.md §3.1). The limit is the
/// organization's `license.apiLimit` once the directory has read it, `MAKE_RATE_LIMIT` until then.
final class MakeOutboundBudget: MakeOutboundLimiter {
    private let window: any SlidingWindow
    private let defaultLimit: Int
    private let limits = Mutex<[String: Int]>([:])

    init(window: any SlidingWindow, defaultLimit: Int) {
        self.window = window
        self.defaultLimit = defaultLimit
    }

    /// Sizes `organization`'s budget by its API limit.
    func learn(limit: Int, for organization: Int64) {
        guard limit > 0 else { return }
        limits.withLock { $0[String(organization)] = limit }
    }

    func limit(for organization: String) -> Int {
        limits.withLock { $0[organization] } ?? defaultLimit
    }

    /// Counts a call already made against `organization`, for a call that could not know its organization first.
    func charge(organization: String) async {
        _ = await reserve(organization: organization)
    }

    func reserve(organization: String) async -> Duration? {
        do {
            return try await window.acquire(key: "make-org:\(organization)", limit: limit(for: organization),
                                            window: .seconds(60))
        } catch {
            // The store is down: send rather than refuse. Should that go over Make's limit, its 429 is retried with
            // backoff like any other; readiness reports the outage meanwhile.
            return nil
        }
    }
}
