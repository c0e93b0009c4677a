internal import Logging
internal import ServiceLifecycle
internal import Stores
internal import Synchronization

/// Runs what the Redis store needs while the gateway runs: its delivery subscription, and a PING every
/// ``probeInterval`` whose outcome, with the subscription's, is the `redis` readiness check.
///
/// `/health/ready` turns 503 while Redis is unreachable, and 200 again within half a second of its return: the
/// probe's own connection tries a connect on every PING (no backoff), so the first PING after Redis returns
/// succeeds, at most ``probeInterval`` later; that connect releases the subscriber from its backoff, and it
/// resubscribes within its 100 ms retry.
final class RedisLifecycle: Service, ReadinessCheck, Sendable {
    let name = "redis"
    private let store: RedisSessionStore
    private let logger: Logger
    private let lastPingSucceeded = Atomic<Bool>(false)

    init(store: RedisSessionStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    var isReady: Bool { lastPingSucceeded.load(ordering: .relaxed) && store.isSubscribed }

    static let probeInterval = Duration.milliseconds(250)

    func run() async throws {
        store.start()
        await withGracefulShutdownHandler {
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                let reachable = await store.client.isReachable()
                if lastPingSucceeded.exchange(reachable, ordering: .relaxed) != reachable {
                    if reachable {
                        logger.notice("redis reachable")
                    } else {
                        logger.error("redis unreachable")
                    }
                }
                try? await Task.sleep(for: Self.probeInterval)
            }
        } onGracefulShutdown: {}
        await store.stop()
    }
}
