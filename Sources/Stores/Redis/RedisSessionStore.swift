internal import Synchronization

/// Sessions in Redis, shared by every replica. Chosen when `REDIS_URL` is set.
///
/// Keys, all under one prefix and all with a TTL:
/// - `<prefix>session:<id>`: the record.
/// - `<prefix>holder:<id>`: the pub/sub channel of the replica holding the session's stream.
/// - `<prefix>sessions:generation`: the session generation (``SessionStore``), kept a day after its last change.
/// - `<prefix>log:<session>/<stream>`, with `…:seq`, `…:delivered` and `…:holder` beside it: a stream's bounded
///   event log, its sequence counter, the last sequence written to a live connection, and the channel of a replica
///   following the stream from another (a resumed POST stream); `<prefix>logs:<id>` lists a session's logs so they
///   go with it.
///
/// Delivery: each replica subscribes to its own channel, and to `<prefix>broadcast`, once. Publishing to a session
/// looks up its holder and publishes there in one script, so a message costs one round trip and reaches exactly one
/// replica. Broadcasts reach every replica.
///
/// Redis may restart without persistence and lose every key. The subscription notices (its connection drops), and
/// once it is back the store tells its observer, which hands the records it holds to ``reassert(_:)``; the holder
/// keys of this replica's subscriptions are written back with them.
package final class RedisSessionStore: SessionStore {
    package let kind = "redis"
    package let isShared = true
    package let client: RedisClient
    private let prefix: String
    /// This replica's delivery channel.
    private let channel: String
    private let broadcastChannel: String
    private let generationKey: [UInt8]
    private let subscriber: RedisSubscriber
    private let receivers = ReceiverTable()

    /// - Parameters:
    ///   - prefix: Prepended to every key, so one Redis can serve several deployments.
    ///   - replicaID: Unique per process (a random id is safest), naming this replica's channel.
    package init(client: RedisClient, prefix: String, replicaID: String) {
        self.client = client
        self.prefix = prefix
        let channel = prefix + "replica:" + replicaID
        let broadcastChannel = prefix + "broadcast"
        self.channel = channel
        self.broadcastChannel = broadcastChannel
        generationKey = Self.generationKey(prefix: prefix)
        let receivers = self.receivers
        subscriber = RedisSubscriber(
            url: client.configuration.url, channels: [channel, broadcastChannel],
            connectTimeout: client.configuration.connectTimeout, reconnects: client.reconnects,
            onMessage: { name, payload in
                guard let (session, message) = ReceiverTable.open(payload) else { return }
                if name == broadcastChannel {
                    receivers.observer.broadcasts(session, message)
                } else {
                    receivers.dispatch(message, to: session)
                }
            },
            onSubscribed: { isResubscription in
                if isResubscription { receivers.observer.restarts() }
            })
    }

    /// Starts listening for messages addressed to this replica's sessions.
    package func start() {
        subscriber.start()
    }

    package func stop() async {
        await subscriber.stop()
        await client.close()
    }

    /// Whether messages from other replicas can reach this one now.
    package var isSubscribed: Bool { subscriber.isSubscribed }

    package func observe(
        broadcasts: @escaping @Sendable (String, [UInt8]) -> Void, restarts: @escaping @Sendable () -> Void
    ) {
        receivers.observer = ReceiverTable.Observer(broadcasts: broadcasts, restarts: restarts)
    }

    private func key(_ kind: String, _ id: String) -> [UInt8] {
        Array("\(prefix)\(kind):\(id)".utf8)
    }

    private static func milliseconds(_ duration: Duration) -> [UInt8] {
        let (seconds, attoseconds) = duration.components
        return Array(String(max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)).utf8)
    }

    // MARK: - Records

    /// The session generation's key: an integer, bumped by every record write and session delete (see
    /// ``SessionStore``), and read by ``RedisRateLimiter`` in every check.
    static func generationKey(prefix: String) -> [UInt8] {
        Array("\(prefix)sessions:generation".utf8)
    }

    /// Bumps the generation in `key`. A missing key (a new Redis, one that restarted empty, or the key expired after
    /// a day without writes) starts from Redis's clock in microseconds rather than from 1, so it never comes back to
    /// a value a replica saw before.
    private static func bumpGenerationLua(key: String) -> String {
        """
        if redis.call('INCR', \(key)) == 1 then
            local time = redis.call('TIME')
            redis.call('SET', \(key), time[1] .. string.format('%06d', tonumber(time[2])))
        end
        redis.call('PEXPIRE', \(key), 86400000)
        """
    }

    private static let putScript = RedisScript("""
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        \(bumpGenerationLua(key: "KEYS[2]"))
        return 1
        """)

    package func putSession(_ id: String, record: [UInt8], ttl: Duration) async throws(StoreError) {
        let reply = try await client.evaluate(Self.putScript, keys: [key("session", id), generationKey],
                                              arguments: [record, Self.milliseconds(ttl)])
        if case .error(let message) = reply { throw .unavailable("redis SET failed: \(message)") }
    }

    package func session(_ id: String) async throws(StoreError) -> [UInt8]? {
        let reply = try await client.send(RedisCommand([Array("GET".utf8), key("session", id)]))
        if case .error(let message) = reply { throw .unavailable("redis GET failed: \(message)") }
        return reply.bytes
    }

    private static let touchScript = RedisScript("""
        if redis.call('PEXPIRE', KEYS[1], ARGV[1]) == 0 then return false end
        redis.call('PEXPIRE', KEYS[2], ARGV[1])
        redis.call('PEXPIRE', KEYS[3], ARGV[1])
        for _, log in ipairs(redis.call('SMEMBERS', KEYS[3])) do
            if redis.call('PEXPIRE', log, ARGV[1]) == 1 then
                redis.call('PEXPIRE', log .. ':seq', ARGV[1])
                redis.call('PEXPIRE', log .. ':delivered', ARGV[1])
                redis.call('PEXPIRE', log .. ':holder', ARGV[1])
            else
                -- A log that is gone stays gone: without this the list grew with every stream the session opened.
                redis.call('SREM', KEYS[3], log)
            end
        end
        return redis.call('GET', KEYS[1])
        """)

    package func touchSession(_ id: String, ttl: Duration) async throws(StoreError) -> [UInt8]? {
        let reply = try await client.evaluate(Self.touchScript, keys: [key("session", id), key("holder", id),
                                                                       key("logs", id)],
                                              arguments: [Self.milliseconds(ttl)])
        if case .error(let message) = reply { throw .unavailable("redis touch failed: \(message)") }
        return reply.bytes
    }

    package func sessionGeneration() async throws(StoreError) -> UInt64? {
        let reply = try await client.send(RedisCommand([Array("GET".utf8), generationKey]))
        guard let generation = Self.generation(of: reply) else {
            throw .unavailable("redis GET of the session generation answered \(reply)")
        }
        return generation
    }

    /// The session generation a read of its key answered: 0 while the key does not exist; nil for a reply that is
    /// not one.
    static func generation(of reply: RedisValue) -> UInt64? {
        switch reply {
        case .null: 0
        case .bulkString(let bytes): UInt64(String(decoding: bytes, as: UTF8.self))
        default: nil
        }
    }

    private static let deleteScript = RedisScript("""
        for _, log in ipairs(redis.call('SMEMBERS', KEYS[3])) do
            redis.call('DEL', log, log .. ':seq', log .. ':delivered', log .. ':holder')
        end
        redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
        \(bumpGenerationLua(key: "KEYS[4]"))
        return 1
        """)

    package func deleteSession(_ id: String) async throws(StoreError) {
        receivers.removeAll(for: id)
        let reply = try await client.evaluate(Self.deleteScript, keys: [key("session", id), key("holder", id),
                                                                        key("logs", id), generationKey],
                                              arguments: [])
        if case .error(let message) = reply { throw .unavailable("redis delete failed: \(message)") }
    }

    // MARK: - Delivery

    /// KEYS: the holder key, the session record; ARGV: this replica's channel. The holder key lives as long as the
    /// session record (touches refresh both), and at least a minute.
    private static let holdScript = RedisScript("""
        local ttl = math.max(redis.call('PTTL', KEYS[2]), 60000)
        return redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
        """)

    package func subscribe(
        session id: String, receiver: @escaping @Sendable ([UInt8]) -> Void
    ) async throws(StoreError) -> any SessionSubscription {
        // Registered before the holder key names this replica, so nothing published from then on is missed.
        let receiverID = receivers.add(receiver, for: id)
        do throws(StoreError) {
            let reply = try await client.evaluate(Self.holdScript, keys: [key("holder", id), key("session", id)],
                                                  arguments: [Array(channel.utf8)])
            if case .error(let message) = reply { throw .unavailable("redis holder SET failed: \(message)") }
        } catch {
            _ = receivers.remove(receiverID, for: id)
            throw error
        }
        return Subscription(store: self, route: id, receiverID: receiverID)
    }

    private static let publishScript = RedisScript("""
        local holder = redis.call('GET', KEYS[1])
        if not holder then return 0 end
        return redis.call('PUBLISH', holder, ARGV[1])
        """)

    package func publish(session id: String, message: [UInt8]) async throws(StoreError) -> Bool {
        // A session held here is delivered to directly, without a round trip.
        let local = receivers.receivers(for: id)
        if !local.isEmpty {
            local.forEach { $0(message) }
            return true
        }
        let reply = try await client.evaluate(Self.publishScript, keys: [key("holder", id)],
                                              arguments: [Self.envelope(session: id, message: message)])
        if case .error(let text) = reply { throw .unavailable("redis publish failed: \(text)") }
        return (reply.integer ?? 0) > 0
    }

    /// `<session id length>:<session id><message>`: the receiving replica routes by the id.
    private static func envelope(session id: String, message: [UInt8]) -> [UInt8] {
        Array("\(id.utf8.count):\(id)".utf8) + message
    }

    package func broadcast(session id: String, message: [UInt8]) async throws(StoreError) {
        let reply = try await client.send(RedisCommand([Array("PUBLISH".utf8), Array(broadcastChannel.utf8),
                                                        Self.envelope(session: id, message: message)]))
        if case .error(let text) = reply { throw .unavailable("redis broadcast failed: \(text)") }
    }

    /// Writes back, after a restart, each record unless another replica already did, and the holder keys of this
    /// replica's subscriptions, sessions' and streams'; pipelined in batches, so a replica with many sessions takes
    /// few round trips.
    package func reassert(_ claims: [SessionClaim]) async throws(StoreError) {
        let ttls = Dictionary(claims.map { ($0.id, $0.ttl) }) { first, _ in first }
        var commands = claims.map { claim in
            RedisCommand([Array("SET".utf8), key("session", claim.id), claim.record, Array("PX".utf8),
                          Self.milliseconds(claim.ttl), Array("NX".utf8)])
        }
        for (route, holderTTL) in receivers.routes {
            let ttl = holderTTL ?? max(ttls[route] ?? .zero, .seconds(60))
            commands.append(RedisCommand([Array("SET".utf8), holderKey(for: route), Array(channel.utf8),
                                          Array("PX".utf8), Self.milliseconds(ttl)]))
        }
        var start = 0
        while start < commands.count {
            let batch = Array(commands[start..<min(start + 512, commands.count)])
            for reply in try await client.pipeline(batch) {
                if case .error(let message) = reply { throw .unavailable("redis reassert failed: \(message)") }
            }
            start += batch.count
        }
    }

    /// KEYS: a stream's follower key; ARGV: this replica's channel, the TTL in ms.
    private static let followScript = RedisScript("return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])")

    package func subscribe(
        stream: String, ttl: Duration, receiver: @escaping @Sendable (StoredEvent) -> Void
    ) async throws(StoreError) -> any SessionSubscription {
        let receiverID = receivers.add({ payload in
            guard let colon = payload.firstIndex(of: UInt8(ascii: ":")),
                  let sequence = UInt64(String(decoding: payload[..<colon], as: UTF8.self))
            else { return }
            receiver(StoredEvent(sequence: sequence, data: Array(payload[(colon + 1)...])))
        }, for: stream, holderTTL: ttl)
        do throws(StoreError) {
            let reply = try await client.evaluate(Self.followScript, keys: [holderKey(for: stream)],
                                                  arguments: [Array(channel.utf8), Self.milliseconds(ttl)])
            if case .error(let message) = reply { throw .unavailable("redis follower SET failed: \(message)") }
        } catch {
            _ = receivers.remove(receiverID, for: stream)
            throw error
        }
        return Subscription(store: self, route: stream, receiverID: receiverID)
    }

    /// Where a route's holder is recorded: `holder:<session>` for a session, `log:<stream>:holder` for a stream
    /// (its name has a `/`).
    private func holderKey(for route: String) -> [UInt8] {
        route.contains("/") ? key("log", route) + Array(":holder".utf8) : key("holder", route)
    }

    /// Deletes the holder key only while it still names this replica: a stream that moved to another replica
    /// keeps its new holder when the old one closes late.
    private static let releaseScript = RedisScript("""
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """)

    fileprivate func unsubscribe(route: String, receiverID: UInt64) async {
        if receivers.remove(receiverID, for: route) {
            _ = try? await client.evaluate(Self.releaseScript, keys: [holderKey(for: route)],
                                           arguments: [Array(channel.utf8)])
        }
    }

    /// A session's or a stream's registration (see ``ReceiverTable``).
    private struct Subscription: SessionSubscription {
        let store: RedisSessionStore
        let route: String
        let receiverID: UInt64

        func cancel() async {
            await store.unsubscribe(route: route, receiverID: receiverID)
        }
    }

    // MARK: - Event logs

    /// Appends ARGV[1] to the log KEYS[1] (counter KEYS[2], the session's list of logs KEYS[3], the delivered mark
    /// KEYS[4]), keeping ARGV[2] entries, all expiring after ARGV[3] ms; ARGV[4] is 1 when the event goes to a live
    /// connection. When a replica follows the stream (its channel in KEYS[5]), the event is published there too,
    /// behind the envelope prefix ARGV[5]. Leaves the sequence in `seq`. Shared by the scripts below.
    private static let appendLua = """
        local seq = redis.call('INCR', KEYS[2])
        redis.call('RPUSH', KEYS[1], seq .. ':' .. ARGV[1])
        redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        redis.call('PEXPIRE', KEYS[2], ARGV[3])
        redis.call('SADD', KEYS[3], KEYS[1])
        redis.call('PEXPIRE', KEYS[3], ARGV[3])
        if ARGV[4] == '1' then redis.call('SET', KEYS[4], seq, 'PX', ARGV[3]) end
        local follower = redis.call('GET', KEYS[5])
        if follower then redis.call('PUBLISH', follower, ARGV[5] .. seq .. ':' .. ARGV[1]) end
        """

    private static let appendScript = RedisScript(appendLua + "\nreturn seq")

    /// KEYS and ARGV as for `appendLua`, then the session's holder key and the envelope to publish to it. Published
    /// to the holder when one listens, else appended: one atomic step, so a stream that opens meanwhile either
    /// receives the message or finds it in the log.
    private static let publishOrAppendScript = RedisScript("""
        local holder = redis.call('GET', KEYS[6])
        if holder and redis.call('PUBLISH', holder, ARGV[6]) > 0 then return 0 end
        \(appendLua)
        return seq
        """)

    /// The keys `appendLua` takes for `stream`.
    private func logKeys(_ stream: String) -> [[UInt8]] {
        let log = key("log", stream)
        return [log, log + Array(":seq".utf8), key("logs", String(stream.prefix { $0 != "/" })),
                log + Array(":delivered".utf8), log + Array(":holder".utf8)]
    }

    private static func appendArguments(
        _ data: [UInt8], stream: String, limit: Int, ttl: Duration, isDelivered: Bool
    ) -> [[UInt8]] {
        [data, Array(String(max(1, limit)).utf8), milliseconds(ttl), Array((isDelivered ? "1" : "0").utf8),
         envelope(session: stream, message: [])]
    }

    package func appendEvent(
        stream: String, data: [UInt8], limit: Int, ttl: Duration, isDelivered: Bool
    ) async throws(StoreError) -> UInt64 {
        let reply = try await client.evaluate(
            Self.appendScript, keys: logKeys(stream),
            arguments: Self.appendArguments(data, stream: stream, limit: limit, ttl: ttl, isDelivered: isDelivered))
        guard let sequence = reply.integer, sequence > 0 else {
            throw .unavailable("redis event append failed: \(reply)")
        }
        return UInt64(sequence)
    }

    package func publishOrAppend(
        session id: String, message: [UInt8], stream: String, limit: Int, ttl: Duration
    ) async throws(StoreError) -> Bool {
        let local = receivers.receivers(for: id)
        if !local.isEmpty {
            local.forEach { $0(message) }
            return true
        }
        let reply = try await client.evaluate(
            Self.publishOrAppendScript, keys: logKeys(stream) + [key("holder", id)],
            arguments: Self.appendArguments(message, stream: stream, limit: limit, ttl: ttl, isDelivered: false)
                + [Self.envelope(session: id, message: message)])
        guard let outcome = reply.integer else { throw .unavailable("redis publish or append failed: \(reply)") }
        return outcome == 0
    }

    /// KEYS: the log, its delivered mark. Returns the mark and the whole log, and moves the mark to the log's last
    /// event, atomically, so two streams opening at once never both replay the same events.
    private static let takeUndeliveredScript = RedisScript("""
        local delivered = tonumber(redis.call('GET', KEYS[2]) or '0')
        local entries = redis.call('LRANGE', KEYS[1], 0, -1)
        local last = entries[#entries]
        if last then
            local seq = tonumber(string.match(last, '^(%d+):'))
            local ttl = redis.call('PTTL', KEYS[1])
            if seq and seq > delivered and ttl > 0 then redis.call('SET', KEYS[2], seq, 'PX', ttl) end
        end
        return {delivered, entries}
        """)

    package func takeUndeliveredEvents(
        stream: String
    ) async throws(StoreError) -> (delivered: UInt64, events: [StoredEvent]) {
        let keys = logKeys(stream)
        let reply = try await client.evaluate(Self.takeUndeliveredScript, keys: [keys[0], keys[3]], arguments: [])
        guard let parts = reply.array, parts.count == 2, let delivered = parts[0].integer else {
            throw .unavailable("redis event replay failed: \(reply)")
        }
        let mark = UInt64(max(0, delivered))
        return (mark, Self.events(in: parts[1], after: mark))
    }

    package func events(stream: String, after sequence: UInt64) async throws(StoreError) -> [StoredEvent] {
        let reply = try await client.send(RedisCommand([Array("LRANGE".utf8), key("log", stream), Array("0".utf8),
                                                        Array("-1".utf8)]))
        if case .error(let message) = reply { throw .unavailable("redis LRANGE failed: \(message)") }
        return Self.events(in: reply, after: sequence)
    }

    /// The `<sequence>:<data>` entries of an `LRANGE` reply after `sequence`.
    private static func events(in reply: RedisValue, after sequence: UInt64) -> [StoredEvent] {
        (reply.array ?? []).compactMap { entry -> StoredEvent? in
            guard let bytes = entry.bytes, let colon = bytes.firstIndex(of: UInt8(ascii: ":")),
                  let value = UInt64(String(decoding: bytes[..<colon], as: UTF8.self)), value > sequence
            else { return nil }
            return StoredEvent(sequence: value, data: Array(bytes[(colon + 1)...]))
        }
    }

    /// Redis expires keys itself.
    package func sweepExpired() async {}
}

/// The sessions and streams held on this replica and who receives their messages; and who hears of broadcasts and
/// restarts. A route is a session id, or a stream's `<session>/<stream>` name.
private final class ReceiverTable: Sendable {
    private struct Routes {
        var next: UInt64 = 0
        var receivers: [String: [UInt64: @Sendable ([UInt8]) -> Void]] = [:]
        /// How long a stream route's holder key lives; sessions' follow their records.
        var holderTTLs: [String: Duration] = [:]
    }

    private let table = Mutex(Routes())
    private let handlers = Mutex(Observer())

    struct Observer {
        var broadcasts: @Sendable (String, [UInt8]) -> Void = { _, _ in }
        var restarts: @Sendable () -> Void = {}
    }

    var observer: Observer {
        get { handlers.withLock { $0 } }
        set { handlers.withLock { $0 = newValue } }
    }

    func add(
        _ receiver: @escaping @Sendable ([UInt8]) -> Void, for route: String, holderTTL: Duration? = nil
    ) -> UInt64 {
        table.withLock { table in
            table.next += 1
            table.receivers[route, default: [:]][table.next] = receiver
            if let holderTTL { table.holderTTLs[route] = holderTTL }
            return table.next
        }
    }

    /// Removes one receiver; true when it was the route's last.
    func remove(_ receiverID: UInt64, for route: String) -> Bool {
        table.withLock { table in
            table.receivers[route]?[receiverID] = nil
            guard table.receivers[route]?.isEmpty == true else { return false }
            table.receivers[route] = nil
            table.holderTTLs[route] = nil
            return true
        }
    }

    func removeAll(for session: String) {
        table.withLock { table in
            for route in Array(table.receivers.keys) where route == session || route.hasPrefix(session + "/") {
                table.receivers[route] = nil
                table.holderTTLs[route] = nil
            }
        }
    }

    func receivers(for session: String) -> [@Sendable ([UInt8]) -> Void] {
        table.withLock { $0.receivers[session].map { Array($0.values) } ?? [] }
    }

    /// The routes with at least one receiver here, with their holder keys' TTL when they set one.
    var routes: [(String, Duration?)] {
        table.withLock { table in table.receivers.keys.map { ($0, table.holderTTLs[$0]) } }
    }

    func dispatch(_ message: [UInt8], to route: String) {
        receivers(for: route).forEach { $0(message) }
    }

    /// Splits a `<length>:<session id><message>` envelope into the session and the message.
    static func open(_ payload: [UInt8]) -> (String, [UInt8])? {
        guard let colon = payload.firstIndex(of: UInt8(ascii: ":")), colon <= 10,
              let length = Int(String(decoding: payload[..<colon], as: UTF8.self)),
              payload.count >= colon + 1 + length
        else { return nil }
        let session = String(decoding: payload[(colon + 1)..<(colon + 1 + length)], as: UTF8.self)
        return (session, Array(payload[(colon + 1 + length)...]))
    }
}
