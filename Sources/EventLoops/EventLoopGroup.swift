internal import Glibc
internal import Synchronization

/// A fixed set of event loops that several users share: the HTTP server spreads its connections over them, and the
/// Redis client keeps a connection on each, so a request's task and the Redis commands it sends run on one thread.
package final class EventLoopGroup: Sendable {
    package let loops: [EventLoop]
    private let nextIndex = Atomic<Int>(0)
    private let isStarted = Atomic<Bool>(false)

    /// - Parameter count: How many loops; 0 means one per active processor.
    package init(count: Int, label: String) {
        let count = count > 0 ? count : max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        loops = (0..<count).map { EventLoop(label: "\(label).\($0)") }
    }

    /// One loop, started on first use and never stopped, for clients made without a group of their own (tests,
    /// tools); the gateway passes its HTTP server's group instead.
    package static let shared: EventLoopGroup = {
        let group = EventLoopGroup(count: 1, label: "shared.loop")
        group.start()
        return group
    }()

    /// Starts every loop's thread; later calls do nothing.
    package func start() {
        guard !isStarted.exchange(true, ordering: .acquiringAndReleasing) else { return }
        loops.forEach { $0.start() }
    }

    /// Stops every loop and waits until each has finished.
    package func stop() async {
        for loop in loops { await loop.stop() }
    }

    /// The next loop in turn, for spreading work.
    package func next() -> EventLoop {
        loops[nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue % loops.count]
    }

    /// The loop the caller runs on when it is one of this group's, so work stays on the caller's thread; otherwise the
    /// next one in turn.
    package func preferred() -> EventLoop {
        if let current = EventLoop.current, loops.contains(where: { $0 === current }) { return current }
        return next()
    }
}
