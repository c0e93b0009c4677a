/// The response cache in Redis, shared by every replica. Entries expire by themselves; each tag is a set of the
/// keys carrying it, expiring no sooner than they do.
package final class RedisResponseCache: ResponseCache {
    package let statistics = CacheStatistics()
    private let client: RedisClient
    private let prefix: String

    package init(client: RedisClient, prefix: String) {
        self.client = client
        self.prefix = prefix
    }

    private func entryKey(_ key: CacheKey) -> [UInt8] { Array("\(prefix)cache:\(key.storageKey)".utf8) }
    private func tagKey(_ tag: String) -> [UInt8] { Array("\(prefix)cachetag:\(tag)".utf8) }

    package func value(for key: CacheKey) async throws(StoreError) -> [UInt8]? {
        let reply = try await client.send(RedisCommand([Array("GET".utf8), entryKey(key)]))
        if case .error(let message) = reply { throw .unavailable("redis GET failed: \(message)") }
        let value = reply.bytes
        statistics.record(hit: value != nil)
        return value
    }

    /// ARGV: the value, its TTL in milliseconds; KEYS: the entry, then its tags. A tag set lives as long as its
    /// longest-lived entry.
    private static let storeScript = RedisScript("""
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        for i = 2, #KEYS do
            redis.call('SADD', KEYS[i], KEYS[1])
            if redis.call('PTTL', KEYS[i]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
        end
        return 1
        """)

    package func store(_ value: [UInt8], for key: CacheKey, ttl: Duration, tags: [String]) async throws(StoreError) {
        let (seconds, attoseconds) = ttl.components
        let milliseconds = max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        let reply = try await client.evaluate(Self.storeScript, keys: [entryKey(key)] + tags.map(tagKey),
                                              arguments: [value, Array(String(milliseconds).utf8)])
        if case .error(let message) = reply { throw .unavailable("redis cache store failed: \(message)") }
    }

    private static let invalidateScript = RedisScript("""
        local keys = redis.call('SMEMBERS', KEYS[1])
        for _, key in ipairs(keys) do redis.call('DEL', key) end
        redis.call('DEL', KEYS[1])
        return #keys
        """)

    package func invalidate(tag: String) async throws(StoreError) {
        let reply = try await client.evaluate(Self.invalidateScript, keys: [tagKey(tag)], arguments: [])
        if case .error(let message) = reply { throw .unavailable("redis cache invalidation failed: \(message)") }
    }
}
