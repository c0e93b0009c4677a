import MCPProtocol
import Testing

@Suite("MCP server: the method router, with no I/O")
struct MCPServerTests {
    // MARK: - Fixtures

    /// A registry with `count` of each kind of entry, named `item0`, `item1`, … in order.
    static func registry(count: Int) throws -> MCPRegistry {
        let registry = MCPRegistry()
        for index in 0..<count {
            registry.add(try MCPTool(name: "item\(index)", description: "tool \(index)",
                                     inputSchema: ["type": "object"]) { _, _ in .text("ran \(index)") })
            registry.add(MCPResource(uri: "test://item\(index)", name: "item\(index)") { _ in [] })
            registry.add(MCPResourceTemplate(uriTemplate: "test://item\(index)/{id}", name: "item\(index)",
                                             read: { _, _, _ in [] }))
            registry.add(MCPPrompt(name: "item\(index)", render: { _, _ in (nil, []) }))
        }
        return registry
    }

    static let lists = [
        ("tools/list", "tools"), ("resources/list", "resources"), ("resources/templates/list", "resourceTemplates"),
        ("prompts/list", "prompts"),
    ]

    /// The `name` of every entry of one page.
    static func names(in page: JSONValue, key: String) -> [String] {
        (page["result"]?[key]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
    }

    // MARK: - Pagination

    @Test("lists page through the registry: nextCursor on every page but the last, page size respected",
          arguments: lists)
    func pagination(method: String, key: String) async throws {
        let harness = MCPServerHarness(registry: try Self.registry(count: 5), pageSize: 2)
        try await harness.initialize()
        var seen: [String] = []
        var cursors: [String] = []
        var params = "{}"
        for pageNumber in 1...3 {
            let page = try await harness.result(of: #"{"jsonrpc":"2.0","id":\#(pageNumber),"method":"\#(method)","params":\#(params)}"#)
            let names = Self.names(in: page, key: key)
            #expect(names.count == (pageNumber < 3 ? 2 : 1), "page \(pageNumber): \(names)")
            seen += names
            let next = page["result"]?["nextCursor"]?.stringValue
            #expect((next != nil) == (pageNumber < 3), "page \(pageNumber) nextCursor: \(String(describing: next))")
            guard let next else { break }
            cursors.append(next)
            params = #"{"cursor":"\#(next)"}"#
        }
        #expect(seen == (0..<5).map { "item\($0)" })
        #expect(Set(cursors).count == 2)
    }

    @Test("nextCursor is absent when the last page is exactly full, and on an empty list", arguments: lists)
    func noCursorAfterFullLastPage(method: String, key: String) async throws {
        let full = MCPServerHarness(registry: try Self.registry(count: 4), pageSize: 2)
        try await full.initialize()
        let first = try await full.result(of: #"{"jsonrpc":"2.0","id":1,"method":"\#(method)"}"#)
        let cursor = try #require(first["result"]?["nextCursor"]?.stringValue)
        let second = try await full.result(of: #"{"jsonrpc":"2.0","id":2,"method":"\#(method)","params":{"cursor":"\#(cursor)"}}"#)
        #expect(Self.names(in: second, key: key) == ["item2", "item3"])
        #expect(second["result"]?["nextCursor"] == nil)

        let empty = MCPServerHarness(registry: MCPRegistry(), pageSize: 2)
        try await empty.initialize()
        #expect(try await empty.send(#"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":{"cursor":null}}"#)
            == #"{"jsonrpc":"2.0","id":1,"result":{"\#(key)":[]}}"#)
    }

    @Test("a cursor the server did not issue is -32602",
          arguments: [#""nope""#, "5", #""p""#, #""pzz""#, #""p-1""#, #""P2""#, "{}"])
    func badCursor(cursor: String) async throws {
        let harness = MCPServerHarness(registry: try Self.registry(count: 5), pageSize: 2)
        try await harness.initialize()
        for (method, _) in Self.lists {
            #expect(try await harness.send(#"{"jsonrpc":"2.0","id":9,"method":"\#(method)","params":{"cursor":\#(cursor)}}"#)
                == #"{"jsonrpc":"2.0","id":9,"error":{"code":-32602,"message":"Invalid params: invalid cursor"}}"#)
        }
    }

    // MARK: - Resources and prompts

    @Test("resources/read of an unknown URI is -32002 naming the URI, from the registry or from a template's reader")
    func unknownResource() async throws {
        let registry = MCPRegistry()
        registry.add(MCPResource(uri: "test://known", name: "known") { _ in [MCPResourceContents(uri: "test://known", text: "{}")] })
        registry.add(MCPResourceTemplate(uriTemplate: "test://things/{id}", name: "thing", read: { uri, variables, _ in
            guard variables["id"] == "1" else { throw MCPServer.resourceNotFound(uri) }
            return [MCPResourceContents(uri: uri, text: "one")]
        }))
        let harness = MCPServerHarness(registry: registry)
        try await harness.initialize()
        #expect(try await harness.send(#"{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"test://nowhere"}}"#)
            == #"{"jsonrpc":"2.0","id":1,"error":{"code":-32002,"message":"Resource not found","data":{"uri":"test://nowhere"}}}"#)
        #expect(try await harness.send(#"{"jsonrpc":"2.0","id":2,"method":"resources/read","params":{"uri":"test://things/2"}}"#)
            == #"{"jsonrpc":"2.0","id":2,"error":{"code":-32002,"message":"Resource not found","data":{"uri":"test://things/2"}}}"#)
        #expect(try await harness.send(#"{"jsonrpc":"2.0","id":3,"method":"resources/read","params":{"uri":"test://things/1"}}"#)
            == #"{"jsonrpc":"2.0","id":3,"result":{"contents":[{"uri":"test://things/1","mimeType":"application/json","text":"one"}]}}"#)
    }

    @Test("prompts/get: a missing required argument, a non-string argument and an unknown prompt are -32602")
    func promptArguments() async throws {
        let registry = MCPRegistry()
        registry.add(MCPPrompt(
            name: "greet", arguments: [MCPPromptArgument(name: "who", isRequired: true), MCPPromptArgument(name: "tone")],
            render: { arguments, _ in ("greeting", [MCPPromptMessage(role: .user, content: .text("hi \(arguments["who"]!)"))]) }))
        let harness = MCPServerHarness(registry: registry)
        try await harness.initialize()
        #expect(try await harness.send(#"{"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{"name":"greet","arguments":{"tone":"warm"}}}"#)
            == #"{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"Invalid params: missing required argument: who"}}"#)
        #expect(try await harness.send(#"{"jsonrpc":"2.0","id":2,"method":"prompts/get","params":{"name":"greet"}}"#)
            == #"{"jsonrpc":"2.0","id":2,"error":{"code":-32602,"message":"Invalid params: missing required argument: who"}}"#)
        #expect(try await harness.send(#"{"jsonrpc":"2.0","id":3,"method":"prompts/get","params":{"name":"greet","arguments":{"who":3}}}"#)
            == #"{"jsonrpc":"2.0","id":3,"error":{"code":-32602,"message":"Invalid params: argument who must be a string"}}"#)
        #expect(try await harness.send(#"{"jsonrpc":"2.0","id":4,"method":"prompts/get","params":{"name":"nope"}}"#)
            == #"{"jsonrpc":"2.0","id":4,"error":{"code":-32602,"message":"Invalid params: unknown prompt: nope"}}"#)
        #expect(try await harness.send(#"{"jsonrpc":"2.0","id":5,"method":"prompts/get","params":{"name":"greet","arguments":{"who":"Ada"}}}"#)
            == #"{"jsonrpc":"2.0","id":5,"result":{"description":"greeting","messages":[{"role":"user","content":{"type":"text","text":"hi Ada"}}]}}"#)
    }

    @Test("resources/subscribe and unsubscribe change what the session is subscribed to; both answer {}")
    func subscriptions() async throws {
        let harness = MCPServerHarness()
        try await harness.initialize()
        #expect(try await harness.send(#"{"jsonrpc":"2.0","id":1,"method":"resources/subscribe","params":{"uri":"test://a"}}"#)
            == #"{"jsonrpc":"2.0","id":1,"result":{}}"#)
        #expect(harness.session.subscriptions == ["test://a"])
        #expect(try await harness.send(#"{"jsonrpc":"2.0","id":2,"method":"resources/unsubscribe","params":{"uri":"test://a"}}"#)
            == #"{"jsonrpc":"2.0","id":2,"result":{}}"#)
        #expect(harness.session.subscriptions.isEmpty)
        #expect(try await harness.send(#"{"jsonrpc":"2.0","id":3,"method":"resources/unsubscribe","params":{}}"#)
            == #"{"jsonrpc":"2.0","id":3,"error":{"code":-32602,"message":"Invalid params: uri must be a string"}}"#)
    }

    // MARK: - Logging

    @Test("logging/setLevel with a level that is not one of the eight is -32602",
          arguments: [#"{"level":"verbose"}"#, #"{"level":"INFO"}"#, #"{"level":3}"#, "{}"])
    func invalidLevel(params: String) async throws {
        let harness = MCPServerHarness()
        try await harness.initialize()
        let answer = try #require(try await harness.send(#"{"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":\#(params)}"#))
        #expect(answer.hasPrefix(#"{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"Invalid params: level must be one of debug, info, notice"#))
        #expect(harness.session.logLevel == .info)
    }

    @Test("logging/setLevel filters notifications/message: that level and more severe only, from requests and the session")
    func levelFilters() async throws {
        let registry = MCPRegistry()
        registry.add(try MCPTool(name: "chatty", description: "logs at every level", inputSchema: ["type": "object"]) { _, context in
            for level in MCPLogLevel.allCases { context.log(level, logger: "chatty", data: .string(level.rawValue)) }
            return .text("done")
        })
        let harness = MCPServerHarness(registry: registry)
        try await harness.initialize()
        func call(id: Int) -> String { #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"chatty"}}"# }

        // Before any setLevel the server sends info and above.
        _ = try await harness.send(call(id: 2))
        #expect(harness.notifications.count == 7)

        #expect(try await harness.send(#"{"jsonrpc":"2.0","id":3,"method":"logging/setLevel","params":{"level":"error"}}"#)
            == #"{"jsonrpc":"2.0","id":3,"result":{}}"#)
        _ = try await harness.send(call(id: 4))
        harness.session.log(.warning, logger: "session", data: "dropped")
        harness.session.log(.critical, logger: "session", data: "kept")
        #expect(Array(harness.notifications.dropFirst(7)) == [
            #"{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"error","logger":"chatty","data":"error"}}"#,
            #"{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"critical","logger":"chatty","data":"critical"}}"#,
            #"{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"alert","logger":"chatty","data":"alert"}}"#,
            #"{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"emergency","logger":"chatty","data":"emergency"}}"#,
            #"{"jsonrpc":"2.0","method":"notifications/message","params":{"level":"critical","logger":"session","data":"kept"}}"#,
        ])
    }

    // MARK: - Lifecycle

    @Test("initialize: a known version is echoed, any other answered with the latest; capabilities exactly what is served",
          arguments: [("2024-11-05", "2024-11-05"), ("2025-03-26", "2025-03-26"), ("2025-06-18", "2025-06-18"),
                      ("2025-11-25", "2025-11-25"), ("2026-07-28", "2025-11-25"), ("1999-01-01", "2025-11-25")])
    func initialize(requested: String, answered: String) async throws {
        let harness = MCPServerHarness()
        let answer = try await harness.send(MCPServerHarness.initializeRequest(version: requested))
        let title = answered >= "2025-06-18" ? #","title":"Test server""# : ""
        #expect(answer == #"{"jsonrpc":"2.0","id":1,"result":{"protocolVersion":"\#(answered)","#
            + #""capabilities":{"tools":{"listChanged":true},"resources":{"subscribe":true,"listChanged":true},"#
            + #""prompts":{"listChanged":true},"logging":{},"completions":{}},"#
            + #""serverInfo":{"name":"test-server","version":"1.2.3"\#(title)}}}"#)
        #expect(harness.session.protocolVersion?.rawValue == answered)
    }

    @Test("a second initialize is -32600 and keeps the version the first negotiated")
    func secondInitialize() async throws {
        let harness = MCPServerHarness()
        try await harness.initialize(version: "2025-03-26")
        #expect(try await harness.send(MCPServerHarness.initializeRequest(id: 2, version: "2025-11-25"))
            == #"{"jsonrpc":"2.0","id":2,"error":{"code":-32600,"message":"Invalid Request: the session is already initialized"}}"#)
        #expect(harness.session.protocolVersion == .v2025_03_26)
    }

    @Test("before initialize: ping is served, known methods are -32602, unknown ones -32601")
    func beforeInitialize() async throws {
        let harness = MCPServerHarness()
        #expect(try await harness.send(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#) == #"{"jsonrpc":"2.0","id":1,"result":{}}"#)
        #expect(try await harness.send(#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#)
            == #"{"jsonrpc":"2.0","id":2,"error":{"code":-32602,"message":"Invalid params: the session is not initialized; send initialize first"}}"#)
        #expect(try await harness.send(#"{"jsonrpc":"2.0","id":3,"method":"server/discover"}"#)
            == #"{"jsonrpc":"2.0","id":3,"error":{"code":-32601,"message":"Method not found: unknown method server/discover"}}"#)
        #expect(try await harness.send(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#) == nil)
    }

    // MARK: - Versions and content

    /// A result that uses every content type.
    static let everyContentType = MCPToolResult(
        content: [.text("hello"), .image(base64Data: "iVBO", mimeType: "image/png"),
                  .resourceLink(uri: "test://linked", name: "linked", mimeType: "text/plain"),
                  .resource(uri: "test://embedded", mimeType: nil, text: "inline")],
        structuredContent: ["answer": 42])

    /// A tool with an output schema whose result is `result`, and one without a schema.
    static func contentRegistry(result: MCPToolResult = everyContentType) throws -> MCPRegistry {
        let registry = MCPRegistry()
        registry.add(try MCPTool(
            name: "typed", title: "Typed", description: "has an output schema", inputSchema: ["type": "object"],
            outputSchema: ["type": "object", "properties": ["answer": ["type": "integer"]]],
            annotations: MCPToolAnnotations(readOnlyHint: true)) { _, _ in result })
        registry.add(try MCPTool(name: "untyped", description: "no output schema", inputSchema: ["type": "object"]) { _, _ in
            result
        })
        return registry
    }

    @Test("tools/call sends structuredContent and resource_link only to sessions at 2025-06-18 or later",
          arguments: MCPProtocolVersion.allCases)
    func contentByVersion(version: MCPProtocolVersion) async throws {
        let harness = MCPServerHarness(registry: try Self.contentRegistry())
        try await harness.initialize(version: version.rawValue)
        let isModern = version >= .v2025_06_18
        let link = isModern
            ? #"{"type":"resource_link","uri":"test://linked","name":"linked","mimeType":"text/plain"}"#
            : #"{"type":"text","text":"linked: test://linked"}"#
        let content = #"[{"type":"text","text":"hello"},{"type":"image","data":"iVBO","mimeType":"image/png"},"#
            + link + #",{"type":"resource","resource":{"uri":"test://embedded","text":"inline"}}]"#
        let structured = isModern ? #","structuredContent":{"answer":42}"# : ""
        #expect(try await harness.send(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"typed"}}"#)
            == #"{"jsonrpc":"2.0","id":2,"result":{"content":\#(content)\#(structured),"isError":false}}"#)
        // Without an output schema there is no structured content to promise, whatever the version.
        #expect(try await harness.send(#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"untyped"}}"#)
            == #"{"jsonrpc":"2.0","id":3,"result":{"content":\#(content),"isError":false}}"#)
    }

    @Test("a result returned again and again is serialized once per version and shaped for each session as a fresh one")
    func reusedResultEncodings() async throws {
        let fresh = try Self.contentRegistry()
        var memoized = Self.everyContentType
        // One memo, shared by every session and both tools, as a cached read's memoized result is.
        memoized.encodings = MCPToolResultEncodings()
        let reused = try Self.contentRegistry(result: memoized)
        // Newest first, then oldest: a version that reused another's encoding would show the wrong shape.
        for version in MCPProtocolVersion.allCases.reversed() + MCPProtocolVersion.allCases {
            let expected = MCPServerHarness(registry: fresh)
            let actual = MCPServerHarness(registry: reused)
            try await expected.initialize(version: version.rawValue)
            try await actual.initialize(version: version.rawValue)
            for (id, tool) in [(2, "typed"), (3, "untyped"), (4, "typed")] {
                let call = #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"\#(tool)"}}"#
                let answer = try #require(try await actual.send(call))
                #expect(answer == (try await expected.send(call)), "\(version) \(tool)")
            }
        }
    }

    @Test("tools/list leaves out what the session's version does not know: title and outputSchema, annotations",
          arguments: MCPProtocolVersion.allCases)
    func definitionsByVersion(version: MCPProtocolVersion) async throws {
        let harness = MCPServerHarness(registry: try Self.contentRegistry())
        try await harness.initialize(version: version.rawValue)
        let typed = try #require(try await harness.result(of: #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#)["result"]?["tools"]?[0])
        #expect((typed["title"] != nil) == (version >= .v2025_06_18))
        #expect((typed["outputSchema"] != nil) == (version >= .v2025_06_18))
        #expect((typed["annotations"] != nil) == (version >= .v2025_03_26))
        #expect(typed["inputSchema"] == ["type": "object"])
    }

    // MARK: - Failures and cancellation

    /// An error whose description holds what a client must never see.
    struct InternalFailure: Error, CustomStringConvertible {
        var description: String { "connect to 10.0.0.7:6379 failed: NOAUTH key mcpgw:secret" }
    }

    @Test("an unexpected failure is -32603 with a generic message, whatever the error says")
    func internalError() async throws {
        let registry = MCPRegistry()
        registry.add(MCPResource(uri: "test://broken", name: "broken") { _ in throw InternalFailure() })
        registry.add(MCPPrompt(name: "broken", render: { _, _ in throw InternalFailure() }))
        let harness = MCPServerHarness(registry: registry)
        try await harness.initialize()
        #expect(try await harness.send(#"{"jsonrpc":"2.0","id":4,"method":"resources/read","params":{"uri":"test://broken"}}"#)
            == #"{"jsonrpc":"2.0","id":4,"error":{"code":-32603,"message":"Internal error"}}"#)
        #expect(try await harness.send(#"{"jsonrpc":"2.0","id":"5","method":"prompts/get","params":{"name":"broken"}}"#)
            == #"{"jsonrpc":"2.0","id":"5","error":{"code":-32603,"message":"Internal error"}}"#)
    }

    @Test("notifications/cancelled cancels the request's task and nothing is delivered for it")
    func cancellation() async throws {
        let started = AsyncStream.makeStream(of: Void.self)
        let stopped = AsyncStream.makeStream(of: Bool.self)
        let registry = MCPRegistry()
        registry.add(try MCPTool(name: "forever", description: "runs until cancelled", inputSchema: ["type": "object"]) { _, _ in
            started.continuation.yield()
            // Sleeps until cancelled; a minute is far beyond the test's wait for the cancellation.
            let wasCancelled = (try? await Task.sleep(for: .seconds(60))) == nil
            stopped.continuation.yield(wasCancelled)
            return .text("finished")
        })
        let harness = MCPServerHarness(registry: registry)
        try await harness.initialize()
        let reply = harness.server.handle(
            try JSONRPCMessage.parse(bytes: Array(#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"forever"}}"#.utf8)),
            session: harness.session)
        guard case .deferred(let deferred) = reply else {
            Issue.record("tools/call was not deferred: \(reply)")
            return
        }
        async let response = harness.run(deferred)
        var startedIterator = started.stream.makeAsyncIterator()
        await startedIterator.next()
        #expect(harness.session.isInFlight(7))
        #expect(try await harness.send(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7}}"#) == nil)
        #expect(await response == nil)
        var stoppedIterator = stopped.stream.makeAsyncIterator()
        #expect(await stoppedIterator.next() == true)
        #expect(!harness.session.isInFlight(7))
        // The session goes on, and the id may be used again.
        #expect(try await harness.send(#"{"jsonrpc":"2.0","id":7,"method":"ping"}"#) == #"{"jsonrpc":"2.0","id":7,"result":{}}"#)
    }
}
