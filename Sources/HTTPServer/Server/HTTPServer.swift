package import EventLoops
internal import Glibc
package import Logging
internal import ServiceLifecycle
internal import Synchronization

/// An HTTP/1.1 server on non-blocking POSIX sockets and epoll event loops hosted on Dispatch queues.
///
/// Connections are spread over a few loops (one per core by default); the listening socket lives on the first. The
/// server is a `Service`: ``run()`` listens until graceful shutdown, then drains: it stops accepting, lets in-flight
/// requests finish, ends open streams cleanly, and closes whatever is left when the drain time runs out.
package final class HTTPServer: Service, Sendable {
    private enum State {
        case initial
        case listening(port: Int, listener: Listener)
        case draining(port: Int)
        case stopped
        /// ``run()`` could not listen; a later ``waitUntilListening()`` throws this rather than waiting forever.
        case failed(SocketError)
    }

    private let context: ServerContext
    private let eventLoops: EventLoopGroup
    /// Whether the server made its loop group, and so starts and stops it; a group passed in belongs to the caller.
    private let ownsEventLoops: Bool
    private let loops: [ServerLoop]
    private let state = Mutex(State.initial)
    private let listeningWaiters = Mutex<[CheckedContinuation<Int, any Error>]>([])
    private let onDrainStart: @Sendable () -> Void

    /// - Parameters:
    ///   - eventLoops: The loops to serve on, shared with other users (the Redis client) and started and stopped by
    ///     the caller; nil makes a group of ``HTTPServerConfiguration/eventLoopCount`` loops that the server owns.
    ///   - onDrainStart: Called once when shutdown begins, before anything closes, so readiness can turn 503 at once.
    ///   - onExchange: Told about every answered request (metrics); runs on the serving thread, so it must be quick.
    package init(
        configuration: HTTPServerConfiguration,
        handler: some HTTPHandler,
        logger: Logger,
        eventLoops: EventLoopGroup? = nil,
        onDrainStart: @escaping @Sendable () -> Void = {},
        onExchange: (@Sendable (HTTPExchange) -> Void)? = nil
    ) {
        context = ServerContext(configuration: configuration, handler: handler, logger: logger,
                                onExchange: onExchange)
        ownsEventLoops = eventLoops == nil
        self.eventLoops = eventLoops ?? EventLoopGroup(count: configuration.eventLoopCount, label: "http.loop")
        loops = self.eventLoops.loops.map(ServerLoop.init(eventLoop:))
        self.onDrainStart = onDrainStart
    }

    /// Connections being served now (not counting ones refused over the cap).
    package var openConnectionCount: Int { context.openConnections.load(ordering: .relaxed) }

    /// Whether shutdown has begun.
    package var isDraining: Bool { context.isDraining.load(ordering: .relaxed) }

    /// Listens and serves until graceful shutdown or cancellation, then drains and returns.
    package func run() async throws {
        do {
            try startListening()
        } catch {
            state.withLock { $0 = .failed(error) }
            failListeningWaiters(error)
            throw error
        }
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await self.context.waitUntilDrainBegins()
            } onCancel: {
                self.beginDrain()
                self.closeAllConnections()
            }
        } onGracefulShutdown: {
            self.beginDrain()
        }
        let drainTimeout = context.configuration.drainTimeout
        let context = self.context
        let drainedInTime = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await context.waitUntilDrained()
                return true
            }
            group.addTask {
                try? await Task.sleep(for: drainTimeout)
                return false
            }
            let first = await group.next() ?? true
            group.cancelAll()
            return first
        }
        if !drainedInTime {
            context.logger.warning("drain time is over; closing remaining connections",
                                   metadata: ["http.open_connections": "\(openConnectionCount)"])
            closeAllConnections()
            await context.waitUntilDrained()
        }
        for loop in loops {
            await loop.eventLoop.submit { loop.stopSweeping() }
        }
        if ownsEventLoops { await eventLoops.stop() }
        state.withLock { $0 = .stopped }
    }

    /// Returns the bound port once the server listens; useful with port 0.
    ///
    /// - Throws: The error ``run()`` failed to listen with, whether that happened before or after this call: the
    ///   caller usually starts `run()` in another task, which may fail first.
    package func waitUntilListening() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let outcome = state.withLock { state -> Result<Int, SocketError>? in
                switch state {
                case .listening(let port, _), .draining(let port): return .success(port)
                case .failed(let error): return .failure(error)
                case .initial, .stopped: return nil
                }
            }
            if let outcome {
                continuation.resume(with: outcome)
                return
            }
            listeningWaiters.withLock { $0.append(continuation) }
            // The server may have started, or failed to, between the check and the registration.
            switch state.withLock({ $0 }) {
            case .listening(let port, _), .draining(let port): resumeListeningWaiters(port: port)
            case .failed(let error): failListeningWaiters(error)
            case .initial, .stopped: break
            }
        }
    }

    /// Begins a graceful shutdown without a `ServiceGroup`, as a signal would.
    package func shutdown() {
        beginDrain()
    }

    // MARK: - Listening

    private func startListening() throws(SocketError) {
        let configuration = context.configuration
        let fileLimit = Socket.raiseOpenFileLimit()
        if configuration.maxConnections + 64 > fileLimit {
            context.logger.warning(
                "connection cap exceeds the open-file limit",
                metadata: ["http.max_connections": "\(configuration.maxConnections)", "os.file_limit": "\(fileLimit)"]
            )
        }
        let fd = try Socket.listen(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        let port: Int
        do {
            port = try Socket.localPort(of: fd)
        } catch {
            Socket.close(fd)
            throw error
        }
        let sweepInterval = Self.sweepInterval(for: configuration)
        if ownsEventLoops { eventLoops.start() }
        for loop in loops {
            loop.eventLoop.execute { loop.startSweeping(every: sweepInterval) }
        }
        let listener = Listener(fd: fd, loop: loops[0], loops: loops, context: context)
        state.withLock { $0 = .listening(port: port, listener: listener) }
        loops[0].eventLoop.execute { listener.start() }
        context.logger.debug("listening", metadata: ["http.host": "\(configuration.host)", "http.port": "\(port)"])
        resumeListeningWaiters(port: port)
    }

    /// A quarter of the shortest timeout, between 10 ms and 1 s: fine enough for every deadline, cheap when idle.
    private static func sweepInterval(for configuration: HTTPServerConfiguration) -> Duration {
        let shortest = [configuration.headerTimeout, configuration.bodyTimeout, configuration.idleTimeout,
                        configuration.writeTimeout].min()!
        return min(max(shortest / 4, .milliseconds(10)), .seconds(1))
    }

    private func resumeListeningWaiters(port: Int) {
        let waiters = listeningWaiters.withLock { waiters in
            defer { waiters = [] }
            return waiters
        }
        waiters.forEach { $0.resume(returning: port) }
    }

    private func failListeningWaiters(_ error: any Error) {
        let waiters = listeningWaiters.withLock { waiters in
            defer { waiters = [] }
            return waiters
        }
        waiters.forEach { $0.resume(throwing: error) }
    }

    // MARK: - Draining

    private func beginDrain() {
        let listener = state.withLock { state -> Listener? in
            guard case .listening(let port, let listener) = state else { return nil }
            state = .draining(port: port)
            return listener
        }
        guard let listener else { return }
        context.isDraining.store(true, ordering: .releasing)
        onDrainStart()
        context.logger.info("draining", metadata: ["http.open_connections": "\(openConnectionCount)"])
        loops[0].eventLoop.execute { listener.close() }
        for loop in loops {
            loop.eventLoop.execute { loop.allConnections.forEach { $0.beginDrain() } }
        }
        context.signalDrainBegan()
        context.signalIfDrained()
    }

    private func closeAllConnections() {
        for loop in loops {
            loop.eventLoop.execute { loop.allConnections.forEach { $0.forceClose() } }
        }
    }
}

/// The listening socket, registered on the first loop. Accepted connections are spread round-robin over all loops.
private final class Listener: EventLoopSelectable, @unchecked Sendable {
    private let fd: Int32
    private let serverLoop: ServerLoop
    private let loops: [ServerLoop]
    private let context: ServerContext
    /// Loop-confined, like the rest of this object's mutable state.
    private var nextLoop = 0
    private var isClosed = false

    private var loop: EventLoop { serverLoop.eventLoop }

    init(fd: Int32, loop: ServerLoop, loops: [ServerLoop], context: ServerContext) {
        self.fd = fd
        serverLoop = loop
        self.loops = loops
        self.context = context
    }

    func start() {
        loop.register(fd, self)
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        loop.deregister(fd)
        Socket.close(fd)
    }

    func handleEvents(readable: Bool, writable: Bool) {
        guard readable, !isClosed else { return }
        // Bounded batches, so a flood of connections cannot starve the sockets already on this loop.
        for _ in 0..<128 {
            let accepted: Socket.Accepted?
            do {
                accepted = try Socket.accept(from: fd)
            } catch {
                pauseAfterFailure(error)
                return
            }
            guard let accepted else { return }
            if context.isDraining.load(ordering: .relaxed) {
                Socket.close(accepted.fd)
                continue
            }
            let open = context.openConnections.wrappingAdd(1, ordering: .relaxed).newValue
            var isRejected = false
            if open > context.configuration.maxConnections {
                context.openConnections.subtract(1, ordering: .relaxed)
                // Refusals are bounded too: past this many in flight, the socket is just closed.
                guard context.rejectingConnections.wrappingAdd(1, ordering: .relaxed).newValue <= 1024 else {
                    context.rejectingConnections.subtract(1, ordering: .relaxed)
                    Socket.close(accepted.fd)
                    continue
                }
                isRejected = true
            }
            let target = loops[nextLoop]
            nextLoop = (nextLoop + 1) % loops.count
            let connection = HTTPConnection(fd: accepted.fd, peerAddress: accepted.peerAddress, loop: target,
                                            context: context, isRejected: isRejected)
            if target === serverLoop {
                connection.start()
            } else {
                target.eventLoop.execute { connection.start() }
            }
        }
    }

    /// Out of descriptors (EMFILE/ENFILE) or another accept failure: stop watching the listener for 100 ms instead
    /// of spinning on a readiness that cannot be served.
    private func pauseAfterFailure(_ error: SocketError) {
        context.logger.warning("accept failed; pausing for 100 ms", metadata: ["http.error": "\(error)"])
        loop.setInterest(fd, readable: false, writable: false)
        loop.schedule(after: .milliseconds(100)) {
            guard !self.isClosed else { return }
            self.loop.setInterest(self.fd, readable: true, writable: false)
        }
    }
}
