/// The response cache in Redis, shared by every replica. Entries expire by themselves; each tag is a sorted set of
/// the keys carrying it, scored by when they expire.
///
/// A tag set must not grow with every write to a frequently written resource: each store drops the members that
/// have expired, keeps at most ``maxKeysPerTag`` (evicting the entries soonest to expire along with their place,
/// so invalidation never misses a live entry), and lets the set expire with its longest-lived entry.
package final class RedisResponseCache: ResponseCache {
    package let statistics = CacheStatistics()
    private let client: RedisClient
    private let prefix: String
    private let maxKeysPerTag: Int

    package init(client: RedisClient, prefix: String, maxKeysPerTag: Int = 1000) {
        self.client = client
        self.prefix = prefix
        self.maxKeysPerTag = max(1, maxKeysPerTag)
    }

    private func entryKey(_ key: CacheKey) -> [UInt8] { Array("\(prefix)cache:\(key.storageKey)".utf8) }
    private func tagKey(_ tag: String) -> [UInt8] { Array("\(prefix)cachetags:\(tag)".utf8) }

    package func value(for key: CacheKey) async throws(StoreError) -> [UInt8]? {
        let reply = try await client.send(RedisCommand([Array("GET".utf8), entryKey(key)]))
        if case .error(let message) = reply { throw .unavailable("redis GET failed: \(message)") }
        let value = reply.bytes
        statistics.record(hit: value != nil)
        return value
    }

    /// KEYS: the entry, then its tags; ARGV: the value, its TTL in milliseconds, the most keys a tag keeps. Times
    /// are Redis's own, in milliseconds, so replicas' clocks do not matter.
    private static let storeScript = RedisScript("""
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local expiry = now + tonumber(ARGV[2])
        local limit = tonumber(ARGV[3])
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        for i = 2, #KEYS do
            redis.call('ZADD', KEYS[i], expiry, KEYS[1])
            redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
            local excess = redis.call('ZCARD', KEYS[i]) - limit
            if excess > 0 then
                for _, key in ipairs(redis.call('ZRANGE', KEYS[i], 0, excess - 1)) do redis.call('DEL', key) end
                redis.call('ZREMRANGEBYRANK', KEYS[i], 0, excess - 1)
            end
            local latest = redis.call('ZRANGE', KEYS[i], -1, -1, 'WITHSCORES')
            redis.call('PEXPIREAT', KEYS[i], string.format('%.0f', tonumber(latest[2])))
        end
        return 1
        """)

    package func store(_ value: [UInt8], for key: CacheKey, ttl: Duration, tags: [String]) async throws(StoreError) {
        let (seconds, attoseconds) = ttl.components
        let milliseconds = max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        let reply = try await client.evaluate(Self.storeScript, keys: [entryKey(key)] + tags.map(tagKey),
                                              arguments: [value, Array(String(milliseconds).utf8),
                                                          Array(String(maxKeysPerTag).utf8)])
        if case .error(let message) = reply { throw .unavailable("redis cache store failed: \(message)") }
    }

    private static let invalidateScript = RedisScript("""
        local keys = redis.call('ZRANGE', KEYS[1], 0, -1)
        for _, key in ipairs(keys) do redis.call('DEL', key) end
        redis.call('DEL', KEYS[1])
        return #keys
        """)

    package func invalidate(tag: String) async throws(StoreError) {
        let reply = try await client.evaluate(Self.invalidateScript, keys: [tagKey(tag)], arguments: [])
        if case .error(let message) = reply { throw .unavailable("redis cache invalidation failed: \(message)") }
    }
}
