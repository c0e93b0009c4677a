internal import Synchronization

/// The body of a streaming response, written piece by piece as it is produced (chunked on HTTP/1.1).
///
/// Writes may come from any thread and never block. Memory stays bounded: when the bytes waiting for a slow reader
/// pass the per-stream cap, the stream is cut and its owner told ``HTTPStreamTermination/slowReader``.
package final class HTTPResponseStream: Sendable {
    private let connection: HTTPConnection
    let exchange: UInt64
    /// Bytes handed to ``write(_:)`` and not yet moved into the connection's send buffer.
    private let queuedBytes = Atomic<Int>(0)
    private let isOpen = Atomic<Bool>(true)
    private let terminationHandler: Mutex<(@Sendable (HTTPStreamTermination) -> Void)?>

    init(connection: HTTPConnection, exchange: UInt64,
         onTermination: @escaping @Sendable (HTTPStreamTermination) -> Void) {
        self.connection = connection
        self.exchange = exchange
        terminationHandler = Mutex(onTermination)
    }

    /// Whether writes are still accepted.
    package var isActive: Bool { isOpen.load(ordering: .acquiring) }

    /// Queues bytes for the client. Returns false once the stream has ended, in which case nothing is sent.
    @discardableResult
    package func write(_ bytes: [UInt8]) -> Bool {
        guard isActive else { return false }
        guard !bytes.isEmpty else { return true }
        queuedBytes.add(bytes.count, ordering: .relaxed)
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

    /// Bytes waiting to move into the connection's send buffer.
    var pendingBytes: Int { queuedBytes.load(ordering: .relaxed) }

    func bytesMovedToConnection(_ count: Int) {
        queuedBytes.subtract(count, ordering: .relaxed)
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
