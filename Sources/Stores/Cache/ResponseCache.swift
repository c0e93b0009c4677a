internal import Synchronization

/// What a cached response is filed under: who asked, and what. The identity is part of the key, so one user's cached
/// data is never served to another.
package struct CacheKey: Hashable, Sendable {
    package var identity: String
    package var method: String
    package var url: String

    package init(identity: String, method: String, url: String) {
        self.identity = identity
        self.method = method
        self.url = url
    }

    var storageKey: String { "\(identity)|\(method) \(url)" }
}

/// Hit and miss counts since start, for `/metrics`.
package final class CacheStatistics: Sendable {
    private let counts = Mutex<(hits: Int, misses: Int)>((0, 0))

    package init() {}

    package var hits: Int { counts.withLock { $0.hits } }
    package var misses: Int { counts.withLock { $0.misses } }

    func record(hit: Bool) {
        counts.withLock { counts in
            if hit { counts.hits += 1 } else { counts.misses += 1 }
        }
    }
}

/// Cached upstream responses with a time to live, dropped early when a write touches what they show.
///
/// Each entry carries tags (the resources it shows, such as `scenario:42`); ``invalidate(tag:)`` drops every entry
/// with the tag, for every identity, since a change is a change for everyone who can see it.
package protocol ResponseCache: Sendable {
    var statistics: CacheStatistics { get }

    /// The cached bytes, or nil on a miss; counts the hit or miss.
    func value(for key: CacheKey) async throws(StoreError) -> [UInt8]?

    func store(_ value: [UInt8], for key: CacheKey, ttl: Duration, tags: [String]) async throws(StoreError)

    func invalidate(tag: String) async throws(StoreError)
}
