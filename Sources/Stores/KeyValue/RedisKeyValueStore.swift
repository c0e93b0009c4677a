/// Key-value records in Redis, under `<prefix>kv:`, every one with a TTL.
package final class RedisKeyValueStore: KeyValueStore {
    private let client: RedisClient
    private let prefix: String

    package init(client: RedisClient, prefix: String) {
        self.client = client
        self.prefix = prefix
    }

    private func storageKey(_ key: String) -> [UInt8] { Array("\(prefix)kv:\(key)".utf8) }

    private static func milliseconds(_ ttl: Duration) -> [UInt8] {
        let (seconds, attoseconds) = ttl.components
        return Array(String(max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)).utf8)
    }

    private func run(_ arguments: [[UInt8]]) async throws(StoreError) -> RedisValue {
        let reply = try await client.send(RedisCommand(arguments))
        if case .error(let message) = reply {
            throw .unavailable("redis \(String(decoding: arguments[0], as: UTF8.self)) failed: \(message)")
        }
        return reply
    }

    package func value(for key: String) async throws(StoreError) -> [UInt8]? {
        try await run([Array("GET".utf8), storageKey(key)]).bytes
    }

    package func set(_ value: [UInt8], for key: String, ttl: Duration) async throws(StoreError) {
        _ = try await run([Array("SET".utf8), storageKey(key), value, Array("PX".utf8), Self.milliseconds(ttl)])
    }

    package func setIfAbsent(_ value: [UInt8], for key: String, ttl: Duration) async throws(StoreError) -> Bool {
        let reply = try await run([Array("SET".utf8), storageKey(key), value, Array("PX".utf8), Self.milliseconds(ttl),
                                   Array("NX".utf8)])
        return !reply.isNull
    }

    /// GETDEL (Redis 6.2): one atomic round trip.
    package func take(_ key: String) async throws(StoreError) -> [UInt8]? {
        try await run([Array("GETDEL".utf8), storageKey(key)]).bytes
    }

    package func delete(_ key: String) async throws(StoreError) {
        _ = try await run([Array("DEL".utf8), storageKey(key)])
    }
}
