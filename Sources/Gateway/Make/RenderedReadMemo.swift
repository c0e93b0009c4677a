internal import MCPProtocol
internal import Stores
internal import Synchronization

/// Tool results already rendered from cached Make answers, so a cache hit that returns the bytes it returned last
/// time skips parsing them and rendering the result again: for a list of a few KB those two are most of a hit's work.
///
/// An entry is used only when the bytes the cache just returned are identical to the ones it was rendered from, so
/// it shows exactly what a fresh render of those bytes would: an invalidated or replaced cache entry (from any
/// replica) returns other bytes or none and is rendered afresh. Entries are filed under the cache key, which holds
/// the identity, and the tool, whose result rule picks what is shown. Bounded: when full it starts over, a cost of
/// one render per entry.
final class RenderedReadMemo: Sendable {
    private struct Key: Hashable {
        var cacheKey: CacheKey
        var tool: String
    }

    private struct Entry {
        var body: [UInt8]
        var result: MCPToolResult
    }

    private let entries = Mutex<[Key: Entry]>([:])
    private let capacity: Int

    init(capacity: Int = 512) {
        self.capacity = capacity
    }

    /// The result rendered for `tool` from exactly `body`, when there is one.
    func result(for cacheKey: CacheKey, tool: String, body: [UInt8]) -> MCPToolResult? {
        entries.withLock { entries in
            guard let entry = entries[Key(cacheKey: cacheKey, tool: tool)], entry.body.hasSameBytes(as: body) else {
                return nil
            }
            return entry.result
        }
    }

    func remember(_ result: MCPToolResult, for cacheKey: CacheKey, tool: String, body: [UInt8]) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[Key(cacheKey: cacheKey, tool: tool)] = Entry(body: body, result: result)
        }
    }
}
