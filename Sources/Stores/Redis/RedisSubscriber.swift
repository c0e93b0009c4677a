internal import Dispatch
internal import Glibc
internal import Synchronization

/// Listens on Redis pub/sub channels over its own connection, resubscribing after the server goes away.
///
/// The read loop blocks in hiredis on the connection's dedicated queue for the life of the subscriber; that is its
/// purpose, and no other work shares the queue. ``stop()`` shuts the socket down to end the blocked read.
final class RedisSubscriber: Sendable {
    private let connection: RedisConnection
    private let channels: [String]
    private let onMessage: @Sendable (_ channel: String, _ payload: [UInt8]) -> Void
    private let onSubscribed: @Sendable (_ isResubscription: Bool) -> Void
    private let isStopped = Atomic<Bool>(false)
    private let subscribedFD = Atomic<Int32>(-1)
    private let finished = Mutex<[CheckedContinuation<Void, Never>]?>([])

    /// - Parameters:
    ///   - reconnects: Shared with the client whose connections and probe see Redis return, so this connection
    ///     retries at once rather than after its own backoff.
    ///   - onMessage: Called on the subscriber's queue with each message's channel and payload; it must not block.
    ///   - onSubscribed: Called on the subscriber's queue once every channel is subscribed; `isResubscription` is
    ///     true after the connection was lost, when Redis may have restarted and lost what it held.
    init(url: RedisURL, channels: [String], connectTimeout: Duration, reconnects: RedisReconnectSignal,
         onMessage: @escaping @Sendable (_ channel: String, _ payload: [UInt8]) -> Void,
         onSubscribed: @escaping @Sendable (_ isResubscription: Bool) -> Void) {
        connection = RedisConnection(url: url, connectTimeout: connectTimeout, commandTimeout: nil,
                                     label: "redis.subscriber", reconnects: reconnects)
        self.channels = channels
        self.onMessage = onMessage
        self.onSubscribed = onSubscribed
    }

    /// Whether the subscription is active now; messages published while it is not are lost.
    var isSubscribed: Bool { subscribedFD.load(ordering: .acquiring) >= 0 }

    func start() {
        connection.queue.async { self.listen() }
    }

    /// Ends the subscription and waits for the read loop to finish.
    func stop() async {
        isStopped.store(true, ordering: .releasing)
        let fd = subscribedFD.load(ordering: .acquiring)
        if fd >= 0 { connection.interrupt(fd: fd) }
        await withCheckedContinuation { continuation in
            let done = finished.withLock { waiters -> Bool in
                guard waiters != nil else { return true }
                waiters!.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    private func listen() {
        var hasSubscribed = false
        while !isStopped.load(ordering: .acquiring) {
            // One SUBSCRIBE per channel, so each confirmation is read as the reply to its own command.
            guard case .success(let replies) = connection.execute(channels.map { RedisCommand("SUBSCRIBE", $0) }),
                  replies.allSatisfy({ if case .array = $0 { true } else { false } })
            else {
                // Connecting failed (the connection applies its own backoff); wait a little before trying again.
                // A deliberate sleep on this dedicated queue, which exists only for this loop.
                usleep(100_000)
                continue
            }
            subscribedFD.store(connection.fileDescriptor, ordering: .releasing)
            if isStopped.load(ordering: .acquiring) { break }
            onSubscribed(hasSubscribed)
            hasSubscribed = true
            reading: while true {
                switch connection.readReply() {
                case .success(.array(let parts)) where parts.count == 3 && parts[0].string == "message":
                    onMessage(parts[1].string ?? "", parts[2].bytes ?? [])
                case .success:
                    continue reading
                case .failure:
                    break reading
                }
            }
            subscribedFD.store(-1, ordering: .releasing)
        }
        connection.disconnect()
        let waiters = finished.withLock { waiters in
            defer { waiters = nil }
            return waiters ?? []
        }
        waiters.forEach { $0.resume() }
    }
}
