import Dispatch
import EventLoops
import Synchronization
import Testing

@Suite("Event loop", .timeLimit(.minutes(1)))
struct EventLoopTests {
    /// Runs `body` with the one loop of a group started for it, and stops the group afterwards.
    private static func withLoop<Result>(_ body: (EventLoop) async throws -> Result) async rethrows -> Result {
        let group = EventLoopGroup(count: 1, label: "test.loop")
        group.start()
        let result = try await body(group.loops[0])
        await group.stop()
        return result
    }

    /// Resumes on another thread, as a reply from another subsystem (libcurl's thread, say) would.
    private static func resumedFromAnotherThread() async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume() }
        }
    }

    @Test("a task preferring the loop runs on its thread, and returns there after a resumption from another thread")
    func taskExecutor() async throws {
        try await Self.withLoop { loop in
            let places = await Task(executorPreference: loop) { () -> [Bool] in
                var places = [loop.isCurrent]
                await Self.resumedFromAnotherThread()
                places.append(loop.isCurrent)
                async let child = loop.isCurrent
                places.append(await child)
                return places
            }.value
            #expect(places == [true, true, true])
            #expect(!loop.isCurrent)
            #expect(EventLoop.current == nil)
        }
    }

    @Test("a task preferring a loop that has stopped still finishes, on the global executor")
    func stoppedLoop() async throws {
        let group = EventLoopGroup(count: 1, label: "test.loop")
        group.start()
        let loop = group.loops[0]
        let entered = AsyncStream.makeStream(of: Void.self)
        let release = AsyncStream.makeStream(of: Void.self)
        let task = Task(executorPreference: loop) { () -> Bool in
            entered.continuation.yield()
            for await _ in release.stream { break }
            return loop.isCurrent
        }
        for await _ in entered.stream { break }
        await group.stop()
        release.continuation.yield()
        #expect(await task.value == false)
    }

    @Test("once the loop has finished it refuses closures, so nobody waits for one that will never run")
    func executeAfterFinish() async throws {
        let group = EventLoopGroup(count: 1, label: "test.loop")
        group.start()
        let loop = group.loops[0]
        let ran = await withCheckedContinuation { (done: CheckedContinuation<Bool, Never>) in
            #expect(loop.execute { done.resume(returning: true) })
        }
        #expect(ran)
        await group.stop()
        #expect(!loop.execute {})
    }

    @Test("closures the loop hands itself run after the current one, in the order they were handed over")
    func executeOrder() async throws {
        try await Self.withLoop { loop in
            let seen = Mutex<[Int]>([])
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                loop.execute {
                    // None runs inside this closure: each waits for the loop's next round of handed-over work.
                    for index in 0..<100 {
                        loop.execute { seen.withLock { $0.append(index) } }
                    }
                    seen.withLock { $0.append(-1) }
                    loop.execute { done.resume() }
                }
            }
            #expect(seen.withLock { $0 } == [-1] + Array(0..<100))
        }
    }

    @Test("work deferred until idle runs once the iteration's closures are done, and sees all of them")
    func deferUntilIdle() async throws {
        try await Self.withLoop { loop in
            let observed = await withCheckedContinuation { (done: CheckedContinuation<[Int], Never>) in
                loop.execute {
                    nonisolated(unsafe) var gathered: [Int] = []
                    var isDeferred = false
                    for index in 0..<10 {
                        gathered.append(index)
                        if !isDeferred {
                            isDeferred = true
                            loop.deferUntilIdle { done.resume(returning: gathered) }
                        }
                    }
                }
            }
            #expect(observed == Array(0..<10))
        }
    }

    @Test("a scheduled task runs after its delay, on the loop")
    func schedule() async throws {
        try await Self.withLoop { loop in
            let clock = ContinuousClock()
            let started = clock.now
            let onLoop = await withCheckedContinuation { (done: CheckedContinuation<Bool, Never>) in
                loop.execute {
                    loop.schedule(after: .milliseconds(50)) { done.resume(returning: loop.isCurrent) }
                }
            }
            #expect(onLoop)
            #expect(clock.now - started >= .milliseconds(50))
        }
    }
}
