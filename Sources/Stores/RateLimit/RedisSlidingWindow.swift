internal import Synchronization

/// A sliding window shared by every replica: a sorted set of slot times per key, trimmed and counted in one atomic
/// script (one round trip) on Redis's clock.
package final class RedisSlidingWindow: SlidingWindow {
    private let client: RedisClient
    private let prefix: String
    private let instanceID: String
    private let counter = Atomic<UInt64>(0)

    /// - Parameter instanceID: Unique per process (the replica's channel name will do), so the slots two replicas
    ///   take in the same microsecond stay distinct members of the set.
    package init(client: RedisClient, prefix: String, instanceID: String) {
        self.client = client
        self.prefix = prefix
        self.instanceID = instanceID
    }

    /// ARGV: the limit, the window in microseconds and a member unique to this call (two replicas may take a slot
    /// in the same microsecond). Returns 0 when the slot was taken, else the microseconds to wait.
    private static let script = RedisScript("""
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
        local limit = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        if redis.call('ZCARD', KEYS[1]) < limit then
            redis.call('ZADD', KEYS[1], now, ARGV[3])
            redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000) + 1)
            return 0
        end
        local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        return math.max(1, tonumber(oldest[2]) + window - now)
        """)

    package func acquire(key: String, limit: Int, window: Duration) async throws(StoreError) -> Duration? {
        let member = "\(instanceID):\(counter.add(1, ordering: .relaxed).newValue)"
        let reply = try await client.evaluate(
            Self.script, keys: [Array("\(prefix)sw:\(key)".utf8)],
            arguments: [Array(String(max(1, limit)).utf8), Array(String(window.microseconds).utf8), Array(member.utf8)])
        guard let wait = reply.integer else { throw .unavailable("redis sliding-window script answered \(reply)") }
        return wait == 0 ? nil : .microseconds(wait)
    }
}
