/// Counts requests per key in a sliding window: at most `limit` in any stretch of `window`, which a burst-tolerant
/// cell rate (``RateLimiter``) does not promise. For staying under someone else's limit, where going over costs a
/// refused call, such as Make's per-organization API limit (make-api.md §3.1).
package protocol SlidingWindow: Sendable {
    /// Takes one slot for `key` if fewer than `limit` were taken in the last `window`: nil when taken, else how long
    /// until the oldest slot leaves the window.
    func acquire(key: String, limit: Int, window: Duration) async throws(StoreError) -> Duration?
}
