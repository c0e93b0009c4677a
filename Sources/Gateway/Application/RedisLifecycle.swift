internal import Logging
internal import ServiceLifecycle
internal import Stores
internal import Synchronization

/// Runs what the Redis store needs while the gateway runs: its delivery subscription, and a PING twice a second
/// whose outcome is the `redis` readiness check, so `/health/ready` turns 503 while Redis is unreachable and 200
/// again within a second of its return.
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

    func run() async throws {
        store.start()
        await withGracefulShutdownHandler {
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                let reachable = (try? await store.client.send("PING")) == .simpleString("PONG")
                if lastPingSucceeded.exchange(reachable, ordering: .relaxed) != reachable {
                    if reachable {
                        logger.notice("redis reachable")
                    } else {
                        logger.error("redis unreachable")
                    }
                }
                try? await Task.sleep(for: .milliseconds(500))
            }
        } onGracefulShutdown: {}
        await store.stop()
    }
}
