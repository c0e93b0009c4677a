@testable import Gateway
import MCPProtocol
import Synchronization
import Testing

@Suite("Live session", .timeLimit(.minutes(1)))
struct LiveSessionTests {
    @Test("a copy of a session held elsewhere relays every message, however many it has relayed before")
    func relayStaysFlat() {
        let relayed = Atomic<Int>(0)
        let mcp = MCPSession(id: "s") { _ in }
        let session = LiveSession(id: "s", transport: .legacySSE, mcp: mcp) { _ in
            relayed.add(1, ordering: .relaxed)
        }
        // When the relay lived in a Mutex, each call wrapped it in two more thunks: this many calls took minutes
        // and then overflowed the stack.
        let count = 300_000
        for index in 0..<count {
            session.sendOnLegacyStream(.notification(method: "notifications/message", params: ["n": .integer(Int64(index))]))
        }
        #expect(relayed.load(ordering: .relaxed) == count)
    }
}
