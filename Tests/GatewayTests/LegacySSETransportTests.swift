import Foundation
import TestSupport
import Testing

/// An HTTP+SSE session opened by hand: the stream, and a second connection for the posts.
struct LegacySession {
    let stream: RawHTTPConnection
    let events: ServerSentEventReader
    let poster: RawHTTPConnection
    let endpoint: String

    /// - Parameter poster: A connection to post on that other sessions share, for tests that hold many sessions;
    ///   only one task may post on it at a time. Without one the session gets its own.
    static func open(port: Int, poster: RawHTTPConnection? = nil) async throws -> LegacySession {
        let stream = try await RawHTTPConnection.connect(port: port)
        try await stream.send("GET /sse HTTP/1.1\r\nHost: t\r\nAccept: text/event-stream\r\n\r\n")
        let head = try await stream.readHead()
        guard head.status == 200 else { throw RawHTTPConnection.Failure(description: "GET /sse: \(head.status)") }
        let events = ServerSentEventReader(stream)
        let first = try #require(try await events.next())
        #expect(first.event == "endpoint")
        let ownPoster: RawHTTPConnection
        if let poster { ownPoster = poster } else { ownPoster = try await RawHTTPConnection.connect(port: port) }
        return LegacySession(stream: stream, events: events, poster: ownPoster, endpoint: first.data)
    }

    /// Posts a JSON body to the endpoint and returns the POST's own response.
    @discardableResult
    func post(_ json: String, contentType: String = "application/json", path: String? = nil,
              headers: [String: String] = [:]) async throws -> TestHTTPResponse
    {
        let target = path ?? endpoint
        var head = "POST \(target) HTTP/1.1\r\nHost: t\r\nContent-Type: \(contentType)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        try await poster.send(head + "Content-Length: \(json.utf8.count)\r\n\r\n\(json)")
        return try await poster.readResponse()
    }

    /// The next message event's data on the stream.
    func nextMessage() async throws -> String {
        let event = try #require(try await events.nextMessage())
        #expect(event.event == "message")
        return event.data
    }

    func initialize(version: String = "2024-11-05") async throws {
        try await post(#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"\#(version)","#
            + #""capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#)
        #expect(try await nextMessage().contains(#""protocolVersion":"\#(version)""#))
        try await post(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
    }
}

@Suite("MCP HTTP+SSE transport over raw HTTP", .timeLimit(.minutes(2)))
struct LegacySSETransportTests {
    @Test("GET /sse: event-stream headers and an endpoint event carrying the session id and PUBLIC_URL's prefix")
    func streamHeadAndEndpoint() async throws {
        let gateway = try await GatewayProcess.launch(environment: ["PUBLIC_URL": "https://gw.example.com/make"])
        defer { gateway.stop() }
        let stream = try await RawHTTPConnection.connect(port: gateway.port)
        try await stream.send("GET /sse HTTP/1.1\r\nHost: t\r\nAccept: text/event-stream\r\n\r\n")
        let head = try await stream.readHead()
        #expect(head.status == 200)
        #expect(head.header("Content-Type") == "text/event-stream")
        #expect(head.header("Cache-Control")?.contains("no-cache") == true)
        #expect(head.header("X-Accel-Buffering") == "no")
        let endpoint = try #require(try await ServerSentEventReader(stream).next())
        #expect(endpoint.event == "endpoint")
        #expect(endpoint.data.hasPrefix("/make/messages?sessionId="))
        #expect(endpoint.data.count == "/make/messages?sessionId=".count + 32)
    }

    @Test("POST /messages: 202 for every accepted message, the answer on the stream, ids echoed with their type")
    func messagesAndIDs() async throws {
        let gateway = try await GatewayProcess.launch()
        defer { gateway.stop() }
        let session = try await LegacySession.open(port: gateway.port)
        let accepted = try await session.post(
            #"{"jsonrpc":"2.0","id":"1","method":"initialize","params":{"protocolVersion":"2024-11-05","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#)
        #expect(accepted.status == 202)
        #expect(try await session.nextMessage().hasPrefix(#"{"jsonrpc":"2.0","id":"1","result":"#))
        // A notification is never answered: the next event answers the ping after it.
        #expect(try await session.post(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#).status == 202)
        try await session.post(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#)
        #expect(try await session.nextMessage() == #"{"jsonrpc":"2.0","id":1,"result":{}}"#)
        try await session.post(#"{"jsonrpc":"2.0","id":"1","method":"ping"}"#)
        #expect(try await session.nextMessage() == #"{"jsonrpc":"2.0","id":"1","result":{}}"#)
        try await session.post(#"{"jsonrpc":"2.0","id":7,"method":"no/such"}"#)
        #expect(try await session.nextMessage().contains(#""id":7,"error":{"code":-32601"#))
        try await session.post(#"{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"arguments":{}}}"#)
        #expect(try await session.nextMessage().contains(#""id":8,"error":{"code":-32602"#))
        try await session.post(#"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"gateway_info"}}"#)
        let info = try await session.nextMessage()
        #expect(info.contains(#""id":9,"result":{"content":[{"type":"text""#))
        #expect(info.contains(#"\"store\":\"memory\""#))
    }

    @Test("requests before initialize are refused, except ping")
    func beforeInitialize() async throws {
        let gateway = try await GatewayProcess.launch()
        defer { gateway.stop() }
        let session = try await LegacySession.open(port: gateway.port)
        try await session.post(#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#)
        #expect(try await session.nextMessage().contains(#""id":1,"error":{"code":-32602"#))
        try await session.post(#"{"jsonrpc":"2.0","id":2,"method":"ping"}"#)
        #expect(try await session.nextMessage() == #"{"jsonrpc":"2.0","id":2,"result":{}}"#)
    }

    @Test("session_id is accepted too; missing 400, unknown 404, not JSON 400 with -32700, wrong type 415")
    func postStatuses() async throws {
        let gateway = try await GatewayProcess.launch()
        defer { gateway.stop() }
        let session = try await LegacySession.open(port: gateway.port)
        let id = String(session.endpoint.split(separator: "=").last!)
        #expect(try await session.post(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#,
                                        path: "/messages?session_id=\(id)").status == 202)
        #expect(try await session.nextMessage() == #"{"jsonrpc":"2.0","id":1,"result":{}}"#)

        let missing = try await session.post(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#, path: "/messages")
        #expect(missing.status == 400)
        let unknown = try await session.post(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#,
                                             path: "/messages?sessionId=0123456789abcdef0123456789abcdef")
        #expect(unknown.status == 404)
        let garbage = try await session.post("{not json")
        #expect(garbage.status == 400)
        #expect(garbage.bodyText.contains(#""id":null,"error":{"code":-32700"#))
        let notRPC = try await session.post(#"{"hello":1}"#)
        #expect(notRPC.status == 400)
        #expect(notRPC.bodyText.contains(#""code":-32600"#))
        let text = try await session.post(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#, contentType: "text/plain")
        #expect(text.status == 415)
        try await session.poster.send("GET /messages HTTP/1.1\r\nHost: t\r\n\r\n")
        let wrongMethod = try await session.poster.readResponse()
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.header("Allow") == "POST")
    }

    @Test("batches only where the negotiated version allows them")
    func batches() async throws {
        let gateway = try await GatewayProcess.launch()
        defer { gateway.stop() }
        let old = try await LegacySession.open(port: gateway.port)
        try await old.initialize(version: "2024-11-05")
        let refused = try await old.post(#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#)
        #expect(refused.status == 400)
        #expect(refused.bodyText.contains(#""code":-32600"#))

        let batching = try await LegacySession.open(port: gateway.port)
        try await batching.initialize(version: "2025-03-26")
        #expect(try await batching.post(#"[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","id":2,"method":"ping"}]"#)
            .status == 202)
        let answers = [try await batching.nextMessage(), try await batching.nextMessage()]
        #expect(answers == [#"{"jsonrpc":"2.0","id":1,"result":{}}"#, #"{"jsonrpc":"2.0","id":2,"result":{}}"#])
    }

    @Test("a batch element whose id cannot be read refuses the whole POST with an id-less error; none goes on the stream")
    func batchWithUnreadableID() async throws {
        let gateway = try await GatewayProcess.launch()
        defer { gateway.stop() }
        let session = try await LegacySession.open(port: gateway.port)
        try await session.initialize(version: "2025-03-26")
        for element in ["7", #"{"jsonrpc":"2.0","id":1.5,"method":"ping"}"#, #"{"jsonrpc":"2.0","id":null,"result":{}}"#] {
            let refused = try await session.post(#"[{"jsonrpc":"2.0","id":1,"method":"ping"},\#(element)]"#)
            #expect(refused.status == 400)
            #expect(refused.bodyText.hasPrefix(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"#), "\(refused.bodyText)")
        }
        // Nothing of the refused batches ran and no id-null error reached the stream: the next event answers this.
        try await session.post(#"{"jsonrpc":"2.0","id":2,"method":"ping"}"#)
        #expect(try await session.nextMessage() == #"{"jsonrpc":"2.0","id":2,"result":{}}"#)
    }

    @Test("a batch element that is invalid but has an id gets its error, for that id, on the stream; the rest runs")
    func batchWithInvalidElement() async throws {
        let gateway = try await GatewayProcess.launch()
        defer { gateway.stop() }
        let session = try await LegacySession.open(port: gateway.port)
        try await session.initialize(version: "2025-03-26")
        #expect(try await session.post(#"[{"jsonrpc":"2.0","id":3},{"jsonrpc":"2.0","id":4,"method":"ping"}]"#).status == 202)
        #expect(try await session.nextMessage()
            == #"{"jsonrpc":"2.0","id":3,"error":{"code":-32600,"message":"Invalid Request: method is missing"}}"#)
        #expect(try await session.nextMessage() == #"{"jsonrpc":"2.0","id":4,"result":{}}"#)
    }

    @Test("the 2026-07-28 probe posted to the message endpoint: 202, then -32601 for its id on the stream")
    func modernProbe() async throws {
        let gateway = try await GatewayProcess.launch()
        defer { gateway.stop() }
        let session = try await LegacySession.open(port: gateway.port)
        // As mcp 2.3.0's Client sends it (mcp.md §5.9), to the endpoint the stream named.
        let probe = try await session.post(
            #"{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","#
                + #""io.modelcontextprotocol/clientInfo":{"name":"mcp","version":"0.1.0"},"io.modelcontextprotocol/clientCapabilities":{}}}}"#,
            headers: ["MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "server/discover"])
        #expect(probe.status == 202)
        #expect(try await session.nextMessage()
            == #"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Method not found: unknown method server/discover"}}"#)
        // The client falls back to initialize on the same session.
        try await session.initialize(version: "2025-11-25")
        try await session.post(#"{"jsonrpc":"2.0","id":2,"method":"ping"}"#)
        #expect(try await session.nextMessage() == #"{"jsonrpc":"2.0","id":2,"result":{}}"#)
    }

    @Test("a cancelled request sends nothing more and its work stops; the session goes on")
    func cancellation() async throws {
        let gateway = try await GatewayProcess.launch(environment: ["DIAGNOSTIC_TOOLS": "on", "LOG_LEVEL": "debug"])
        defer { gateway.stop() }
        let session = try await LegacySession.open(port: gateway.port)
        try await session.initialize()
        try await session.post(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"gateway_wait","arguments":{"milliseconds":60000,"steps":600},"_meta":{"progressToken":"p"}}}"#)
        #expect(try await session.nextMessage().contains(#""method":"notifications/progress""#))
        try await session.post(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}"#)
        try await session.post(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"gateway_wait","arguments":{"milliseconds":30}}}"#)
        // Progress sent before the cancellation took effect may still arrive (that race is normal); the first
        // response must be the second call's: the cancelled one never answers. Its work stopped early, as it logs.
        var next = try await session.nextMessage()
        while next.contains(#""method":"notifications/"#) { next = try await session.nextMessage() }
        #expect(next.contains(#""id":2,"result""#), "\(next)")
        #expect(try #require(await gateway.waitForCancelledWait(requestID: "1")) < 600)
    }

    @Test("closing the stream cancels the session's work in flight")
    func closingCancelsWork() async throws {
        let gateway = try await GatewayProcess.launch(environment: ["DIAGNOSTIC_TOOLS": "on", "LOG_LEVEL": "debug"])
        defer { gateway.stop() }
        let session = try await LegacySession.open(port: gateway.port)
        try await session.initialize()
        try await session.post(#"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"gateway_wait","arguments":{"milliseconds":60000,"steps":600},"_meta":{"progressToken":"p"}}}"#)
        #expect(try await session.nextMessage().contains(#""method":"notifications/progress""#))
        await session.stream.closeAbruptly()
        #expect(try #require(await gateway.waitForCancelledWait(requestID: "5")) < 600)
    }

    @Test("idle streams get keep-alive comments")
    func keepAlive() async throws {
        let gateway = try await GatewayProcess.launch(environment: ["SSE_KEEPALIVE_INTERVAL": "100ms"])
        defer { gateway.stop() }
        let session = try await LegacySession.open(port: gateway.port)
        let event = try #require(try await session.events.next())
        #expect(event.comments == ["keep-alive"])
        #expect(event.event == nil)
    }

    @Test("closing the stream ends the session: its posts then get 404")
    func closingEndsSession() async throws {
        let gateway = try await GatewayProcess.launch()
        defer { gateway.stop() }
        let session = try await LegacySession.open(port: gateway.port)
        await session.stream.closeAbruptly()
        #expect(try await eventually {
            try await session.post(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#).status == 404
        })
    }

    @Test("500 sessions open at once, each getting only its own responses")
    func manySessions() async throws {
        // 2,500 requests from one address: above the default per-identity limit, which is not what this tests.
        let gateway = try await GatewayProcess.launch(environment: ["RATE_LIMIT_REQUESTS": "0"])
        defer { gateway.stop() }
        let count = 500
        // Posts go over a few shared connections, each used by one task at a time: what is tested is 500 streams
        // held at once, and 1,000 sockets in this process would only slow down the tests running beside it.
        var posters: [RawHTTPConnection] = []
        for _ in 0..<10 { posters.append(try await RawHTTPConnection.connect(port: gateway.port)) }
        let sharedPosters = posters
        // Every stream is open, its endpoint event read, before any session posts: all 500 are held at once.
        let sessions = try await withThrowingTaskGroup(of: (Int, LegacySession).self) { group in
            for index in 0..<count {
                group.addTask {
                    (index, try await LegacySession.open(port: gateway.port, poster: sharedPosters[index % 10]))
                }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(sessions.count == count)
        #expect(Set(sessions.values.map(\.endpoint)).count == count)

        /// Each poster's task posts `suffixes` for its sessions in turn while every stream is read at once; each
        /// stream's next events must be exactly its own answers, in order.
        func exchange(_ suffixes: [String]) async throws {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<10 {
                    group.addTask {
                        for index in stride(from: lane, to: count, by: 10) {
                            let session = try #require(sessions[index])
                            for suffix in suffixes {
                                try await session.post(#"{"jsonrpc":"2.0","id":"s\#(index)-\#(suffix)","method":"ping"}"#)
                            }
                        }
                    }
                }
                for (index, session) in sessions {
                    group.addTask {
                        for suffix in suffixes {
                            let message = try await session.nextMessage()
                            #expect(message == #"{"jsonrpc":"2.0","id":"s\#(index)-\#(suffix)","result":{}}"#)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        try await exchange(["a", "b"])
        // Every session has had its answers and all the others theirs; a last ping per session must be the next
        // event on each stream, so nothing meant for another session is waiting on it.
        try await exchange(["c"])
    }
}
