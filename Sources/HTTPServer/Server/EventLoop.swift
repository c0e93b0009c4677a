internal import CLinux
internal import Glibc
internal import Dispatch
internal import Synchronization

/// Something with a descriptor registered on an ``EventLoop``; told of readiness on the loop's thread.
protocol EventLoopSelectable: AnyObject {
    func handleEvents(readable: Bool, writable: Bool)
}

/// One thread that waits in `epoll_wait` and runs everything for its share of the connections: socket readiness,
/// tasks handed over from other threads, and a periodic sweep of deadlines.
///
/// Why not one Dispatch source per socket: libdispatch on Linux watches descriptors from its manager thread and hands
/// each event to a worker thread, which measured at about 0.7 context switches per request and half of nginx's
/// throughput. Here readiness is handled on the thread that observed it, as nginx and NIO do. Dispatch still hosts
/// the thread: each loop runs as the one long work item of its own serial queue, so the blocking `epoll_wait` never
/// occupies the cooperative pool. This blocking call is intended: it is the loop.
///
/// One sweep per loop instead of a timer per connection keeps an idle connection down to a descriptor, an epoll
/// registration and a small object, which is what lets one process hold tens of thousands of them.
///
/// Everything mutable that is not in a `Mutex` or `Atomic` is confined to the loop thread; that is what makes the
/// `@unchecked Sendable` sound.
final class EventLoop: @unchecked Sendable {
    private let queue: DispatchQueue
    private static let identityKey = DispatchSpecificKey<ObjectIdentifier>()
    private let epollFD: Int32
    private let wakeFD: Int32

    /// Registered descriptors. Loop-confined.
    private var selectables: [Int32: any EventLoopSelectable] = [:]
    /// Connections served by this loop, for deadline sweeps and drain. Loop-confined.
    private var connections: [ObjectIdentifier: HTTPConnection] = [:]
    /// Scratch space every read on this loop lands in before the parser copies what it keeps. Loop-confined.
    let readBuffer: UnsafeMutableRawBufferPointer
    private var cachedDate: (second: Int, value: String) = (0, "")
    private var sweepInterval: UInt64 = 1_000_000_000
    private var nextSweep: UInt64 = 0
    /// One-off timed tasks, in no order: they are rare (a paused listener), so a scan beats a heap. Loop-confined.
    private var scheduled: [(deadline: UInt64, task: () -> Void)] = []

    private let pendingTasks = Mutex<[@Sendable () -> Void]>([])
    /// Set while a wake-up is already on its way, so a burst of handed-over tasks writes the eventfd once.
    private let isWakeupPending = Atomic<Bool>(false)
    private let isRunning = Atomic<Bool>(false)
    private let finished = Mutex<[CheckedContinuation<Void, Never>]?>([])

    init(index: Int) {
        queue = DispatchQueue(label: "http.loop.\(index)", qos: .userInitiated)
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        precondition(epollFD >= 0 && wakeFD >= 0, "epoll_create1 or eventfd failed: \(String(cString: strerror(errno)))")
        readBuffer = .allocate(byteCount: 65536, alignment: 16)
        queue.setSpecific(key: Self.identityKey, value: ObjectIdentifier(self))
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = wakeFD
        epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event)
    }

    deinit {
        readBuffer.deallocate()
        Glibc.close(wakeFD)
        Glibc.close(epollFD)
    }

    /// Whether the caller runs on this loop's thread.
    var isCurrent: Bool {
        DispatchQueue.getSpecific(key: Self.identityKey) == ObjectIdentifier(self)
    }

    /// Starts the loop thread; deadlines are swept every `interval`.
    func start(sweepingEvery interval: Duration) {
        sweepInterval = max(1, interval.nanoseconds)
        isRunning.store(true, ordering: .releasing)
        queue.async { self.run() }
    }

    /// Asks the loop to finish after the current iteration and waits until it has.
    func stop() async {
        await withCheckedContinuation { continuation in
            let alreadyFinished = finished.withLock { waiters -> Bool in
                guard waiters != nil else { return true }
                waiters!.append(continuation)
                return false
            }
            if alreadyFinished {
                continuation.resume()
            } else {
                isRunning.store(false, ordering: .releasing)
                wake()
            }
        }
    }

    /// Runs `task` on the loop thread, soon; callable from any thread.
    func execute(_ task: @escaping @Sendable () -> Void) {
        pendingTasks.withLock { $0.append(task) }
        wake()
    }

    private func wake() {
        guard !isWakeupPending.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var one: UInt64 = 1
        _ = Glibc.write(wakeFD, &one, 8)
    }

    /// Runs `task` on the loop thread once `delay` has passed. Loop thread only.
    func schedule(after delay: Duration, _ task: @escaping () -> Void) {
        assertOnLoop()
        scheduled.append((DispatchTime.now().uptimeNanoseconds &+ delay.nanoseconds, task))
    }

    // MARK: - Registration (loop thread only)

    func register(_ fd: Int32, _ selectable: any EventLoopSelectable) {
        assertOnLoop()
        selectables[fd] = selectable
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLRDHUP.rawValue
        event.data.fd = fd
        epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event)
    }

    /// Chooses which readiness the loop reports for `fd`. Level-triggered: a condition is reported until handled.
    func setInterest(_ fd: Int32, readable: Bool, writable: Bool) {
        assertOnLoop()
        var event = epoll_event()
        event.events = (readable ? EPOLLIN.rawValue | EPOLLRDHUP.rawValue : 0) | (writable ? EPOLLOUT.rawValue : 0)
        event.data.fd = fd
        epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, &event)
    }

    /// Stops watching `fd`; the caller closes it afterwards.
    func deregister(_ fd: Int32) {
        assertOnLoop()
        selectables[fd] = nil
        epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
    }

    func add(_ connection: HTTPConnection) {
        assertOnLoop()
        connections[ObjectIdentifier(connection)] = connection
    }

    func remove(_ connection: HTTPConnection) {
        assertOnLoop()
        connections[ObjectIdentifier(connection)] = nil
    }

    /// Every connection on this loop, for drain and forced close.
    var allConnections: [HTTPConnection] {
        assertOnLoop()
        return Array(connections.values)
    }

    private func assertOnLoop() {
        dispatchPrecondition(condition: .onQueue(queue))
    }

    // MARK: - The loop

    private func run() {
        let capacity = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        nextSweep = DispatchTime.now().uptimeNanoseconds &+ sweepInterval
        while isRunning.load(ordering: .acquiring) {
            let now = DispatchTime.now().uptimeNanoseconds
            let wakeAt = scheduled.reduce(nextSweep) { min($0, $1.deadline) }
            let timeout = wakeAt > now ? Int32(min((wakeAt - now) / 1_000_000 + 1, 1000)) : 0
            let count = epoll_wait(epollFD, events, Int32(capacity), timeout)
            if count > 0 {
                for index in 0..<Int(count) {
                    let event = events[index]
                    let fd = event.data.fd
                    if fd == wakeFD {
                        var value: UInt64 = 0
                        _ = Glibc.read(wakeFD, &value, 8)
                        continue
                    }
                    // Hang-ups and errors surface as readable: the read then returns end-of-stream or the error.
                    let flags = event.events
                    let readable = flags & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue
                                            | EPOLLERR.rawValue) != 0
                    let writable = flags & (EPOLLOUT.rawValue | EPOLLERR.rawValue) != 0
                    selectables[fd]?.handleEvents(readable: readable, writable: writable)
                }
            }
            runPendingTasks()
            let afterEvents = DispatchTime.now().uptimeNanoseconds
            if !scheduled.isEmpty {
                let due = scheduled.filter { $0.deadline <= afterEvents }
                scheduled.removeAll { $0.deadline <= afterEvents }
                due.forEach { $0.task() }
            }
            if afterEvents >= nextSweep {
                nextSweep = afterEvents &+ sweepInterval
                for connection in connections.values {
                    connection.checkDeadlines(now: afterEvents)
                }
            }
        }
        runPendingTasks()
        let waiters = finished.withLock { waiters in
            defer { waiters = nil }
            return waiters ?? []
        }
        waiters.forEach { $0.resume() }
    }

    private func runPendingTasks() {
        isWakeupPending.store(false, ordering: .releasing)
        let tasks = pendingTasks.withLock { tasks in
            defer { tasks = [] }
            return tasks
        }
        // Tasks may hand over more tasks; those run on the next iteration, after the sockets had their turn.
        for task in tasks { task() }
    }

    /// The current IMF-fixdate for the `Date` header (RFC 9110 §5.6.7), formatted at most once a second.
    var httpDate: String {
        var now = time(nil)
        if Int(now) != cachedDate.second {
            var parts = tm()
            gmtime_r(&now, &parts)
            let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
            let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            func twoDigits(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
            let value = "\(days[Int(parts.tm_wday)]), \(twoDigits(parts.tm_mday)) \(months[Int(parts.tm_mon)]) "
                + "\(parts.tm_year + 1900) \(twoDigits(parts.tm_hour)):\(twoDigits(parts.tm_min)):"
                + "\(twoDigits(parts.tm_sec)) GMT"
            cachedDate = (Int(now), value)
        }
        return cachedDate.value
    }
}
