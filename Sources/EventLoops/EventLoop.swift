internal import CLinux
internal import Dispatch
internal import Glibc
internal import Synchronization

/// Something with a descriptor registered on an ``EventLoop``; told of readiness on the loop's thread.
package protocol EventLoopSelectable: AnyObject {
    func handleEvents(readable: Bool, writable: Bool)
}

/// One thread that waits in `epoll_wait` and runs everything for its share of the sockets: readiness, closures and
/// task jobs handed over from other threads, timers, and work deferred to the end of an iteration.
///
/// Why not one Dispatch source per socket: libdispatch on Linux watches descriptors from its manager thread and hands
/// each event to a worker thread, which measured at about 0.7 context switches per request and half of nginx's
/// throughput. Here readiness is handled on the thread that observed it, as nginx and NIO do. Dispatch still hosts
/// the thread: each loop runs as the one long work item of its own serial queue, so the blocking `epoll_wait` never
/// occupies the cooperative pool. This blocking call is intended: it is the loop.
///
/// The loop is also a `TaskExecutor`. A task started with it as its executor preference runs its nonisolated code on
/// the loop thread, so a request's task, the Redis replies it awaits and the response it writes all happen on the
/// thread that read the request, with no thread woken in between; a continuation resumed on the loop queues the
/// task's next job without even a system call. Only work handed over from other threads (a reply from libcurl's
/// thread, say) writes the loop's eventfd.
///
/// Everything mutable that is not in a `Mutex` or `Atomic` is confined to the loop thread; that is what makes the
/// `@unchecked Sendable` sound.
package final class EventLoop: TaskExecutor, @unchecked Sendable {
    private let queue: DispatchQueue
    private static let currentKey = DispatchSpecificKey<Reference>()
    private let epollFD: Int32
    private let wakeFD: Int32

    /// Registered descriptors. Loop-confined.
    private var selectables: [Int32: any EventLoopSelectable] = [:]
    /// Scratch space every read on this loop lands in before its reader copies what it keeps. Loop-confined.
    package let readBuffer: UnsafeMutableRawBufferPointer
    /// Timed tasks, in no order: a handful at most (sweeps, a paused listener, command deadlines), so a scan beats a
    /// heap. Loop-confined.
    private var scheduled: [(deadline: UInt64, task: () -> Void)] = []
    /// Tasks to run once this iteration's events and jobs are done, before the loop sleeps again. Loop-confined.
    private var deferred: [() -> Void] = []
    /// Task jobs enqueued from the loop thread itself. Loop-confined.
    private var localJobs: [UnownedJob] = []
    /// Set when the loop thread handed a closure to itself, so the next wait does not sleep. Loop-confined.
    private var hasOwnTasks = false

    private let pendingTasks = Mutex<[@Sendable () -> Void]>([])
    private let pendingJobs = Mutex<[UnownedJob]>([])
    /// Set while a wake-up is already on its way, so a burst of handed-over work writes the eventfd once.
    private let isWakeupPending = Atomic<Bool>(false)
    private let isRunning = Atomic<Bool>(false)
    /// Set once the loop thread has returned: jobs enqueued after that go to the global executor instead, so a task
    /// that prefers this loop still finishes.
    private let hasFinished = Atomic<Bool>(false)
    private let finished = Mutex<[CheckedContinuation<Void, Never>]?>([])

    /// How many rounds of jobs one iteration runs before it polls the sockets again, so tasks that keep resuming
    /// each other cannot starve the sockets.
    private static let jobRoundsPerIteration = 64

    /// Lets ``current`` find the loop from its queue without retaining it.
    private struct Reference {
        unowned let loop: EventLoop
    }

    package init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        precondition(epollFD >= 0 && wakeFD >= 0, "epoll_create1 or eventfd failed: \(String(cString: strerror(errno)))")
        readBuffer = .allocate(byteCount: 65536, alignment: 16)
        queue.setSpecific(key: Self.currentKey, value: Reference(loop: self))
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

    /// The loop whose thread the caller runs on, if any.
    package static var current: EventLoop? {
        DispatchQueue.getSpecific(key: currentKey)?.loop
    }

    /// Whether the caller runs on this loop's thread.
    package var isCurrent: Bool {
        DispatchQueue.getSpecific(key: Self.currentKey)?.loop === self
    }

    /// Starts the loop thread.
    package func start() {
        isRunning.store(true, ordering: .releasing)
        queue.async { self.run() }
    }

    /// Asks the loop to finish after the current iteration and waits until it has.
    package func stop() async {
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

    /// Runs `task` on the loop thread, soon; callable from any thread. Closures from every thread share one queue, so
    /// their order is the order of the calls.
    ///
    /// - Returns: false when the loop has finished and the task will never run (it belongs to sockets that are
    ///   closed by then); a caller awaiting it must not wait.
    @discardableResult
    package func execute(_ task: @escaping @Sendable () -> Void) -> Bool {
        let isTaken = pendingTasks.withLock { tasks in
            guard !hasFinished.load(ordering: .acquiring) else { return false }
            tasks.append(task)
            return true
        }
        guard isTaken else { return false }
        if isCurrent {
            hasOwnTasks = true
        } else {
            wake()
        }
        return true
    }

    /// Runs a task job on the loop thread (the `TaskExecutor` requirement); callable from any thread.
    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        if isCurrent {
            localJobs.append(job)
            return
        }
        guard !hasFinished.load(ordering: .acquiring) else {
            globalConcurrentExecutor.enqueue(job)
            return
        }
        pendingJobs.withLock { $0.append(job) }
        wake()
        // The loop may have finished between the check and the append, leaving the job where nothing runs it.
        if hasFinished.load(ordering: .acquiring) { runOrphanedJobs() }
    }

    /// Runs `task` on the loop thread and returns once it has run, or at once when the loop has finished and so
    /// refuses it: for work that must be done on the loop before the caller goes on (closing what lives there).
    package func submit(_ task: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { continuation in
            let isTaken = execute {
                task()
                continuation.resume()
            }
            if !isTaken { continuation.resume() }
        }
    }

    private func wake() {
        guard !isWakeupPending.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var one: UInt64 = 1
        _ = Glibc.write(wakeFD, &one, 8)
    }

    /// Runs `task` on the loop thread once `delay` has passed. Loop thread only.
    package func schedule(after delay: Duration, _ task: @escaping () -> Void) {
        assertOnLoop()
        scheduled.append((DispatchTime.now().uptimeNanoseconds &+ delay.nanoseconds, task))
    }

    /// Runs `task` at the end of this iteration, after every event and job it brings, before the loop waits again:
    /// work that gathers (bytes for one socket written once) rather than repeats. Loop thread only.
    package func deferUntilIdle(_ task: @escaping () -> Void) {
        assertOnLoop()
        deferred.append(task)
    }

    // MARK: - Registration (loop thread only)

    package func register(_ fd: Int32, _ selectable: any EventLoopSelectable) {
        assertOnLoop()
        selectables[fd] = selectable
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLRDHUP.rawValue
        event.data.fd = fd
        epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event)
    }

    /// Chooses which readiness the loop reports for `fd`. Level-triggered: a condition is reported until handled.
    package func setInterest(_ fd: Int32, readable: Bool, writable: Bool) {
        assertOnLoop()
        var event = epoll_event()
        event.events = (readable ? EPOLLIN.rawValue | EPOLLRDHUP.rawValue : 0) | (writable ? EPOLLOUT.rawValue : 0)
        event.data.fd = fd
        epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, &event)
    }

    /// Stops watching `fd`; the caller closes it afterwards.
    package func deregister(_ fd: Int32) {
        assertOnLoop()
        selectables[fd] = nil
        epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, nil)
    }

    package func assertOnLoop() {
        dispatchPrecondition(condition: .onQueue(queue))
    }

    // MARK: - The loop

    private func run() {
        let capacity = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        var hasLeftoverJobs = false
        while isRunning.load(ordering: .acquiring) {
            var timeout: Int32 = 1000
            if hasLeftoverJobs || hasOwnTasks || !localJobs.isEmpty || !deferred.isEmpty {
                timeout = 0
            } else if !scheduled.isEmpty {
                let now = DispatchTime.now().uptimeNanoseconds
                let wakeAt = scheduled.reduce(UInt64.max) { min($0, $1.deadline) }
                timeout = wakeAt > now ? Int32(min((wakeAt - now) / 1_000_000 + 1, 1000)) : 0
            }
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
            hasLeftoverJobs = runHandedOverWork()
            runDeferred()
            if !scheduled.isEmpty {
                let afterEvents = DispatchTime.now().uptimeNanoseconds
                let due = scheduled.filter { $0.deadline <= afterEvents }
                scheduled.removeAll { $0.deadline <= afterEvents }
                due.forEach { $0.task() }
            }
        }
        _ = runHandedOverWork()
        runDeferred()
        // Closed under the queue's lock, so every closure is either run here or refused by execute.
        let late = pendingTasks.withLock { tasks in
            hasFinished.store(true, ordering: .releasing)
            defer { tasks = [] }
            return tasks
        }
        late.forEach { $0() }
        for job in localJobs { globalConcurrentExecutor.enqueue(job) }
        localJobs = []
        runOrphanedJobs()
        let waiters = finished.withLock { waiters in
            defer { waiters = nil }
            return waiters ?? []
        }
        waiters.forEach { $0.resume() }
    }

    /// Runs the closures and jobs handed over since the last iteration, then the jobs those enqueue, for a bounded
    /// number of rounds; returns whether jobs are left for the next iteration.
    private func runHandedOverWork() -> Bool {
        isWakeupPending.store(false, ordering: .releasing)
        hasOwnTasks = false
        let tasks = pendingTasks.withLock { tasks in
            defer { tasks = [] }
            return tasks
        }
        // Tasks may hand over more tasks; those run on the next iteration, after the sockets had their turn.
        for task in tasks { task() }
        let executor = asUnownedTaskExecutor()
        for _ in 0..<Self.jobRoundsPerIteration {
            var jobs = localJobs
            localJobs = []
            jobs += pendingJobs.withLock { jobs in
                defer { jobs = [] }
                return jobs
            }
            guard !jobs.isEmpty else { return false }
            for job in jobs { job.runSynchronously(on: executor) }
        }
        return !localJobs.isEmpty || !pendingJobs.withLock(\.isEmpty)
    }

    private func runDeferred() {
        while !deferred.isEmpty {
            let tasks = deferred
            deferred = []
            for task in tasks { task() }
        }
    }

    /// Hands jobs that other threads enqueued after the loop finished to the global executor.
    private func runOrphanedJobs() {
        let jobs = pendingJobs.withLock { jobs in
            defer { jobs = [] }
            return jobs
        }
        for job in jobs { globalConcurrentExecutor.enqueue(job) }
    }
}

extension Duration {
    /// The duration in whole nanoseconds, saturating, for arithmetic on `DispatchTime` uptimes.
    package var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? UInt64.max : whole &+ UInt64(attoseconds / 1_000_000_000)
    }
}
