internal import CHiredis
internal import Dispatch
internal import EventLoops
internal import Glibc

/// One Redis connection driven by an event loop: a non-blocking socket registered on the loop, commands encoded as
/// RESP into one outgoing buffer, and replies parsed by hiredis's reader and handed back in order.
///
/// Commands sent during one loop iteration go out in a single write at its end (automatic pipelining), and a reply
/// resumes its caller from the loop thread; a caller whose task runs on the same loop (a request's task, see
/// `HTTPResponder.run`) continues in that very iteration, with no other thread woken on the way there or back.
///
/// Connecting blocks (name lookup, connect, AUTH, SELECT), so it runs on the connector's own queue, under its
/// capped backoff, and the connected socket is then handed to the loop.
///
/// Nothing is ever sent twice: a command that may have reached Redis (it was written, and the connection then failed
/// or its reply timed out) fails, because Redis may have run it. A connection the server closed while idle is
/// noticed by the loop when it happens and replaced by the next command.
///
/// Everything mutable is confined to the loop thread; that is what makes the `@unchecked Sendable` sound.
final class RedisLoopConnection: EventLoopSelectable, @unchecked Sendable {
    /// Gets a unit's replies, or its failure; called on the loop thread, after the connection's own bookkeeping, so
    /// it may send more commands at once.
    typealias Completion = @Sendable (Result<[RedisValue], StoreError>) -> Void

    let loop: EventLoop
    private let connector: RedisConnection
    private let endpoint: String
    private let commandTimeout: UInt64

    private enum State {
        case disconnected
        /// The connector is at work; `waiting` run once it is done.
        case connecting(waiting: [(commands: [RedisCommand], completion: Completion)])
        case connected(fd: Int32, reader: UnsafeMutablePointer<redisReader>)
    }

    /// Callers whose commands are written (or queued to be), in order; each gets as many replies as it sent.
    private struct InFlight {
        let expected: Int
        var replies: [RedisValue]
        let deadline: UInt64
        let completion: Completion
    }

    private var state = State.disconnected
    private var inFlight: [InFlight] = []
    /// Index of the oldest caller still waiting in `inFlight`; the front is dropped in bulk, not one by one.
    private var inFlightHead = 0
    private var outbound: [UInt8] = []
    private var outboundOffset = 0
    private var isFlushDeferred = false
    private var isWaitingForWritable = false
    private var isDeadlineCheckScheduled = false

    init(loop: EventLoop, connector: RedisConnection, endpoint: String, commandTimeout: Duration) {
        self.loop = loop
        self.connector = connector
        self.endpoint = endpoint
        self.commandTimeout = commandTimeout.nanoseconds
    }

    deinit {
        if case .connected(let fd, let reader) = state {
            redisReaderFree(reader)
            Glibc.close(fd)
        }
    }

    /// Sends `commands` as one unit; `completion` gets their replies in order, or the failure. Loop thread only.
    func send(_ commands: [RedisCommand], completion: @escaping Completion) {
        switch state {
        case .connected:
            enqueue(commands, completion: completion)
        case .connecting(var waiting):
            waiting.append((commands, completion))
            state = .connecting(waiting: waiting)
        case .disconnected:
            state = .connecting(waiting: [(commands, completion)])
            let connector = self.connector
            connector.queue.async {
                let result = connector.connectAndDetachSocket()
                guard self.loop.execute({ self.connectFinished(result) }) else {
                    // The loop has finished, so nothing else touches this connection any more.
                    if case .success(let fd) = result { Glibc.close(fd) }
                    self.fail(.unavailable("redis client is shut down"))
                    return
                }
            }
        }
    }

    /// Closes the connection; callers still waiting get an error. Loop thread only.
    func close() {
        fail(.unavailable("redis connection to \(endpoint) closed"))
    }

    // MARK: - Connecting

    private func connectFinished(_ result: Result<Int32, StoreError>) {
        guard case .connecting(let waiting) = state else {
            if case .success(let fd) = result { Glibc.close(fd) }
            return
        }
        switch result {
        case .success(let fd):
            guard let reader = redisReaderCreate() else {
                Glibc.close(fd)
                state = .disconnected
                waiting.forEach { $0.completion(.failure(.unavailable("cannot allocate a redis reader"))) }
                return
            }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            state = .connected(fd: fd, reader: reader)
            loop.register(fd, self)
            for (commands, completion) in waiting { enqueue(commands, completion: completion) }
        case .failure(let error):
            state = .disconnected
            waiting.forEach { $0.completion(.failure(error)) }
        }
    }

    // MARK: - Writing

    private func enqueue(_ commands: [RedisCommand], completion: @escaping Completion) {
        for command in commands { Self.encode(command, into: &outbound) }
        inFlight.append(InFlight(expected: commands.count, replies: [],
                                 deadline: DispatchTime.now().uptimeNanoseconds &+ commandTimeout,
                                 completion: completion))
        if !isFlushDeferred {
            isFlushDeferred = true
            loop.deferUntilIdle { self.flush() }
        }
        scheduleDeadlineCheck()
    }

    /// RESP: an array of bulk strings, the form every Redis command takes on the wire.
    private static func encode(_ command: RedisCommand, into bytes: inout [UInt8]) {
        appendHeader(UInt8(ascii: "*"), command.arguments.count, to: &bytes)
        for argument in command.arguments {
            appendHeader(UInt8(ascii: "$"), argument.count, to: &bytes)
            bytes.append(contentsOf: argument)
            bytes.append(13)
            bytes.append(10)
        }
    }

    /// `<marker><count>\r\n`, the count's digits written in place (this runs for every argument sent).
    private static func appendHeader(_ marker: UInt8, _ count: Int, to bytes: inout [UInt8]) {
        bytes.append(marker)
        var divisor = 1
        while divisor <= count / 10 { divisor *= 10 }
        var rest = count
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
        bytes.append(13)
        bytes.append(10)
    }

    private func flush() {
        isFlushDeferred = false
        guard case .connected(let fd, _) = state else { return }
        while outboundOffset < outbound.count {
            let outcome = outbound.withUnsafeBytes { buffer in
                SocketIO.send(fd, UnsafeRawBufferPointer(rebasing: buffer[outboundOffset...]))
            }
            switch outcome {
            case .transferred(let count):
                outboundOffset += count
            case .wouldBlock:
                if !isWaitingForWritable {
                    isWaitingForWritable = true
                    loop.setInterest(fd, readable: true, writable: true)
                }
                return
            case .endOfStream, .failed:
                fail(.unavailable("redis write failed at \(endpoint): connection lost"))
                return
            }
        }
        outbound.removeAll(keepingCapacity: outbound.count <= 65536)
        outboundOffset = 0
        if isWaitingForWritable {
            isWaitingForWritable = false
            loop.setInterest(fd, readable: true, writable: false)
        }
    }

    // MARK: - Reading

    func handleEvents(readable: Bool, writable: Bool) {
        if writable { flush() }
        if readable { read() }
    }

    private func read() {
        guard case .connected(let fd, let reader) = state else { return }
        switch SocketIO.receive(fd, into: loop.readBuffer) {
        case .transferred(let count):
            guard redisReaderFeed(reader, loop.readBuffer.baseAddress!.assumingMemoryBound(to: CChar.self), count)
                == REDIS_OK
            else {
                fail(.unavailable("redis read failed at \(endpoint): out of memory"))
                return
            }
            deliverReplies(reader)
        case .wouldBlock:
            return
        case .endOfStream:
            fail(.unavailable("redis read failed at \(endpoint): server closed the connection"))
        case .failed(let code):
            fail(.unavailable("redis read failed at \(endpoint): \(String(cString: strerror(code)))"))
        }
    }

    private func deliverReplies(_ reader: UnsafeMutablePointer<redisReader>) {
        while true {
            var raw: UnsafeMutableRawPointer?
            guard redisReaderGetReply(reader, &raw) == REDIS_OK else {
                fail(.unavailable("redis sent an unreadable reply at \(endpoint)"))
                return
            }
            guard let raw else { return }
            let value = RedisConnection.value(of: raw.assumingMemoryBound(to: redisReply.self))
            freeReplyObject(raw)
            guard inFlightHead < inFlight.count else {
                fail(.unavailable("redis sent a reply nobody asked for at \(endpoint)"))
                return
            }
            inFlight[inFlightHead].replies.append(value)
            if inFlight[inFlightHead].replies.count == inFlight[inFlightHead].expected {
                let done = inFlight[inFlightHead]
                inFlightHead += 1
                if inFlightHead == inFlight.count {
                    inFlight.removeAll(keepingCapacity: true)
                    inFlightHead = 0
                }
                done.completion(.success(done.replies))
            }
        }
    }

    // MARK: - Deadlines and failures

    /// Keeps one timer armed while replies are awaited: when the oldest one is overdue, everything in flight fails
    /// and the connection is dropped, since later replies could no longer be matched to their callers.
    private func scheduleDeadlineCheck() {
        guard !isDeadlineCheckScheduled, inFlightHead < inFlight.count else { return }
        isDeadlineCheckScheduled = true
        let now = DispatchTime.now().uptimeNanoseconds
        let deadline = inFlight[inFlightHead].deadline
        loop.schedule(after: .nanoseconds(deadline > now ? deadline - now : 0)) { [weak self] in
            guard let self else { return }
            isDeadlineCheckScheduled = false
            guard inFlightHead < inFlight.count else { return }
            if inFlight[inFlightHead].deadline <= DispatchTime.now().uptimeNanoseconds {
                fail(.unavailable("redis at \(endpoint) did not answer within the command timeout"))
            } else {
                scheduleDeadlineCheck()
            }
        }
    }

    /// Drops the connection and fails every caller waiting on it. The next command reconnects at once; only failed
    /// connects back off.
    private func fail(_ error: StoreError) {
        if case .connected(let fd, let reader) = state {
            loop.deregister(fd)
            Glibc.close(fd)
            redisReaderFree(reader)
        }
        let waiting: [(commands: [RedisCommand], completion: Completion)]
        if case .connecting(let queued) = state { waiting = queued } else { waiting = [] }
        state = .disconnected
        let failed = inFlight[inFlightHead...].map(\.completion) + waiting.map(\.completion)
        inFlight = []
        inFlightHead = 0
        outbound = []
        outboundOffset = 0
        isWaitingForWritable = false
        failed.forEach { $0(.failure(error)) }
    }
}
