/// A session record as the replica serving the session holds it, written back with
/// ``SessionStore/reassert(_:)`` after the store lost its state.
package struct SessionClaim: Sendable, Equatable {
    package var id: String
    package var record: [UInt8]
    /// How long the record lives without a touch, as when it was first stored.
    package var ttl: Duration

    package init(id: String, record: [UInt8], ttl: Duration) {
        self.id = id
        self.record = record
        self.ttl = ttl
    }
}
