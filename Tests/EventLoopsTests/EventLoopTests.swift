import Dispatch
import EventLoops
import Synchronization
import Testing

@Suite("Event loop", .timeLimit(.minutes(1)))
struct EventLoopTests {
    /// Resumes on another thread, as a reply from another subsystem (libcurl's thread, say) would.
    private static func resumedFromAnotherThread() async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume() }
        }
    }

    @Test("a task preferring the loop runs on its thread, and returns there after a resumption from another thread")
    func taskExecutor() async throws {
        let group = EventLoopGroup(count: 1, label: "test.loop")
        group.start()
        let loop = group.loops[0]
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
        await group.stop()
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

    @Test("closures handed to the loop run in the order they were handed over, from any thread")
    func executeOrder() async throws {
        let group = EventLoopGroup(count: 1, label: "test.loop")
        group.start()
        let loop = group.loops[0]
        let seen = Mutex<[Int]>([])
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            loop.execute {
                // Handed over from the loop itself, interleaved with ones from elsewhere.
                for index in 0..<100 {
                    loop.execute { seen.withLock { $0.append(index) } }
                }
                loop.execute { done.resume() }
            }
        }
        #expect(seen.withLock { $0 } == Array(0..<100))
        await group.stop()
    }

    @Test("work deferred until idle runs once the iteration's closures are done, and sees all of them")
    func deferUntilIdle() async throws {
        let group = EventLoopGroup(count: 1, label: "test.loop")
        group.start()
        let loop = group.loops[0]
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
        await group.stop()
    }

    @Test("a scheduled task runs after its delay, on the loop")
    func schedule() async throws {
        let group = EventLoopGroup(count: 1, label: "test.loop")
        group.start()
        let loop = group.loops[0]
        let clock = ContinuousClock()
        let started = clock.now
        let onLoop = await withCheckedContinuation { (done: CheckedContinuation<Bool, Never>) in
            loop.execute {
                loop.schedule(after: .milliseconds(50)) { done.resume(returning: loop.isCurrent) }
            }
        }
        #expect(onLoop)
        #expect(clock.now - started >= .milliseconds(50))
        await group.stop()
    }
}
