import HTTPServer
import Synchronization

/// Failures and delays that tests ask for, applied to matching requests (everything but `/__standin/…`) before
/// normal handling.
///
/// A rule matches on the full request path (`/api/v2/scenarios`, `/oauth/v2/token`) by prefix or regular
/// expression, and optionally on the method. It fires `count` times: it waits `delayMs`, then answers `status`
/// in Make's error shape (with `Retry-After` when `retryAfter` is given), or, without a status, lets the request
/// through late.
final class FaultInjector: Sendable {
    struct Rule: Sendable {
        var pathPrefix: String?
        var pathRegex: String?
        var method: String?
        var status: Int?
        var retryAfter: Int?
        var count: Int
        var delay: Duration

        /// A rule from its JSON form, or the reason it cannot be one.
        init(_ json: JSON) throws {
            guard json.objectValue != nil else { throw MakeError.badRequest("A fault rule must be an object.") }
            pathPrefix = try json.optionalString("pathPrefix") ?? json.optionalString("path")
            pathRegex = try json.optionalString("pathRegex") ?? json.optionalString("regex")
            if let pathRegex {
                do {
                    _ = try Regex(pathRegex)
                } catch {
                    throw MakeError.invalidParameter("pathRegex", expected: "a regular expression")
                }
            }
            method = try json.optionalString("method")?.uppercased()
            status = try json.optionalInt("status")
            if let status, !(400...599).contains(status) {
                throw MakeError.invalidParameter("status", expected: "an HTTP status from 400 to 599")
            }
            retryAfter = try json.optionalInt("retryAfter")
            count = try json.optionalInt("count") ?? 1
            guard count >= 1 else { throw MakeError.invalidParameter("count", expected: "a number of at least 1") }
            let milliseconds = try json.optionalInt("delayMs") ?? 0
            guard milliseconds >= 0 else { throw MakeError.invalidParameter("delayMs", expected: "0 or more") }
            delay = .milliseconds(milliseconds)
            guard status != nil || milliseconds > 0 else {
                throw MakeError.badRequest("A fault rule needs a status, a delayMs, or both.")
            }
        }

        func matches(method: HTTPMethod, path: String) -> Bool {
            if let expected = self.method, expected != method.rawValue { return false }
            if let pathPrefix, !path.hasPrefix(pathPrefix) { return false }
            if let pathRegex, let regex = try? Regex(pathRegex), path.firstMatch(of: regex) == nil { return false }
            return true
        }

        var json: JSON {
            [
                "pathPrefix": JSON(pathPrefix), "pathRegex": JSON(pathRegex), "method": JSON(method),
                "status": JSON(status), "retryAfter": JSON(retryAfter), "remaining": .int(count),
                "delayMs": .int(Int(delay / .milliseconds(1))),
            ]
        }
    }

    /// What to do to one request.
    struct Fault: Sendable {
        var delay: Duration
        /// The error to answer with after the delay, or nil to carry on normally.
        var error: MakeError?
    }

    private let rules = Mutex<[Rule]>([])

    func add(_ newRules: [Rule]) {
        rules.withLock { $0 += newRules }
    }

    func clear() {
        rules.withLock { $0 = [] }
    }

    var activeRules: [Rule] { rules.withLock { $0 } }

    /// The fault for this request, if a rule matches; the rule's count goes down by one.
    func take(method: HTTPMethod, path: String) -> Fault? {
        let rule = rules.withLock { rules -> Rule? in
            guard let index = rules.firstIndex(where: { $0.matches(method: method, path: path) }) else { return nil }
            let rule = rules[index]
            rules[index].count -= 1
            if rules[index].count == 0 { rules.remove(at: index) }
            return rule
        }
        guard let rule else { return nil }
        var error = rule.status.map { status in
            status == 429 ? MakeError.rateLimited(retryAfterSeconds: nil) : MakeError.injected(status: status)
        }
        if let retryAfter = rule.retryAfter {
            error?.headers.replaceOrAdd(name: "Retry-After", value: String(retryAfter))
        }
        return Fault(delay: rule.delay, error: error)
    }
}
