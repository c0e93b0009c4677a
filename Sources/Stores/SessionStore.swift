/// One event of a stream's log, kept so a client that reconnects with `Last-Event-ID` gets what it missed.
package struct StoredEvent: Sendable, Equatable {
    /// Position in the stream, increasing from 1.
    package var sequence: UInt64
    package var data: [UInt8]

    package init(sequence: UInt64, data: [UInt8]) {
        self.sequence = sequence
        self.data = data
    }
}

/// A registration for messages addressed to one session; cancelling it stops delivery.
package protocol SessionSubscription: Sendable {
    func cancel() async
}

/// Where sessions live, shared by every replica that uses the same store.
///
/// Records are opaque bytes: the store knows sessions expire and streams have logs, nothing about MCP. Every
/// record and log has a time to live, refreshed by ``touchSession(_:ttl:)``, so a session whose replica died ends
/// on its own.
///
/// A shared store also keeps a session generation: a number that changes whenever any record is written or any
/// session deleted, before the write returns. The rate limiter of the same store reads it in every check, at no
/// extra round trip (``RateLimitOutcome/sessionGeneration``), or alone (``sessionGeneration()``), so a replica whose
/// copy of a session was looked up after reading the generation now current knows, without another lookup, that the
/// session still exists with the record it has.
package protocol SessionStore: Sendable {
    /// Which implementation this is, for `gateway_info` and logs: `memory` or `redis`.
    var kind: String { get }

    /// Whether other processes share this store, so a session may be served by a replica that did not open it.
    var isShared: Bool { get }

    /// Stores a new session record, or replaces an existing one, expiring after `ttl` without a touch; changes the
    /// session generation.
    func putSession(_ id: String, record: [UInt8], ttl: Duration) async throws(StoreError)

    /// The session's record, or nil when it does not exist or has expired.
    func session(_ id: String) async throws(StoreError) -> [UInt8]?

    /// Restarts the session's time to live and returns its record, in one step; nil when the session does not exist.
    func touchSession(_ id: String, ttl: Duration) async throws(StoreError) -> [UInt8]?

    /// Removes the session and the logs of its streams; changes the session generation.
    func deleteSession(_ id: String) async throws(StoreError)

    /// The session generation now, for a replica that has no rate-limit check to read it with: one plain read,
    /// far cheaper for the store than a lookup. Nil for a store no one shares.
    func sessionGeneration() async throws(StoreError) -> UInt64?

    /// Receives the messages published to `session` until the subscription is cancelled. The replica that holds a
    /// session's stream subscribes; any replica may publish.
    func subscribe(
        session id: String, receiver: @escaping @Sendable ([UInt8]) -> Void
    ) async throws(StoreError) -> any SessionSubscription

    /// Receives the events appended to `stream`'s log from now on, by whichever replica, until the subscription is
    /// cancelled: for following a stream whose channel is on another replica. The registration expires after
    /// `ttl` unless the session is touched.
    func subscribe(
        stream: String, ttl: Duration, receiver: @escaping @Sendable (StoredEvent) -> Void
    ) async throws(StoreError) -> any SessionSubscription

    /// Delivers `message` to whoever subscribed to `session`; false when nobody did.
    func publish(session id: String, message: [UInt8]) async throws(StoreError) -> Bool

    /// Publishes `message` to whoever subscribed to `session`, or, when nobody did, appends it to `stream`'s log
    /// instead, in one atomic step: a stream that opens meanwhile either receives it or finds it in the log.
    ///
    /// - Returns: true when it was published, false when it was logged.
    func publishOrAppend(
        session id: String, message: [UInt8], stream: String, limit: Int, ttl: Duration
    ) async throws(StoreError) -> Bool

    /// Appends an event to `stream`'s log, keeping at most `limit` events, and returns its sequence number.
    ///
    /// - Parameter isDelivered: Whether the event is being written to a live connection now; the last such event
    ///   marks where a stream opened without `Last-Event-ID` resumes (``takeUndeliveredEvents(stream:)``).
    func appendEvent(
        stream: String, data: [UInt8], limit: Int, ttl: Duration, isDelivered: Bool
    ) async throws(StoreError) -> UInt64

    /// The events of `stream` after `sequence`, oldest first; those already dropped from the log are missing.
    func events(stream: String, after sequence: UInt64) async throws(StoreError) -> [StoredEvent]

    /// The events of `stream` after the last one appended as delivered, and that event's sequence (0 when none
    /// was): what a stream that opens without `Last-Event-ID`, on any replica, still owes its client. They count as
    /// delivered from then on, so a second stream opening at once does not get them too.
    func takeUndeliveredEvents(stream: String) async throws(StoreError) -> (delivered: UInt64, events: [StoredEvent])

    /// Drops expired entries, for stores that do not expire them by themselves; called periodically.
    func sweepExpired() async

    /// Sends `message` about `session` to every replica sharing the store, the sender included, for state that
    /// follows a session to wherever a copy of it is served (a cancellation, a changed record). A store no one
    /// shares sends nothing.
    func broadcast(session id: String, message: [UInt8]) async throws(StoreError)

    /// Sets who hears of broadcasts (`broadcasts` gets the session id and message) and of the store losing its
    /// state (`restarts`, which should answer with ``reassert(_:)``). Both run on the store's own thread and must
    /// not block. Called once, before the store is used.
    func observe(broadcasts: @escaping @Sendable (String, [UInt8]) -> Void, restarts: @escaping @Sendable () -> Void)

    /// Writes back what this replica holds after the store lost its state: each claimed record unless another
    /// replica wrote it first, and the delivery registrations of this replica's subscriptions.
    func reassert(_ claims: [SessionClaim]) async throws(StoreError)
}
