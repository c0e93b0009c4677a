internal import Synchronization

/// The body of a streaming response, written piece by piece as it is produced (chunked on HTTP/1.1).
///
/// Writes may come from any thread and never block. Memory stays bounded: when the bytes waiting for a slow reader
/// would pass the per-stream cap, the stream is cut and its owner told ``HTTPStreamTermination/slowReader``.
package final class HTTPResponseStream: Sendable {
    private let connection: HTTPConnection
    let exchange: UInt64
    /// ``HTTPServerConfiguration/streamBufferBytes``.
    private let bufferLimit: Int
    /// Bytes of this response that the kernel has not taken yet: those handed to ``write(_:)`` and still on their way
    /// to the connection, and those in its send buffer (the head and chunk framing included). Producers add to it,
    /// and the connection's loop subtracts what the socket takes.
    private let unsentBytes = Atomic<Int>(0)
    private let isOpen = Atomic<Bool>(true)
    private let terminationHandler: Mutex<(@Sendable (HTTPStreamTermination) -> Void)?>

    init(connection: HTTPConnection, exchange: UInt64,
         onTermination: @escaping @Sendable (HTTPStreamTermination) -> Void) {
        self.connection = connection
        self.exchange = exchange
        bufferLimit = connection.streamBufferLimit
        terminationHandler = Mutex(onTermination)
    }

    /// Whether writes are still accepted.
    package var isActive: Bool { isOpen.load(ordering: .acquiring) }

    /// Queues bytes for the client. Returns false once the stream has ended, in which case nothing is sent.
    ///
    /// The cap is checked here, before anything is queued, so a producer faster than the connection's loop cannot
    /// pile up bytes behind it: what a slow reader costs stays within the cap however fast the writes come.
    @discardableResult
    package func write(_ bytes: [UInt8]) -> Bool {
        guard isActive else { return false }
        guard !bytes.isEmpty else { return true }
        guard unsentBytes.add(bytes.count, ordering: .relaxed).newValue <= bufferLimit else {
            if isOpen.exchange(false, ordering: .acquiringAndReleasing) { connection.cutSlowStream(self) }
            return false
        }
        connection.writeToStream(self, bytes: bytes)
        return true
    }

    /// Queues one Server-Sent Event.
    @discardableResult
    package func send(_ event: ServerSentEvent) -> Bool {
        write(event.encoded)
    }

    /// Ends the stream cleanly; the connection then serves its next request or closes.
    package func end() {
        guard isOpen.exchange(false, ordering: .acquiringAndReleasing) else { return }
        connection.endStream(self)
    }

    /// The connection queued bytes of this response that did not come through ``write(_:)``: its head, chunk framing,
    /// or an earlier response still in the send buffer ahead of it.
    func connectionQueued(_ count: Int) {
        unsentBytes.add(count, ordering: .relaxed)
    }

    /// The socket took `count` bytes while this stream was the connection's response.
    func socketTook(_ count: Int) {
        unsentBytes.subtract(count, ordering: .relaxed)
    }

    /// Marks the stream finished and tells its owner why, exactly once.
    func terminate(_ reason: HTTPStreamTermination) {
        isOpen.store(false, ordering: .releasing)
        let handler = terminationHandler.withLock { handler in
            defer { handler = nil }
            return handler
        }
        handler?(reason)
    }
}
