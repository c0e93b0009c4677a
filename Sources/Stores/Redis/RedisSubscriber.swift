internal import Dispatch
internal import Glibc
internal import Synchronization

/// Listens on one Redis pub/sub channel over its own connection, resubscribing after the server goes away.
///
/// The read loop blocks in hiredis on the connection's dedicated queue for the life of the subscriber; that is its
/// purpose, and no other work shares the queue. ``stop()`` shuts the socket down to end the blocked read.
package final class RedisSubscriber: Sendable {
    private let connection: RedisConnection
    private let channel: String
    private let onMessage: @Sendable ([UInt8]) -> Void
    private let isStopped = Atomic<Bool>(false)
    private let subscribedFD = Atomic<Int32>(-1)
    private let finished = Mutex<[CheckedContinuation<Void, Never>]?>([])

    /// - Parameter onMessage: Called on the subscriber's queue with each message's payload; it must not block.
    package init(url: RedisURL, channel: String, connectTimeout: Duration,
                 onMessage: @escaping @Sendable ([UInt8]) -> Void) {
        connection = RedisConnection(url: url, connectTimeout: connectTimeout, commandTimeout: nil,
                                     label: "redis.subscriber")
        self.channel = channel
        self.onMessage = onMessage
    }

    /// Whether the subscription is active now; messages published while it is not are lost.
    package var isSubscribed: Bool { subscribedFD.load(ordering: .acquiring) >= 0 }

    package func start() {
        connection.queue.async { self.listen() }
    }

    /// Ends the subscription and waits for the read loop to finish.
    package func stop() async {
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
        while !isStopped.load(ordering: .acquiring) {
            guard case .success(let replies) = connection.execute([RedisCommand("SUBSCRIBE", channel)]),
                  case .array = replies.first
            else {
                // Connecting failed (the connection applies its own backoff); wait a little before trying again.
                // A deliberate sleep on this dedicated queue, which exists only for this loop.
                usleep(100_000)
                continue
            }
            subscribedFD.store(connection.fileDescriptor, ordering: .releasing)
            if isStopped.load(ordering: .acquiring) { break }
            reading: while true {
                switch connection.readReply() {
                case .success(.array(let parts)) where parts.count == 3 && parts[0].string == "message":
                    onMessage(parts[2].bytes ?? [])
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
