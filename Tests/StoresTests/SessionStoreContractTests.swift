import Stores
import Synchronization
import Testing

/// A clock tests move by hand, so expiry is tested without waiting.
final class ManualClock: Sendable {
    private let current = Mutex(ContinuousClock.now)

    var now: ContinuousClock.Instant { current.withLock { $0 } }

    func advance(by duration: Duration) {
        current.withLock { $0 += duration }
    }
}

/// The behaviour every ``SessionStore`` must have, whatever it is backed by.
@Suite("Session store contract")
struct SessionStoreContractTests {
    private func makeStore(clock: ManualClock) -> any SessionStore {
        InMemorySessionStore(now: { clock.now })
    }

    @Test("a session is stored, read back, replaced and deleted")
    func lifecycle() async throws {
        let store = makeStore(clock: ManualClock())
        #expect(try await store.session("a") == nil)
        try await store.putSession("a", record: [1, 2], ttl: .seconds(60))
        #expect(try await store.session("a") == [1, 2])
        try await store.putSession("a", record: [3], ttl: .seconds(60))
        #expect(try await store.session("a") == [3])
        try await store.deleteSession("a")
        #expect(try await store.session("a") == nil)
        #expect(try await store.touchSession("a", ttl: .seconds(60)) == false)
    }

    @Test("a session expires after its TTL unless touched")
    func expiry() async throws {
        let clock = ManualClock()
        let store = makeStore(clock: clock)
        try await store.putSession("a", record: [1], ttl: .seconds(10))
        try await store.putSession("b", record: [2], ttl: .seconds(10))
        clock.advance(by: .seconds(8))
        #expect(try await store.touchSession("a", ttl: .seconds(10)))
        clock.advance(by: .seconds(8))
        #expect(try await store.session("a") == [1])
        #expect(try await store.session("b") == nil)
        clock.advance(by: .seconds(3))
        #expect(try await store.session("a") == nil)
    }

    @Test("messages published to a session reach its subscribers until they cancel")
    func delivery() async throws {
        let store = makeStore(clock: ManualClock())
        let received = Mutex<[[UInt8]]>([])
        #expect(try await store.publish(session: "s", message: [0]) == false)
        let subscription = try await store.subscribe(session: "s") { message in received.withLock { $0.append(message) } }
        #expect(try await store.publish(session: "s", message: [1]) == true)
        #expect(try await store.publish(session: "other", message: [9]) == false)
        await subscription.cancel()
        #expect(try await store.publish(session: "s", message: [2]) == false)
        #expect(received.withLock { $0 } == [[1]])
    }

    @Test("an event log numbers events, replays after a position, and keeps only the newest")
    func eventLog() async throws {
        let store = makeStore(clock: ManualClock())
        for value in 1...5 {
            let sequence = try await store.appendEvent(stream: "s/g", data: [UInt8(value)], limit: 3, ttl: .seconds(60))
            #expect(sequence == UInt64(value))
        }
        #expect(try await store.events(stream: "s/g", after: 0).map(\.sequence) == [3, 4, 5])
        #expect(try await store.events(stream: "s/g", after: 4).map(\.data) == [[5]])
        #expect(try await store.events(stream: "s/other", after: 0).isEmpty)
    }

    @Test("deleting a session drops its logs; logs expire with their TTL")
    func logsFollowSessions() async throws {
        let clock = ManualClock()
        let store = makeStore(clock: clock)
        try await store.putSession("s", record: [], ttl: .seconds(60))
        _ = try await store.appendEvent(stream: "s/g", data: [1], limit: 10, ttl: .seconds(60))
        _ = try await store.appendEvent(stream: "t/g", data: [1], limit: 10, ttl: .seconds(5))
        try await store.deleteSession("s")
        #expect(try await store.events(stream: "s/g", after: 0).isEmpty)
        clock.advance(by: .seconds(6))
        await store.sweepExpired()
        #expect(try await store.events(stream: "t/g", after: 0).isEmpty)
    }
}
