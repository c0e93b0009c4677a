internal import Synchronization

/// The session store of a single process: everything in memory, nothing to install. Chosen when `REDIS_URL` is
/// unset. Expiry is checked against an injected clock, so tests can move time forward.
package final class InMemorySessionStore: SessionStore {
    package let kind = "memory"
    package let isShared = false

    private struct Entry {
        var record: [UInt8]
        var expiresAt: ContinuousClock.Instant
    }

    private struct EventLog {
        var events: [StoredEvent] = []
        var nextSequence: UInt64 = 1
        /// The last sequence appended as delivered.
        var delivered: UInt64 = 0
        var expiresAt: ContinuousClock.Instant
    }

    private struct State {
        var sessions: [String: Entry] = [:]
        var logs: [String: EventLog] = [:]
        var receivers: [String: [UInt64: @Sendable ([UInt8]) -> Void]] = [:]
        var streamReceivers: [String: [UInt64: @Sendable (StoredEvent) -> Void]] = [:]
        var nextReceiverID: UInt64 = 0
    }

    private let state = Mutex(State())
    private let now: @Sendable () -> ContinuousClock.Instant

    /// - Parameter now: The clock expiry is measured against; tests pass a controllable one.
    package init(now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.now = now
    }

    package func putSession(_ id: String, record: [UInt8], ttl: Duration) async throws(StoreError) {
        let expiresAt = now() + ttl
        state.withLock { $0.sessions[id] = Entry(record: record, expiresAt: expiresAt) }
    }

    package func session(_ id: String) async throws(StoreError) -> [UInt8]? {
        let now = now()
        return state.withLock { state in
            guard let entry = state.sessions[id] else { return nil }
            guard entry.expiresAt > now else {
                Self.remove(id, from: &state)
                return nil
            }
            return entry.record
        }
    }

    package func touchSession(_ id: String, ttl: Duration) async throws(StoreError) -> [UInt8]? {
        let now = now()
        return state.withLock { state in
            guard let entry = state.sessions[id], entry.expiresAt > now else {
                Self.remove(id, from: &state)
                return nil
            }
            state.sessions[id]?.expiresAt = now + ttl
            for key in state.logs.keys where key.hasPrefix(id + "/") {
                state.logs[key]?.expiresAt = now + ttl
            }
            return entry.record
        }
    }

    package func deleteSession(_ id: String) async throws(StoreError) {
        state.withLock { Self.remove(id, from: &$0) }
    }

    /// Stream logs are named `<session id>/<stream>`, so a session's logs go with it.
    private static func remove(_ id: String, from state: inout State) {
        state.sessions[id] = nil
        state.logs = state.logs.filter { !$0.key.hasPrefix(id + "/") }
    }

    package func subscribe(
        session id: String, receiver: @escaping @Sendable ([UInt8]) -> Void
    ) async throws(StoreError) -> any SessionSubscription {
        let receiverID = state.withLock { state in
            state.nextReceiverID += 1
            state.receivers[id, default: [:]][state.nextReceiverID] = receiver
            return state.nextReceiverID
        }
        return Subscription(store: self, session: id, receiverID: receiverID)
    }

    package func subscribe(
        stream: String, ttl: Duration, receiver: @escaping @Sendable (StoredEvent) -> Void
    ) async throws(StoreError) -> any SessionSubscription {
        let receiverID = state.withLock { state in
            state.nextReceiverID += 1
            state.streamReceivers[stream, default: [:]][state.nextReceiverID] = receiver
            return state.nextReceiverID
        }
        return StreamSubscription(store: self, stream: stream, receiverID: receiverID)
    }

    package func publish(session id: String, message: [UInt8]) async throws(StoreError) -> Bool {
        let receivers = state.withLock { Array(($0.receivers[id] ?? [:]).values) }
        receivers.forEach { $0(message) }
        return !receivers.isEmpty
    }

    package func publishOrAppend(
        session id: String, message: [UInt8], stream: String, limit: Int, ttl: Duration
    ) async throws(StoreError) -> Bool {
        let now = now()
        // Under one lock, so a subscriber either is among these receivers or subscribed after the append.
        let (receivers, appended, followers) = state.withLock { state in
            let receivers = Array((state.receivers[id] ?? [:]).values)
            guard receivers.isEmpty else { return (receivers, UInt64(0), [@Sendable (StoredEvent) -> Void]()) }
            let sequence = Self.append(message, to: stream, limit: limit, ttl: ttl, isDelivered: false, now: now,
                                       in: &state)
            return (receivers, sequence, Array((state.streamReceivers[stream] ?? [:]).values))
        }
        receivers.forEach { $0(message) }
        followers.forEach { $0(StoredEvent(sequence: appended, data: message)) }
        return !receivers.isEmpty
    }

    package func appendEvent(
        stream: String, data: [UInt8], limit: Int, ttl: Duration, isDelivered: Bool
    ) async throws(StoreError) -> UInt64 {
        let now = now()
        let (sequence, followers) = state.withLock { state in
            (Self.append(data, to: stream, limit: limit, ttl: ttl, isDelivered: isDelivered, now: now, in: &state),
             Array((state.streamReceivers[stream] ?? [:]).values))
        }
        followers.forEach { $0(StoredEvent(sequence: sequence, data: data)) }
        return sequence
    }

    private static func append(
        _ data: [UInt8], to stream: String, limit: Int, ttl: Duration, isDelivered: Bool, now: ContinuousClock.Instant,
        in state: inout State
    ) -> UInt64 {
        var log = state.logs[stream].flatMap { $0.expiresAt > now ? $0 : nil } ?? EventLog(expiresAt: now + ttl)
        let sequence = log.nextSequence
        log.nextSequence += 1
        log.events.append(StoredEvent(sequence: sequence, data: data))
        if log.events.count > limit { log.events.removeFirst(log.events.count - limit) }
        if isDelivered { log.delivered = sequence }
        log.expiresAt = now + ttl
        state.logs[stream] = log
        return sequence
    }

    package func events(stream: String, after sequence: UInt64) async throws(StoreError) -> [StoredEvent] {
        let now = now()
        return state.withLock { state in
            guard let log = state.logs[stream], log.expiresAt > now else { return [] }
            return log.events.filter { $0.sequence > sequence }
        }
    }

    package func takeUndeliveredEvents(
        stream: String
    ) async throws(StoreError) -> (delivered: UInt64, events: [StoredEvent]) {
        let now = now()
        return state.withLock { state in
            guard let log = state.logs[stream], log.expiresAt > now else { return (0, []) }
            let delivered = log.delivered
            state.logs[stream]?.delivered = max(delivered, log.events.last?.sequence ?? 0)
            return (delivered, log.events.filter { $0.sequence > delivered })
        }
    }

    /// Drops expired sessions and logs, so memory follows the live set.
    package func sweepExpired() async {
        let now = now()
        state.withLock { state in
            for (id, entry) in state.sessions where entry.expiresAt <= now { Self.remove(id, from: &state) }
            state.logs = state.logs.filter { $0.value.expiresAt > now }
        }
    }

    /// No other replica shares this store.
    package func broadcast(session id: String, message: [UInt8]) async throws(StoreError) {}

    package func sessionGeneration() async throws(StoreError) -> UInt64? { nil }

    /// Memory is never lost while the process runs, so there is nothing to hear of.
    package func observe(
        broadcasts: @escaping @Sendable (String, [UInt8]) -> Void, restarts: @escaping @Sendable () -> Void
    ) {}

    package func reassert(_ claims: [SessionClaim]) async throws(StoreError) {}

    fileprivate func unsubscribe(session id: String, receiverID: UInt64) {
        state.withLock { state in
            state.receivers[id]?[receiverID] = nil
            if state.receivers[id]?.isEmpty == true { state.receivers[id] = nil }
        }
    }

    private struct Subscription: SessionSubscription {
        let store: InMemorySessionStore
        let session: String
        let receiverID: UInt64

        func cancel() async {
            store.unsubscribe(session: session, receiverID: receiverID)
        }
    }

    private struct StreamSubscription: SessionSubscription {
        let store: InMemorySessionStore
        let stream: String
        let receiverID: UInt64

        func cancel() async {
            store.state.withLock { state in
                state.streamReceivers[stream]?[receiverID] = nil
                if state.streamReceivers[stream]?.isEmpty == true { state.streamReceivers[stream] = nil }
            }
        }
    }
}
