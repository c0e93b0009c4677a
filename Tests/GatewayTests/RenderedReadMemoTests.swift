import MCPProtocol
import Stores
import Testing

@testable import Gateway

/// The memo of tool results rendered from cached Make answers: reused only for the very bytes it was rendered from,
/// never across identities or tools, and bounded.
@Suite("Rendered read memo")
struct RenderedReadMemoTests {
    let alice = CacheKey(identity: "token:alice", method: "GET", url: "/scenarios?teamId=1")
    let bob = CacheKey(identity: "token:bob", method: "GET", url: "/scenarios?teamId=1")
    let body = Array(#"{"scenarios":[{"id":1}]}"#.utf8)

    @Test("the same bytes give the remembered result; other bytes, identities or tools give none")
    func matching() {
        let memo = RenderedReadMemo()
        memo.remember(.text("alice's list"), for: alice, tool: "scenarios_list", body: body)
        #expect(memo.result(for: alice, tool: "scenarios_list", body: body) == .text("alice's list"))
        #expect(memo.result(for: alice, tool: "scenarios_list", body: Array(#"{"scenarios":[]}"#.utf8)) == nil)
        #expect(memo.result(for: bob, tool: "scenarios_list", body: body) == nil)
        #expect(memo.result(for: alice, tool: "scenarios_get", body: body) == nil)
    }

    @Test("crossing the capacity starts over instead of growing")
    func bounded() {
        let memo = RenderedReadMemo(capacity: 2)
        let keys = (1...3).map { CacheKey(identity: "token:alice", method: "GET", url: "/scenarios/\($0)") }
        for key in keys { memo.remember(.text(key.url), for: key, tool: "scenarios_get", body: body) }
        #expect(memo.result(for: keys[0], tool: "scenarios_get", body: body) == nil)
        #expect(memo.result(for: keys[1], tool: "scenarios_get", body: body) == nil)
        #expect(memo.result(for: keys[2], tool: "scenarios_get", body: body) == .text(keys[2].url))
    }
}
