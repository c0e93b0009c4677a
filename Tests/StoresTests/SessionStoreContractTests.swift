import Stores
import Synchronization
import TestSupport
import Testing

/// A clock tests move by hand, so in-memory expiry is tested without waiting.
final class ManualClock: Sendable {
    private let current = Mutex(ContinuousClock.now)

    var now: ContinuousClock.Instant { current.withLock { $0 } }

    func advance(by duration: Duration) {
        current.withLock { $0 += duration }
    }
}

enum StoreKind: String, CaseIterable, Sendable {
    case memory
    case redis
}

/// Runs `body` with two stores that share state, as two replicas do: for memory the same store twice, for Redis two
/// `RedisSessionStore`s (each with its own delivery channel) on one real redis-server and a unique key prefix.
func withStores(
    _ kind: StoreKind, _ body: (any SessionStore, any SessionStore) async throws -> Void
) async throws {
    switch kind {
    case .memory:
        let store = InMemorySessionStore()
        try await body(store, store)
    case .redis:
        let server = try await RedisServer.start()
        defer { server.stop() }
        let url = try #require(RedisURL(server.url))
        let prefix = "test\(UInt32.random(in: 0...UInt32.max)):"
        let first = RedisSessionStore(client: RedisClient(configuration: .init(url: url)), prefix: prefix,
                                      replicaID: "one")
        let second = RedisSessionStore(client: RedisClient(configuration: .init(url: url)), prefix: prefix,
                                       replicaID: "two")
        first.start()
        second.start()
        #expect(try await eventually { first.isSubscribed && second.isSubscribed })
        try await body(first, second)
        await first.stop()
        await second.stop()
    }
}

/// The behaviour every ``SessionStore`` must have, whatever it is backed by.
@Suite("Session store contract", .timeLimit(.minutes(1)))
struct SessionStoreContractTests {
    @Test("a session is stored, read back by any replica, replaced and deleted", arguments: StoreKind.allCases)
    func lifecycle(kind: StoreKind) async throws {
        try await withStores(kind) { store, other in
            #expect(try await store.session("a") == nil)
            try await store.putSession("a", record: [1, 2], ttl: .seconds(60))
            #expect(try await other.session("a") == [1, 2])
            try await other.putSession("a", record: [3], ttl: .seconds(60))
            #expect(try await store.session("a") == [3])
            // A touch reads the record in the same step.
            #expect(try await store.touchSession("a", ttl: .seconds(60)) == [3])
            try await store.deleteSession("a")
            #expect(try await other.session("a") == nil)
            #expect(try await other.touchSession("a", ttl: .seconds(60)) == nil)
        }
    }

    @Test("a message published on any replica reaches the one holding the session, until it cancels",
          arguments: StoreKind.allCases)
    func delivery(kind: StoreKind) async throws {
        try await withStores(kind) { holder, other in
            try await holder.putSession("s", record: [], ttl: .seconds(60))
            let received = TestSignal<[UInt8]>()
            #expect(try await other.publish(session: "s", message: [0]) == false)
            let subscription = try await holder.subscribe(session: "s") { received.fire($0) }
            #expect(try await other.publish(session: "s", message: [1, 2]) == true)
            #expect(await received.wait() == [1, 2])
            #expect(try await holder.publish(session: "s", message: [3]) == true)
            #expect(await received.wait() == [3])
            #expect(try await other.publish(session: "elsewhere", message: [9]) == false)
            await subscription.cancel()
            #expect(try await other.publish(session: "s", message: [4]) == false)
        }
    }

    @Test("when a stream moves to another replica, the old holder closing late does not stop delivery to the new",
          arguments: StoreKind.allCases)
    func lateCancelKeepsNewHolder(kind: StoreKind) async throws {
        try await withStores(kind) { old, new in
            try await old.putSession("s", record: [], ttl: .seconds(60))
            let stale = try await old.subscribe(session: "s") { _ in }
            let received = TestSignal<[UInt8]>()
            let current = try await new.subscribe(session: "s") { received.fire($0) }
            await stale.cancel()
            #expect(try await old.publish(session: "s", message: [7]) == true)
            #expect(await received.wait() == [7])
            await current.cancel()
        }
    }

    @Test("an event log numbers events, replays after a position, and keeps only the newest",
          arguments: StoreKind.allCases)
    func eventLog(kind: StoreKind) async throws {
        try await withStores(kind) { store, other in
            for value in 1...5 {
                let sequence = try await store.appendEvent(stream: "s/g", data: [UInt8(value), 58, 0],
                                                           limit: 3, ttl: .seconds(60), isDelivered: false)
                #expect(sequence == UInt64(value))
            }
            #expect(try await other.events(stream: "s/g", after: 0).map(\.sequence) == [3, 4, 5])
            #expect(try await other.events(stream: "s/g", after: 4).map(\.data) == [[5, 58, 0]])
            #expect(try await other.events(stream: "s/other", after: 0).isEmpty)
        }
    }

    @Test("a stream opened without Last-Event-ID gets what no connection was given, once, on any replica",
          arguments: StoreKind.allCases)
    func undeliveredEvents(kind: StoreKind) async throws {
        try await withStores(kind) { store, other in
            for (value, isDelivered) in [(1, true), (2, false), (3, false)] {
                _ = try await store.appendEvent(stream: "s/g", data: [UInt8(value)], limit: 10, ttl: .seconds(60),
                                                isDelivered: isDelivered)
            }
            let first = try await other.takeUndeliveredEvents(stream: "s/g")
            #expect(first.delivered == 1)
            #expect(first.events.map(\.data) == [[2], [3]])
            let second = try await store.takeUndeliveredEvents(stream: "s/g")
            #expect(second.delivered == 3)
            #expect(second.events.isEmpty)
            _ = try await store.appendEvent(stream: "s/g", data: [4], limit: 10, ttl: .seconds(60), isDelivered: false)
            #expect(try await other.takeUndeliveredEvents(stream: "s/g").events.map(\.sequence) == [4])
            #expect(try await other.takeUndeliveredEvents(stream: "s/none").events.isEmpty)
        }
    }

    @Test("a message for a session's stream is published to its holder, or logged when none holds it",
          arguments: StoreKind.allCases)
    func publishOrAppend(kind: StoreKind) async throws {
        try await withStores(kind) { holder, other in
            try await holder.putSession("s", record: [], ttl: .seconds(60))
            #expect(try await other.publishOrAppend(session: "s", message: [1], stream: "s/g", limit: 10,
                                                    ttl: .seconds(60)) == false)
            #expect(try await holder.events(stream: "s/g", after: 0).map(\.data) == [[1]])
            let received = TestSignal<[UInt8]>()
            let subscription = try await holder.subscribe(session: "s") { received.fire($0) }
            #expect(try await other.publishOrAppend(session: "s", message: [2], stream: "s/g", limit: 10,
                                                    ttl: .seconds(60)) == true)
            #expect(await received.wait() == [2])
            #expect(try await holder.events(stream: "s/g", after: 0).map(\.data) == [[1]])
            await subscription.cancel()
        }
    }

    @Test("a replica following a stream receives what any replica appends to its log, until it cancels",
          arguments: StoreKind.allCases)
    func streamFollower(kind: StoreKind) async throws {
        try await withStores(kind) { follower, runner in
            _ = try await runner.appendEvent(stream: "s/p", data: [1], limit: 10, ttl: .seconds(60), isDelivered: true)
            let received = TestSignal<StoredEvent>()
            let subscription = try await follower.subscribe(stream: "s/p", ttl: .seconds(60)) { received.fire($0) }
            _ = try await runner.appendEvent(stream: "s/p", data: [2], limit: 10, ttl: .seconds(60), isDelivered: false)
            #expect(await received.wait() == StoredEvent(sequence: 2, data: [2]))
            await subscription.cancel()
            _ = try await runner.appendEvent(stream: "s/p", data: [3], limit: 10, ttl: .seconds(60), isDelivered: false)
            #expect(try await runner.events(stream: "s/p", after: 0).map(\.sequence) == [1, 2, 3])
        }
    }

    @Test("deleting a session drops its logs", arguments: StoreKind.allCases)
    func logsGoWithTheSession(kind: StoreKind) async throws {
        try await withStores(kind) { store, _ in
            try await store.putSession("s", record: [], ttl: .seconds(60))
            _ = try await store.appendEvent(stream: "s/g", data: [1], limit: 10, ttl: .seconds(60), isDelivered: false)
            _ = try await store.appendEvent(stream: "s/p1", data: [2], limit: 10, ttl: .seconds(60), isDelivered: false)
            try await store.deleteSession("s")
            #expect(try await store.events(stream: "s/g", after: 0).isEmpty)
            #expect(try await store.events(stream: "s/p1", after: 0).isEmpty)
        }
    }
}

@Suite("In-memory session store expiry")
struct InMemorySessionStoreExpiryTests {
    @Test("a session expires after its TTL unless touched; logs expire with theirs")
    func expiry() async throws {
        let clock = ManualClock()
        let store = InMemorySessionStore(now: { clock.now })
        try await store.putSession("a", record: [1], ttl: .seconds(10))
        try await store.putSession("b", record: [2], ttl: .seconds(10))
        _ = try await store.appendEvent(stream: "t/g", data: [1], limit: 10, ttl: .seconds(5), isDelivered: false)
        clock.advance(by: .seconds(8))
        #expect(try await store.touchSession("a", ttl: .seconds(10)) == [1])
        clock.advance(by: .seconds(8))
        #expect(try await store.session("a") == [1])
        #expect(try await store.session("b") == nil)
        await store.sweepExpired()
        #expect(try await store.events(stream: "t/g", after: 0).isEmpty)
        clock.advance(by: .seconds(3))
        #expect(try await store.session("a") == nil)
    }
}
