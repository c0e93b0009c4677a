internal import Synchronization

/// The response cache of a single process, bounded in entries.
package final class InMemoryResponseCache: ResponseCache {
    package let statistics = CacheStatistics()
    private let maxEntries: Int
    private let now: @Sendable () -> ContinuousClock.Instant

    private struct Entry {
        var value: [UInt8]
        var expiresAt: ContinuousClock.Instant
        var tags: [String]
    }

    private let state = Mutex<(entries: [String: Entry], tagged: [String: Set<String>])>(([:], [:]))

    package init(maxEntries: Int = 10_000, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.maxEntries = maxEntries
        self.now = now
    }

    package func value(for key: CacheKey) async throws(StoreError) -> [UInt8]? {
        let now = now()
        let value = state.withLock { state -> [UInt8]? in
            guard let entry = state.entries[key.storageKey] else { return nil }
            guard entry.expiresAt > now else {
                Self.remove(key.storageKey, from: &state)
                return nil
            }
            return entry.value
        }
        statistics.record(hit: value != nil)
        return value
    }

    package func store(_ value: [UInt8], for key: CacheKey, ttl: Duration, tags: [String]) async throws(StoreError) {
        let now = now()
        state.withLock { state in
            if state.entries.count >= maxEntries {
                // Full: drop what has expired, and if that is not enough, the entries closest to expiring.
                for (storageKey, entry) in state.entries where entry.expiresAt <= now {
                    Self.remove(storageKey, from: &state)
                }
                if state.entries.count >= maxEntries {
                    let victims = state.entries.sorted { $0.value.expiresAt < $1.value.expiresAt }
                        .prefix(max(1, maxEntries / 10)).map(\.key)
                    victims.forEach { Self.remove($0, from: &state) }
                }
            }
            Self.remove(key.storageKey, from: &state)
            state.entries[key.storageKey] = Entry(value: value, expiresAt: now + ttl, tags: tags)
            for tag in tags { state.tagged[tag, default: []].insert(key.storageKey) }
        }
    }

    package func invalidate(tag: String) async throws(StoreError) {
        state.withLock { state in
            for storageKey in state.tagged[tag] ?? [] { Self.remove(storageKey, from: &state) }
            state.tagged[tag] = nil
        }
    }

    private static func remove(
        _ storageKey: String, from state: inout (entries: [String: Entry], tagged: [String: Set<String>])
    ) {
        guard let entry = state.entries.removeValue(forKey: storageKey) else { return }
        for tag in entry.tags {
            state.tagged[tag]?.remove(storageKey)
            if state.tagged[tag]?.isEmpty == true { state.tagged[tag] = nil }
        }
    }
}
