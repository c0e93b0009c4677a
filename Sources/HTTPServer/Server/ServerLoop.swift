internal import Dispatch
internal import EventLoops
internal import Glibc

/// One server's share of one event loop: the connections it serves there, swept for deadlines, and the `Date`
/// header, formatted at most once a second.
///
/// One sweep per loop instead of a timer per connection keeps an idle connection down to a descriptor, an epoll
/// registration and a small object, which is what lets one process hold tens of thousands of them.
///
/// Everything mutable is confined to the loop thread; that is what makes the `@unchecked Sendable` sound.
final class ServerLoop: @unchecked Sendable {
    let eventLoop: EventLoop
    private var connections: [ObjectIdentifier: HTTPConnection] = [:]
    private var cachedDate: (second: Int, value: String) = (0, "")
    private var isSweeping = false

    init(eventLoop: EventLoop) {
        self.eventLoop = eventLoop
    }

    func add(_ connection: HTTPConnection) {
        eventLoop.assertOnLoop()
        connections[ObjectIdentifier(connection)] = connection
    }

    func remove(_ connection: HTTPConnection) {
        eventLoop.assertOnLoop()
        connections[ObjectIdentifier(connection)] = nil
    }

    /// Every connection on this loop, for drain and forced close.
    var allConnections: [HTTPConnection] {
        eventLoop.assertOnLoop()
        return Array(connections.values)
    }

    /// Checks every connection's deadlines each `interval` until ``stopSweeping()``. Loop thread only.
    func startSweeping(every interval: Duration) {
        eventLoop.assertOnLoop()
        isSweeping = true
        scheduleSweep(after: interval)
    }

    func stopSweeping() {
        eventLoop.assertOnLoop()
        isSweeping = false
    }

    private func scheduleSweep(after interval: Duration) {
        eventLoop.schedule(after: interval) { [self] in
            guard isSweeping else { return }
            let now = DispatchTime.now().uptimeNanoseconds
            for connection in connections.values {
                connection.checkDeadlines(now: now)
            }
            scheduleSweep(after: interval)
        }
    }

    /// The current IMF-fixdate for the `Date` header (RFC 9110 §5.6.7).
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
