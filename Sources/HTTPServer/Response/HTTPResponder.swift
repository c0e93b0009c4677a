internal import Synchronization

/// The way a handler answers one request: a complete response, or the head of a stream that it then feeds.
///
/// Answering twice is ignored. A responder released without an answer, which is a handler bug, sends a 500 so the
/// client is never left hanging. When the client goes away first, work started with ``run(_:)`` is cancelled.
package final class HTTPResponder: Sendable {
    private enum State {
        case pending(task: Task<Void, Never>?)
        case answered
        case cancelled
    }

    private let connection: HTTPConnection
    private let exchange: UInt64
    private let state = Mutex(State.pending(task: nil))

    init(connection: HTTPConnection, exchange: UInt64) {
        self.connection = connection
        self.exchange = exchange
    }

    deinit {
        if case .pending = state.withLock({ $0 }) {
            connection.deliver(
                .error(.internalServerError, code: "internal_error", message: "the request handler gave no response"),
                exchange: exchange
            )
        }
    }

    /// Whether the client went away before an answer; work in progress may stop early.
    package var isCancelled: Bool {
        if case .cancelled = state.withLock({ $0 }) { return true }
        return false
    }

    /// Sends a complete response.
    package func respond(_ response: HTTPResponse) {
        guard claimAnswer() else { return }
        connection.deliver(response, exchange: exchange)
    }

    /// Sends the head of a streaming response and returns the stream to write its body to, or nil when the request
    /// was already answered or the client is gone.
    ///
    /// - Parameter onTermination: Called once, on the connection's queue, when the stream ends for any reason. It must
    ///   not block.
    package func startStream(
        _ head: HTTPResponseHead,
        onTermination: @escaping @Sendable (HTTPStreamTermination) -> Void = { _ in }
    ) -> HTTPResponseStream? {
        guard claimAnswer() else { return nil }
        let stream = HTTPResponseStream(connection: connection, exchange: exchange, onTermination: onTermination)
        connection.startStream(stream, head: head)
        return stream
    }

    /// The event loop serving this request's connection, where ``run(_:)`` runs its task: work started from there
    /// with this executor preference stays on that thread too.
    package var executor: any TaskExecutor { connection.loop }

    /// Runs asynchronous work that answers this request. The task belongs to the connection: it is cancelled when the
    /// client disconnects, and the work should then answer nothing more. A client that only half-closed its side
    /// after the request is still there and gets the answer.
    ///
    /// The task prefers the connection's event loop as its executor, so it runs on the thread that read the request
    /// and will write the answer, and store round trips driven by the same loop resume it without waking any other.
    package func run(_ operation: @escaping @Sendable () async -> Void) {
        let task = Task(executorPreference: connection.loop) { await operation() }
        let shouldCancel = state.withLock { state -> Bool in
            switch state {
            case .pending(task: nil):
                state = .pending(task: task)
                return false
            case .cancelled:
                return true
            case .pending, .answered:
                return false
            }
        }
        if shouldCancel { task.cancel() }
    }

    /// Called by the connection when its client is gone.
    func cancel() {
        let task = state.withLock { state -> Task<Void, Never>? in
            guard case .pending(let task) = state else { return nil }
            state = .cancelled
            return task
        }
        task?.cancel()
    }

    private func claimAnswer() -> Bool {
        state.withLock { state in
            guard case .pending = state else { return false }
            state = .answered
            return true
        }
    }
}
