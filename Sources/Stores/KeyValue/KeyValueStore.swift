/// Small records under string keys, each with a time to live: what the authorization server keeps (client
/// registrations, hashed tokens, sealed Make tokens, pending sign-ins). Shared by every replica when in Redis.
package protocol KeyValueStore: Sendable {
    /// The value, or nil when absent or expired.
    func value(for key: String) async throws(StoreError) -> [UInt8]?

    func set(_ value: [UInt8], for key: String, ttl: Duration) async throws(StoreError)

    /// Stores `value` only if `key` is absent; true when it did. A lock between replicas, or a first claim.
    func setIfAbsent(_ value: [UInt8], for key: String, ttl: Duration) async throws(StoreError) -> Bool

    /// Removes the value and returns it, atomically: of several callers, exactly one gets it (single-use codes).
    func take(_ key: String) async throws(StoreError) -> [UInt8]?

    func delete(_ key: String) async throws(StoreError)
}
