internal import CHiredis
internal import Dispatch
internal import Glibc
internal import Synchronization

/// Counts successful connects across a client's connections, so one connection's success lets the others retry
/// at once instead of waiting out their own backoff after an outage.
final class RedisReconnectSignal: Sendable {
    private let connects = Atomic<UInt64>(0)

    var count: UInt64 { connects.load(ordering: .acquiring) }

    func connected() {
        connects.add(1, ordering: .releasing)
    }
}

/// One hiredis connection and the serial queue every call on it runs on.
///
/// hiredis's synchronous API blocks, so it runs here and never on the threads that serve HTTP or on the cooperative
/// pool. The context is owned by this object alone and confined to ``queue``, which is what makes the
/// `@unchecked Sendable` sound. After any I/O error the context is freed (hiredis cannot reuse it) and the next
/// call reconnects, no sooner than a capped, growing backoff allows, failing fast until then.
final class RedisConnection: @unchecked Sendable {
    let queue: DispatchQueue
    private let url: RedisURL
    private let connectTimeout: Duration
    private let commandTimeout: Duration?
    /// Confined to `queue`.
    private var context: UnsafeMutablePointer<redisContext>?
    private var retryAt: UInt64 = 0
    private var backoff: UInt64 = 0
    private let reconnects: RedisReconnectSignal
    /// The signal's count when this connection last failed.
    private var connectsAtFailure: UInt64 = 0

    private let maximumBackoff: UInt64

    private static let initialBackoff: UInt64 = 100_000_000

    /// - Parameters:
    ///   - commandTimeout: How long one command may take; nil blocks indefinitely (the subscriber, which relies on
    ///     TCP keep-alive and on ``interrupt(fd:)`` instead).
    ///   - maximumBackoff: The longest wait between failed connects; zero tries on every call (the readiness probe,
    ///     which must see Redis return at once and runs alone on its queue).
    init(url: RedisURL, connectTimeout: Duration, commandTimeout: Duration?, label: String,
         reconnects: RedisReconnectSignal = RedisReconnectSignal(), maximumBackoff: Duration = .seconds(2)) {
        queue = DispatchQueue(label: label)
        self.reconnects = reconnects
        self.url = url
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        let (seconds, attoseconds) = maximumBackoff.components
        self.maximumBackoff = UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }

    deinit {
        if let context { redisFree(context) }
    }

    /// Runs `commands` as one pipeline: all are written, then all replies read. Error replies are values; only a
    /// failure to talk to Redis is an error. Queue-confined.
    ///
    /// Nothing is ever sent twice: once a command may have reached Redis (a write succeeded, or a reply timed out)
    /// a failure is reported, because Redis may have run it, and a rate-limit check, an `INCR` or a `PUBLISH` must
    /// count once. A connection the server closed while idle (it restarted, or dropped idle clients) is noticed
    /// before anything is written, and replaced.
    func execute(_ commands: [RedisCommand]) -> Result<[RedisValue], StoreError> {
        dispatchPrecondition(condition: .onQueue(queue))
        if let context, Self.isClosedByPeer(context.pointee.fd) { disconnect() }
        do throws(StoreError) {
            let context = try connectedContext()
            for command in commands {
                let status = command.withArgv { argc, argv, lengths in
                    redisAppendCommandArgv(context, argc, argv, lengths)
                }
                guard status == REDIS_OK else { throw fail("write") }
            }
            var replies: [RedisValue] = []
            replies.reserveCapacity(commands.count)
            for _ in commands {
                replies.append(try readReply(context))
            }
            return .success(replies)
        } catch {
            return .failure(error)
        }
    }

    /// Whether an idle connection has something to read: between commands Redis sends nothing, so readable means
    /// end of stream (or an error), and the connection is dead.
    private static func isClosedByPeer(_ fd: Int32) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, 0)
        return ready != 0 && (ready < 0 || descriptor.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0)
    }

    /// Reads one reply, blocking until it arrives or the timeout passes. Queue-confined.
    func readReply() -> Result<RedisValue, StoreError> {
        dispatchPrecondition(condition: .onQueue(queue))
        do throws(StoreError) {
            return .success(try readReply(try connectedContext()))
        } catch {
            return .failure(error)
        }
    }

    /// Unblocks a read in progress from another thread by shutting the socket down; the read then fails and the
    /// connection is dropped. For stopping the subscriber.
    func interrupt(fd: Int32) {
        Glibc.shutdown(fd, Int32(SHUT_RDWR))
    }

    /// The socket, for ``interrupt(fd:)``; -1 when not connected. Queue-confined.
    var fileDescriptor: Int32 {
        dispatchPrecondition(condition: .onQueue(queue))
        return context?.pointee.fd ?? -1
    }

    /// Connects (with AUTH and SELECT, under the same backoff as commands) and hands the socket over: the caller
    /// owns the descriptor from then on, and this object keeps no context. For connections an event loop drives,
    /// whose connect, name lookup included, blocks and so happens here instead. Queue-confined.
    func connectAndDetachSocket() -> Result<Int32, StoreError> {
        dispatchPrecondition(condition: .onQueue(queue))
        do throws(StoreError) {
            let connected = try connectedContext()
            context = nil
            return .success(redisFreeKeepFd(connected))
        } catch {
            return .failure(error)
        }
    }

    /// Closes the connection. Queue-confined.
    func disconnect() {
        dispatchPrecondition(condition: .onQueue(queue))
        if let context { redisFree(context) }
        context = nil
    }

    private func readReply(_ context: UnsafeMutablePointer<redisContext>) throws(StoreError) -> RedisValue {
        var raw: UnsafeMutableRawPointer?
        guard redisGetReply(context, &raw) == REDIS_OK, let raw else { throw fail("read") }
        defer { freeReplyObject(raw) }
        return Self.value(of: raw.assumingMemoryBound(to: redisReply.self))
    }

    /// Copies a reply out of hiredis's memory, recursively for arrays.
    static func value(of reply: UnsafeMutablePointer<redisReply>) -> RedisValue {
        let reply = reply.pointee
        switch reply.type {
        case REDIS_REPLY_STRING:
            return .bulkString(bytes(reply.str, reply.len))
        case REDIS_REPLY_STATUS:
            return .simpleString(String(decoding: bytes(reply.str, reply.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            return .error(String(decoding: bytes(reply.str, reply.len), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            return .integer(Int64(reply.integer))
        case REDIS_REPLY_ARRAY:
            return .array((0..<reply.elements).map { value(of: reply.element[$0]!) })
        default:
            return .null
        }
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, _ count: Int) -> [UInt8] {
        guard let pointer, count > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// The open context, connecting (with AUTH and SELECT) if needed and the backoff allows.
    private func connectedContext() throws(StoreError) -> UnsafeMutablePointer<redisContext> {
        if let context { return context }
        let now = DispatchTime.now().uptimeNanoseconds
        guard now >= retryAt || reconnects.count != connectsAtFailure else {
            throw .unavailable("redis at \(url.endpointDescription) is unreachable; retrying shortly")
        }
        let timeout = Self.timeval(connectTimeout)
        let connected: UnsafeMutablePointer<redisContext>? =
            switch url.endpoint {
            case .tcp(let host, let port): redisConnectWithTimeout(host, Int32(port), timeout)
            case .unix(let path): redisConnectUnixWithTimeout(path, timeout)
            }
        guard let connected else { throw backOff("cannot allocate a redis context") }
        guard connected.pointee.err == 0 else {
            let reason = Self.errorText(connected)
            redisFree(connected)
            throw backOff("cannot connect to redis at \(url.endpointDescription): \(reason)")
        }
        context = connected
        if case .tcp = url.endpoint { redisEnableKeepAlive(connected) }
        // The connect timeout also became the socket's I/O timeout; set the one commands should have.
        redisSetTimeout(connected, commandTimeout.map(Self.timeval) ?? Glibc.timeval(tv_sec: 0, tv_usec: 0))
        var setup: [RedisCommand] = []
        if let password = url.password {
            setup.append(url.username.map { RedisCommand("AUTH", $0, password) } ?? RedisCommand("AUTH", password))
        }
        if url.database != 0 { setup.append(RedisCommand("SELECT", String(url.database))) }
        if !setup.isEmpty {
            for command in setup {
                _ = command.withArgv { argc, argv, lengths in redisAppendCommandArgv(connected, argc, argv, lengths) }
            }
            for (index, _) in setup.enumerated() {
                // The AUTH argument is never echoed: only Redis's own error text is kept.
                if case .error(let message) = try readReply(connected) {
                    disconnect()
                    let step = index == 0 && url.password != nil ? "AUTH" : "SELECT"
                    throw backOff("redis \(step) failed: \(message)")
                }
            }
        }
        backoff = 0
        reconnects.connected()
        return connected
    }

    /// Drops the connection after an I/O failure. The next call reconnects at once; only failed connects back off.
    private func fail(_ operation: String) -> StoreError {
        let reason = context.map(Self.errorText) ?? "not connected"
        disconnect()
        return .unavailable("redis \(operation) failed at \(url.endpointDescription): \(reason)")
    }

    private func backOff(_ reason: String) -> StoreError {
        connectsAtFailure = reconnects.count
        backoff = min(backoff == 0 ? Self.initialBackoff : backoff * 2, maximumBackoff)
        retryAt = DispatchTime.now().uptimeNanoseconds &+ backoff
        return .unavailable(reason)
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { buffer in
            String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    private static func timeval(_ duration: Duration) -> Glibc.timeval {
        let (seconds, attoseconds) = duration.components
        return Glibc.timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}

extension RedisURL {
    /// Host and port, or the socket path: where, without who.
    var endpointDescription: String {
        switch endpoint {
        case .tcp(let host, let port): "\(host):\(port)"
        case .unix(let path): path
        }
    }
}
