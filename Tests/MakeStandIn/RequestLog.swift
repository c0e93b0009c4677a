import Foundation
import Synchronization

/// What the stand-in was asked, for tests to assert retries, cache hits and outbound rate limits: totals per route
/// template and status, and the most recent requests. The Authorization header is reduced to its scheme; tokens are
/// never kept.
final class RequestLog: Sendable {
    struct Entry: Sendable {
        var method: String
        var path: String
        /// `GET /scenarios/{scenarioId}` for API calls, the plain path for the rest.
        var route: String
        var query: String
        /// `Token`, `Bearer`, another scheme's name, or nil without an Authorization header.
        var authScheme: String?
        var bodyBytes: Int
        var status: Int
        var receivedAt: Date
        var duration: Duration
        var wasInjected: Bool
        var wasRateLimited: Bool

        var json: JSON {
            [
                "method": .string(method), "path": .string(path), "route": .string(route), "query": .string(query),
                "authScheme": JSON(authScheme), "bodyBytes": .int(bodyBytes), "status": .int(status),
                "time": .date(receivedAt), "timeMs": .int(Int(receivedAt.timeIntervalSince1970 * 1000)),
                "durationMs": .int(Int(duration / .milliseconds(1))), "faultInjected": .bool(wasInjected),
                "rateLimited": .bool(wasRateLimited),
            ]
        }
    }

    private struct Counters {
        var total = 0
        var byRoute: [String: Int] = [:]
        var byStatus: [Int: Int] = [:]
        var faultsInjected = 0
        var rateLimited = 0
        var recent: [Entry] = []
    }

    private let capacity: Int
    private let counters = Mutex(Counters())

    init(capacity: Int) {
        self.capacity = capacity
    }

    func record(_ entry: Entry) {
        counters.withLock { counters in
            counters.total += 1
            counters.byRoute[entry.route, default: 0] += 1
            counters.byStatus[entry.status, default: 0] += 1
            if entry.wasInjected { counters.faultsInjected += 1 }
            if entry.wasRateLimited { counters.rateLimited += 1 }
            counters.recent.append(entry)
            if counters.recent.count > capacity { counters.recent.removeFirst(counters.recent.count - capacity) }
        }
    }

    func reset() {
        counters.withLock { $0 = Counters() }
    }

    /// `GET /__standin/requests`.
    var json: JSON {
        counters.withLock { counters in
            [
                "total": .int(counters.total),
                "byRoute": .object(counters.byRoute.mapValues(JSON.int)),
                "byStatus": .object(Dictionary(uniqueKeysWithValues: counters.byStatus.map { (String($0), .int($1)) })),
                "faultsInjected": .int(counters.faultsInjected),
                "rateLimited": .int(counters.rateLimited),
                "recent": .array(counters.recent.map(\.json)),
            ]
        }
    }
}
