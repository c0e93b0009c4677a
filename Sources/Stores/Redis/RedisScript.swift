internal import Synchronization

/// A Lua script, run by the SHA1 Redis gave it at `SCRIPT LOAD`, so its text crosses the network once per server
/// restart rather than on every call.
package final class RedisScript: Sendable {
    package let source: String
    /// Kept as the bytes EVALSHA sends, so a run converts nothing.
    private let loadedSHA1 = Mutex<[UInt8]?>(nil)

    package init(_ source: String) {
        self.source = source
    }

    var sha1: [UInt8]? { loadedSHA1.withLock { $0 } }

    func remember(sha1: [UInt8]) {
        loadedSHA1.withLock { $0 = sha1 }
    }
}
