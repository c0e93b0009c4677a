internal import Synchronization

/// Key-value records for a single process.
package final class InMemoryKeyValueStore: KeyValueStore {
    private let entries = Mutex<[String: (value: [UInt8], expires: ContinuousClock.Instant)]>([:])
    private let now: @Sendable () -> ContinuousClock.Instant

    /// - Parameter now: The clock; tests pass a controllable one.
    package init(now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.now = now
    }

    package func value(for key: String) async throws(StoreError) -> [UInt8]? {
        let now = now()
        return entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            guard entry.expires > now else {
                entries[key] = nil
                return nil
            }
            return entry.value
        }
    }

    package func set(_ value: [UInt8], for key: String, ttl: Duration) async throws(StoreError) {
        let expires = now() + ttl
        entries.withLock { entries in
            entries[key] = (value, expires)
            // Expired entries are dropped when read; sweep now and then so unread ones do not pile up.
            if entries.count.isMultiple(of: 1024) {
                let now = self.now()
                entries = entries.filter { $0.value.expires > now }
            }
        }
    }

    package func setIfAbsent(_ value: [UInt8], for key: String, ttl: Duration) async throws(StoreError) -> Bool {
        let now = now()
        return entries.withLock { entries in
            if let entry = entries[key], entry.expires > now { return false }
            entries[key] = (value, now + ttl)
            return true
        }
    }

    package func take(_ key: String) async throws(StoreError) -> [UInt8]? {
        let now = now()
        return entries.withLock { entries in
            guard let entry = entries.removeValue(forKey: key), entry.expires > now else { return nil }
            return entry.value
        }
    }

    package func delete(_ key: String) async throws(StoreError) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }
}
