internal import Dispatch
internal import EventLoops
internal import Logging
internal import Synchronization

/// What every connection of one server shares: settings, the handler, counters and the drain signal.
final class ServerContext: Sendable {
    let configuration: HTTPServerConfiguration
    let handler: any HTTPHandler
    let logger: Logger
    /// Told about every answered request, for metrics; called on the connection's loop, so it must not block.
    let onExchange: (@Sendable (HTTPExchange) -> Void)?
    /// Connections being served, counted against ``HTTPServerConfiguration/maxConnections``.
    let openConnections = Atomic<Int>(0)
    /// Connections over the cap that are being told 503 before they close; not counted as open.
    let rejectingConnections = Atomic<Int>(0)
    let isDraining = Atomic<Bool>(false)
    /// How long a closing connection keeps reading (and discarding) after its last response, so the peer sees that
    /// response rather than a reset (RFC 9112 §9.6).
    let lingerNanoseconds: UInt64 = 2_000_000_000
    /// How long an idle keep-alive connection stays open once draining begins: the shorter of the idle timeout and
    /// five seconds, time enough for a proxy to notice readiness failing.
    let drainIdleGraceNanoseconds: UInt64
    private let requestIDPrefix: String
    private let requestCounter = Atomic<UInt64>(0)
    /// Waiters for the end of draining, by an id each, so a cancelled waiter can be found and resumed alone.
    private let drainWaiters = Mutex<[UInt64: CheckedContinuation<Void, Never>]>([:])
    private let nextDrainWaiterID = Atomic<UInt64>(0)
    /// Waiters for the start of draining; nil once it has started.
    private let drainStartWaiters = Mutex<[CheckedContinuation<Void, Never>]?>([])

    init(configuration: HTTPServerConfiguration, handler: any HTTPHandler, logger: Logger,
         onExchange: (@Sendable (HTTPExchange) -> Void)? = nil) {
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
        self.onExchange = onExchange
        drainIdleGraceNanoseconds = min(configuration.idleTimeout, .seconds(5)).nanoseconds
        var generator = SystemRandomNumberGenerator()
        let prefix = String(generator.next() as UInt32, radix: 16)
        requestIDPrefix = String(repeating: "0", count: 8 - prefix.count) + prefix
    }

    /// A request id unique within this process and, through the random prefix, very likely across replicas.
    func makeRequestID() -> String {
        let sequence = requestCounter.wrappingAdd(1, ordering: .relaxed).newValue
        return requestIDPrefix + "-" + String(sequence, radix: 16)
    }

    /// Called once per connection when it closes.
    func connectionClosed(wasRejected: Bool) {
        if wasRejected {
            rejectingConnections.subtract(1, ordering: .relaxed)
        } else {
            openConnections.subtract(1, ordering: .relaxed)
        }
        signalIfDrained()
    }

    /// Resumes the drain waiters once draining has begun and no connection is left.
    func signalIfDrained() {
        guard isDraining.load(ordering: .acquiring),
              openConnections.load(ordering: .relaxed) == 0,
              rejectingConnections.load(ordering: .relaxed) == 0
        else { return }
        let waiters = drainWaiters.withLock { waiters in
            defer { waiters = [:] }
            return Array(waiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    /// Returns once draining has begun (by signal, cancellation or ``HTTPServer/shutdown()``).
    func waitUntilDrainBegins() async {
        await withCheckedContinuation { continuation in
            let hasBegun = drainStartWaiters.withLock { waiters -> Bool in
                guard waiters != nil else { return true }
                waiters!.append(continuation)
                return false
            }
            if hasBegun { continuation.resume() }
        }
    }

    func signalDrainBegan() {
        let waiters = drainStartWaiters.withLock { waiters in
            defer { waiters = nil }
            return waiters ?? []
        }
        waiters.forEach { $0.resume() }
    }

    /// Returns when draining has begun and every connection has closed, or as soon as the calling task is cancelled.
    ///
    /// Cancellation matters: the drain deadline races this wait in a task group, which cannot return, and so cannot
    /// close what is left, until this child has.
    func waitUntilDrained() async {
        let id = nextDrainWaiterID.wrappingAdd(1, ordering: .relaxed).newValue
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                drainWaiters.withLock { $0[id] = continuation }
                // Cancelled before the waiter was registered: the handler found nothing to resume.
                if Task.isCancelled { resumeDrainWaiter(id) }
                signalIfDrained()
            }
        } onCancel: {
            resumeDrainWaiter(id)
        }
    }

    private func resumeDrainWaiter(_ id: UInt64) {
        drainWaiters.withLock { $0.removeValue(forKey: id) }?.resume()
    }
}
