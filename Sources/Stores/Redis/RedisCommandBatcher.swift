internal import Dispatch
internal import Synchronization

/// Automatic pipelining on one connection: commands that callers send while the connection is busy are written
/// together in one go and their replies read in one go, instead of one round trip (and one queue hop) each. Under
/// load this turns many round trips into few; a lone command goes out as before. Replies are handed back in order
/// to the callers that sent them.
///
/// A failure of the connection (a timeout, Redis gone) fails every command of the batch it hit: none of them is
/// sent again, since Redis may have run them (the same rule as for a single command).
final class RedisCommandBatcher: Sendable {
    private let connection: RedisConnection

    private struct Waiting {
        var commands: [RedisCommand]
        var continuation: CheckedContinuation<Result<[RedisValue], StoreError>, Never>
    }

    private struct Pending {
        var waiting: [Waiting] = []
        /// Whether a drain is queued or running on the connection's queue; it takes what arrives meanwhile.
        var isDraining = false
    }

    private let pending = Mutex(Pending())

    init(connection: RedisConnection) {
        self.connection = connection
    }

    func execute(_ commands: [RedisCommand]) async -> Result<[RedisValue], StoreError> {
        await withCheckedContinuation { continuation in
            let startsDrain = pending.withLock { pending -> Bool in
                pending.waiting.append(Waiting(commands: commands, continuation: continuation))
                guard !pending.isDraining else { return false }
                pending.isDraining = true
                return true
            }
            if startsDrain { connection.queue.async { self.drain() } }
        }
    }

    /// Writes everything waiting, reads its replies, and repeats until nothing is left. Queue-confined.
    private func drain() {
        while true {
            let batch = pending.withLock { pending -> [Waiting] in
                let batch = pending.waiting
                pending.waiting = []
                if batch.isEmpty { pending.isDraining = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            switch connection.execute(batch.flatMap(\.commands)) {
            case .success(let replies):
                var offset = 0
                for waiting in batch {
                    let count = waiting.commands.count
                    waiting.continuation.resume(returning: .success(Array(replies[offset..<offset + count])))
                    offset += count
                }
            case .failure(let error):
                for waiting in batch { waiting.continuation.resume(returning: .failure(error)) }
            }
        }
    }
}
