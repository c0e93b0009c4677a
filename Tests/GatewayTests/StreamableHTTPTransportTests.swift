import Foundation
import TestSupport
import Testing

/// A raw Streamable HTTP client on one keep-alive connection.
struct StreamableClient {
    let connection: RawHTTPConnection
    var sessionID: String?
    var path = "/mcp"
    /// Sent as `Authorization: Bearer …` when set.
    var bearer: String?

    static func connect(port: Int) async throws -> StreamableClient {
        StreamableClient(connection: try await RawHTTPConnection.connect(port: port))
    }

    /// A client on a new connection to `port` for the session another client opened, perhaps on another replica.
    static func connect(port: Int, joining sessionID: String?) async throws -> StreamableClient {
        var client = try await connect(port: port)
        client.sessionID = sessionID
        return client
    }

    func post(_ json: String, headers: [String: String] = [:], accept: String? = "application/json, text/event-stream",
              contentType: String = "application/json") async throws -> TestHTTPResponse
    {
        var head = "POST \(path) HTTP/1.1\r\nHost: t\r\nContent-Type: \(contentType)\r\n"
        if let accept { head += "Accept: \(accept)\r\n" }
        if let sessionID { head += "Mcp-Session-Id: \(sessionID)\r\n" }
        if let bearer { head += "Authorization: Bearer \(bearer)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        try await connection.send(head + "Content-Length: \(json.utf8.count)\r\n\r\n\(json)")
        return try await connection.readResponse()
    }

    /// Sends a POST without waiting for its response, for a request that stays unanswered while the test acts;
    /// read the response later from ``connection``.
    func send(_ json: String) async throws {
        var head = "POST \(path) HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            + "Accept: application/json, text/event-stream\r\n"
        if let sessionID { head += "Mcp-Session-Id: \(sessionID)\r\n" }
        try await connection.send(head + "Content-Length: \(json.utf8.count)\r\n\r\n\(json)")
    }

    /// Posts and reads only the head, for responses that are event streams.
    func postForStream(_ json: String) async throws -> TestHTTPResponse {
        var head = "POST \(path) HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
            + "Accept: application/json, text/event-stream\r\n"
        if let sessionID { head += "Mcp-Session-Id: \(sessionID)\r\n" }
        if let bearer { head += "Authorization: Bearer \(bearer)\r\n" }
        try await connection.send(head + "Content-Length: \(json.utf8.count)\r\n\r\n\(json)")
        return try await connection.readHead()
    }

    func get(headers: [String: String] = [:], accept: String = "text/event-stream") async throws -> TestHTTPResponse {
        var head = "GET \(path) HTTP/1.1\r\nHost: t\r\nAccept: \(accept)\r\n"
        if let sessionID { head += "Mcp-Session-Id: \(sessionID)\r\n" }
        if let bearer { head += "Authorization: Bearer \(bearer)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        try await connection.send(head + "\r\n")
        let response = try await connection.readHead()
        // A refusal has a body to consume; a stream's body is read by the caller.
        return response.status == 200 ? response : try await connection.readBody(of: response)
    }

    mutating func initialize(version: String = "2025-06-18") async throws {
        let response = try await post(
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"\#(version)","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#)
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "application/json")
        let issued: String = try #require(response.header("Mcp-Session-Id"))
        sessionID = issued
        #expect(try await post(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
                               headers: ["MCP-Protocol-Version": version]).status == 202)
    }
}

@Suite("MCP Streamable HTTP transport over raw HTTP", .timeLimit(.minutes(2)))
struct StreamableHTTPTransportTests {
    @Test("initialize issues a session id; requests get JSON, notifications 202; /mcp/ works without a redirect")
    func basics() async throws {
        let gateway = try await GatewayProcess.launch()
        defer { gateway.stop() }
        var client = try await StreamableClient.connect(port: gateway.port)
        client.path = "/mcp/"
        try await client.initialize()
        let ping = try await client.post(#"{"jsonrpc":"2.0","id":"p","method":"ping"}"#)
        #expect(ping.status == 200)
        #expect(ping.bodyText == #"{"jsonrpc":"2.0","id":"p","result":{}}"#)
        #expect(ping.header("Mcp-Session-Id") == client.sessionID)
        let list = try await client.post(#"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#)
        #expect(list.bodyText.contains(#""name":"gateway_info""#))
        let call = try await client.post(#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"gateway_info"}}"#)
        #expect(call.bodyText.contains(#""structuredContent":{"version""#))
    }

    @Test("LIST_PAGE_SIZE: tools/list pages through every tool, with nextCursor only while more remain")
    func listPageSize() async throws {
        let gateway = try await GatewayProcess.launch(environment: ["LIST_PAGE_SIZE": "1", "DIAGNOSTIC_TOOLS": "on"])
        defer { gateway.stop() }
        var client = try await StreamableClient.connect(port: gateway.port)
        try await client.initialize()
        var names: [String] = []
        var params = "{}"
        for id in 2...3 {
            let page = try #require(try await client.post(#"{"jsonrpc":"2.0","id":\#(id),"method":"tools/list","params":\#(params)}"#)
                .jsonBody?["result"] as? [String: Any])
            let tools = try #require(page["tools"] as? [[String: Any]])
            #expect(tools.count == 1)
            names += tools.compactMap { $0["name"] as? String }
            let next = page["nextCursor"] as? String
            #expect((next != nil) == (id == 2))
            params = #"{"cursor":"\#(next ?? "")"}"#
        }
        #expect(names == ["gateway_info", "gateway_wait"])
    }

    @Test("missing session 400, unknown 404, DELETE ends the session")
    func sessionStatuses() async throws {
        let gateway = try await GatewayProcess.launch()
        defer { gateway.stop() }
        var client = try await StreamableClient.connect(port: gateway.port)
        let missing = try await client.post(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#)
        #expect(missing.status == 400)
        #expect(missing.bodyText.contains("Missing session ID"))
        client.sessionID = "0123456789abcdef0123456789abcdef"
        let unknown = try await client.post(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#)
        #expect(unknown.status == 404)
        #expect(unknown.bodyText.contains(#""id":null,"error":{"code":-32600,"message":"Session not found"}"#))
        try await client.initialize()
        try await client.connection.send("DELETE /mcp HTTP/1.1\r\nHost: t\r\nMcp-Session-Id: \(client.sessionID!)\r\n\r\n")
        #expect(try await client.connection.readResponse().status == 200)
        #expect(try await client.post(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#).status == 404)
    }

    @Test("an initialize carrying a stale session id starts a new session")
    func staleSessionOnInitialize() async throws {
        let gateway = try await GatewayProcess.launch()
        defer { gateway.stop() }
        var client = try await StreamableClient.connect(port: gateway.port)
        client.sessionID = "stale"
        try await client.initialize()
        #expect(client.sessionID != "stale")
    }

    @Test("protocol version header: unsupported 400; the 2026-07-28 probe gets the answer clients fall back on")
    func versionHeader() async throws {
        let gateway = try await GatewayProcess.launch()
        defer { gateway.stop() }
        let client = try await StreamableClient.connect(port: gateway.port)
        let probe = try await client.post(
            #"{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{}}"#,
            headers: ["MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "server/discover"])
        #expect(probe.status == 400)
        #expect(probe.bodyText == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Bad Request: Unsupported protocol version: 2026-07-28 (supported: 2025-11-25, 2025-06-18, 2025-03-26, 2024-11-05)"}}"#)
        #expect(try await client.post(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#,
                                      headers: ["MCP-Protocol-Version": "1999-01-01"]).status == 400)
    }

    @Test("Origin outside PUBLIC_URL and the allow-list is 403; listed ones pass")
    func origin() async throws {
        let gateway = try await GatewayProcess.launch(environment: [
            "PUBLIC_URL": "https://gw.example.com", "ALLOWED_ORIGINS": "https://app.example.com",
        ])
        defer { gateway.stop() }
        let client = try await StreamableClient.connect(port: gateway.port)
        let initialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#
        #expect(try await client.post(initialize, headers: ["Origin": "https://evil.example"]).status == 403)
        #expect(try await client.post(initialize, headers: ["Origin": "https://GW.example.com:443"]).status == 200)
        #expect(try await client.post(initialize, headers: ["Origin": "https://app.example.com"]).status == 200)
        #expect(try await client.post(initialize).status == 200)
        let sse = try await RawHTTPConnection.connect(port: gateway.port)
        try await sse.send("GET /sse HTTP/1.1\r\nHost: t\r\nOrigin: http://localhost:6274\r\n\r\n")
        #expect(try await sse.readResponse().status == 403)
    }

    @Test("Accept is lenient but not blind; Content-Type must be JSON; other methods 405 with Allow")
    func acceptAndContentType() async throws {
        let gateway = try await GatewayProcess.launch()
        defer { gateway.stop() }
        var client = try await StreamableClient.connect(port: gateway.port)
        let initialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#
        #expect(try await client.post(initialize, accept: "text/event-stream").status == 200)
        #expect(try await client.post(initialize, accept: "application/json").status == 200)
        #expect(try await client.post(initialize, accept: "*/*").status == 200)
        #expect(try await client.post(initialize, accept: nil).status == 200)
        #expect(try await client.post(initialize, accept: "text/html;q=0.9, Application/*;q=0.5").status == 200)
        #expect(try await client.post(initialize, accept: "*/*;q=0.1").status == 200)
        #expect(try await client.post(initialize, accept: "text/html").status == 406)
        #expect(try await client.post(initialize, accept: "application/jsonx, text").status == 406)
        #expect(try await client.post(initialize, contentType: "text/plain").status == 415)
        let garbage = try await client.post("{oops")
        #expect(garbage.status == 400)
        #expect(garbage.bodyText.contains(#""id":null,"error":{"code":-32700"#))
        try await client.initialize()
        #expect(try await client.get(accept: "application/json").status == 406)
        try await client.connection.send("PUT /mcp HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n")
        let put = try await client.connection.readResponse()
        #expect(put.status == 405)
        #expect(put.header("Allow") == "DELETE, GET, HEAD, POST")
    }

    @Test("a request with a progress token gets an event stream: priming event, progress, then the result")
    func progressStream() async throws {
        let gateway = try await GatewayProcess.launch(environment: ["DIAGNOSTIC_TOOLS": "on"])
        defer { gateway.stop() }
        var client = try await StreamableClient.connect(port: gateway.port)
        try await client.initialize(version: "2025-11-25")
        let head = try await client.postForStream(#"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"gateway_wait","arguments":{"milliseconds":30,"steps":2},"_meta":{"progressToken":7}}}"#)
        #expect(head.status == 200)
        #expect(head.header("Content-Type") == "text/event-stream")
        let events = ServerSentEventReader(client.connection)
        let priming = try #require(try await events.next())
        #expect(priming.data == "")
        #expect(priming.id?.hasSuffix("-0") == true)
        var progress: [String] = []
        var result: String?
        while let event = try await events.next() {
            if event.data.contains("notifications/progress") { progress.append(event.data) }
            if event.data.contains(#""id":5"#) { result = event.data }
        }
        #expect(progress.count == 2)
        #expect(progress.first?.contains(#""progressToken":7"#) == true)
        #expect(result?.contains(#""text":"waited 30 ms in 2 steps""#) == true)
    }

    @Test("a request cancelled while its POST streams: the stream ends with no message for it, and its work stops")
    func cancelStreamedRequest() async throws {
        let gateway = try await GatewayProcess.launch(environment: ["DIAGNOSTIC_TOOLS": "on", "LOG_LEVEL": "debug"])
        defer { gateway.stop() }
        var client = try await StreamableClient.connect(port: gateway.port)
        try await client.initialize()
        let head = try await client.postForStream(#"{"jsonrpc":"2.0","id":41,"method":"tools/call","params":{"name":"gateway_wait","arguments":{"milliseconds":60000,"steps":600},"_meta":{"progressToken":"t"}}}"#)
        #expect(head.status == 200)
        #expect(head.header("Content-Type") == "text/event-stream")
        let events = ServerSentEventReader(client.connection)
        #expect(try await events.nextMessage()?.data.contains(#""method":"notifications/progress""#) == true)

        let canceller = try await StreamableClient.connect(port: gateway.port, joining: client.sessionID)
        #expect(try await canceller.post(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":41}}"#)
            .status == 202)
        // Progress sent before the cancellation took effect may still come (that race is normal); then the stream
        // ends, and nothing on it answers request 41.
        var rest: [String] = []
        while let event = try await events.next() {
            if !event.data.isEmpty { rest.append(event.data) }
        }
        #expect(!rest.contains { $0.contains(#""id":41"#) }, "\(rest)")
        #expect(rest.allSatisfy { $0.contains(#""method":"notifications/"#) }, "\(rest)")
        let stoppedAt = try #require(await gateway.waitForCancelledWait(requestID: "41"))
        #expect(stoppedAt < 600)
        // The connection and the session go on.
        #expect(try await client.post(#"{"jsonrpc":"2.0","id":42,"method":"ping"}"#).bodyText
            == #"{"jsonrpc":"2.0","id":42,"result":{}}"#)
    }

    @Test("a request cancelled while its POST waits for JSON: an empty event stream answers it, and its work stops")
    func cancelJSONRequest() async throws {
        let gateway = try await GatewayProcess.launch(environment: ["DIAGNOSTIC_TOOLS": "on", "LOG_LEVEL": "debug"])
        defer { gateway.stop() }
        var client = try await StreamableClient.connect(port: gateway.port)
        try await client.initialize()
        // The call's log lines go to the GET stream, which tells the test it is running.
        let streamer = try await StreamableClient.connect(port: gateway.port, joining: client.sessionID)
        #expect(try await streamer.get().status == 200)
        let sessionMessages = ServerSentEventReader(streamer.connection)
        try await client.send(#"{"jsonrpc":"2.0","id":"slow","method":"tools/call","params":{"name":"gateway_wait","arguments":{"milliseconds":60000,"steps":600}}}"#)
        #expect(try await sessionMessages.nextMessage()?.data.contains("step 1 of 600") == true)

        let canceller = try await StreamableClient.connect(port: gateway.port, joining: client.sessionID)
        #expect(try await canceller.post(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"slow"}}"#)
            .status == 202)
        let answer = try await client.connection.readResponse()
        #expect(answer.status == 200)
        #expect(answer.header("Content-Type") == "text/event-stream")
        #expect(answer.header("Mcp-Session-Id") == client.sessionID)
        #expect(answer.body.isEmpty, "\(answer.bodyText)")
        let stoppedAt = try #require(await gateway.waitForCancelledWait(requestID: #""slow""#))
        #expect(stoppedAt < 600)
        #expect(try await client.post(#"{"jsonrpc":"2.0","id":2,"method":"ping"}"#).bodyText
            == #"{"jsonrpc":"2.0","id":2,"result":{}}"#)
    }

    @Test("a long call answered on its POST's event stream gets keep-alive comments while it runs")
    func postStreamKeepAlive() async throws {
        let gateway = try await GatewayProcess.launch(environment: [
            "DIAGNOSTIC_TOOLS": "on", "SSE_KEEPALIVE_INTERVAL": "50ms",
        ])
        defer { gateway.stop() }
        var client = try await StreamableClient.connect(port: gateway.port)
        try await client.initialize()
        // One step of a minute: no progress, no log line and no result comes for a minute, so anything the stream
        // carries before then is a keep-alive.
        let head = try await client.postForStream(#"{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"gateway_wait","arguments":{"milliseconds":60000,"steps":1},"_meta":{"progressToken":6}}}"#)
        #expect(head.header("Content-Type") == "text/event-stream")
        let first = try #require(try await ServerSentEventReader(client.connection).next())
        #expect(first.comments == ["keep-alive"])
        #expect(first.data.isEmpty && first.id == nil && first.event == nil)
    }

    /// The events of a stream until it ends, keep-alives left out.
    private static func messages(of stream: ServerSentEventReader) async throws -> [ServerSentEventReader.Event] {
        var messages: [ServerSentEventReader.Event] = []
        while let event = try await stream.nextMessage() { messages.append(event) }
        return messages
    }

    /// The sequence number of an event id `<stream>-<sequence>`.
    private static func sequence(of event: ServerSentEventReader.Event) -> Int? {
        event.id.flatMap { $0.split(separator: "-").last }.flatMap { Int($0) }
    }

    @Test("a POST stream dropped mid-call and resumed with GET and Last-Event-ID: the missed events, then the response")
    func resumePostStreamMidCall() async throws {
        let gateway = try await GatewayProcess.launch(environment: ["DIAGNOSTIC_TOOLS": "on"])
        defer { gateway.stop() }
        var client = try await StreamableClient.connect(port: gateway.port)
        try await client.initialize()
        _ = try await client.postForStream(#"{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"gateway_wait","arguments":{"milliseconds":1500,"steps":3},"_meta":{"progressToken":"r"}}}"#)
        let first = try #require(try await ServerSentEventReader(client.connection).nextMessage())
        #expect(first.data.contains(#""progress":1"#))
        let firstID = try #require(first.id)
        // A dropped connection is not a cancellation: the call goes on, its events logged for a resume.
        await client.connection.closeAbruptly()

        let resumer = try await StreamableClient.connect(port: gateway.port, joining: client.sessionID)
        #expect(try await resumer.get(headers: ["Last-Event-ID": firstID]).status == 200)
        let resumed = try await Self.messages(of: ServerSentEventReader(resumer.connection))
        let data = resumed.map(\.data)
        let streamID = firstID.prefix { $0 != "-" }
        #expect(resumed.allSatisfy { $0.id?.hasPrefix(streamID + "-") == true })
        let sequences = resumed.compactMap(Self.sequence(of:))
        #expect(sequences == Array(2..<(2 + resumed.count)), "\(resumed)")
        #expect(data.filter { $0.contains("notifications/progress") }.count == 2, "\(data)")
        #expect(!data.contains { $0.contains(#""progress":1,"#) })
        #expect(data.last?.hasPrefix(#"{"jsonrpc":"2.0","id":8,"result":{"content":[{"type":"text","text":"waited 1500 ms in 3 steps"}]"#) == true,
                "\(data)")
    }

    @Test("a POST stream resumed after its response: what followed Last-Event-ID again, ending with the response")
    func resumePostStreamAfterResponse() async throws {
        let gateway = try await GatewayProcess.launch(environment: ["DIAGNOSTIC_TOOLS": "on"])
        defer { gateway.stop() }
        var client = try await StreamableClient.connect(port: gateway.port)
        try await client.initialize()
        _ = try await client.postForStream(#"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"gateway_wait","arguments":{"milliseconds":20,"steps":2},"_meta":{"progressToken":"r"}}}"#)
        let original = try await Self.messages(of: ServerSentEventReader(client.connection))
        #expect(original.last?.data.contains(#""id":9,"result""#) == true)
        let firstID = try #require(original.first?.id)

        let resumer = try await StreamableClient.connect(port: gateway.port, joining: client.sessionID)
        #expect(try await resumer.get(headers: ["Last-Event-ID": firstID]).status == 200)
        let replayed = try await Self.messages(of: ServerSentEventReader(resumer.connection))
        #expect(replayed == Array(original.dropFirst()))
    }

    @Test("a POST holding only a JSON-RPC response or error response is accepted with 202 and no body")
    func responseOnlyPost() async throws {
        let gateway = try await GatewayProcess.launch()
        defer { gateway.stop() }
        var client = try await StreamableClient.connect(port: gateway.port)
        try await client.initialize()
        for body in [#"{"jsonrpc":"2.0","id":"s1","result":{}}"#,
                     #"{"jsonrpc":"2.0","id":2,"error":{"code":-1,"message":"refused"}}"#] {
            let accepted = try await client.post(body)
            #expect(accepted.status == 202)
            #expect(accepted.body.isEmpty)
            #expect(accepted.header("Mcp-Session-Id") == client.sessionID)
        }
        #expect(try await client.post(#"{"jsonrpc":"2.0","id":3,"method":"ping"}"#).bodyText
            == #"{"jsonrpc":"2.0","id":3,"result":{}}"#)
    }

    @Test("GET stream: one per session (409 for a second), carries session messages, resumes from Last-Event-ID")
    func getStreamAndResume() async throws {
        let gateway = try await GatewayProcess.launch(environment: ["DIAGNOSTIC_TOOLS": "on"])
        defer { gateway.stop() }
        var client = try await StreamableClient.connect(port: gateway.port)
        try await client.initialize()
        let streamer = try await StreamableClient.connect(port: gateway.port, joining: client.sessionID)
        #expect(try await streamer.get().status == 200)
        let second = try await StreamableClient.connect(port: gateway.port, joining: client.sessionID)
        #expect(try await second.get().status == 409)

        // Log lines of a request answered as JSON belong to no stream of their own: they go on the GET stream.
        _ = try await client.post(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"gateway_wait","arguments":{"milliseconds":3,"steps":3}}}"#)
        let events = ServerSentEventReader(streamer.connection)
        let first = try #require(try await events.nextMessage())
        #expect(first.data.contains("step 1 of 3"))
        let firstID = try #require(first.id)
        // Drop the stream after the first message, then resume: the two missed messages come again.
        await streamer.connection.closeAbruptly()
        // The slot frees once the server has seen the disconnect; a fresh connection per attempt.
        let sessionID = client.sessionID
        var resumedConnection: RawHTTPConnection?
        for _ in 0..<2000 where resumedConnection == nil {
            let attempt = try await StreamableClient.connect(port: gateway.port, joining: sessionID)
            if try await attempt.get(headers: ["Last-Event-ID": firstID]).status == 200 {
                resumedConnection = attempt.connection
            } else {
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        let resumed = ServerSentEventReader(try #require(resumedConnection))
        #expect(try await resumed.nextMessage()?.data.contains("step 2 of 3") == true)
        #expect(try await resumed.nextMessage()?.data.contains("step 3 of 3") == true)
    }

    @Test("limits: sessions per process, streams per session, idle TTL, queued events, JSON depth, message size")
    func limits() async throws {
        let gateway = try await GatewayProcess.launch(environment: [
            "DIAGNOSTIC_TOOLS": "on", "MAX_SESSIONS": "2", "MAX_STREAMS_PER_SESSION": "1", "MAX_QUEUED_EVENTS": "2",
            "MAX_JSON_DEPTH": "8", "MAX_BODY_BYTES": "2048",
        ])
        defer { gateway.stop() }
        var first = try await StreamableClient.connect(port: gateway.port)
        try await first.initialize()
        var second = try await StreamableClient.connect(port: gateway.port)
        try await second.initialize()
        let third = try await StreamableClient.connect(port: gateway.port)
        let refused = try await third.post(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#)
        #expect(refused.status == 503)
        #expect(refused.header("Retry-After") != nil)

        // Queued events: three log lines while no GET stream is open; only the last two are kept.
        _ = try await first.post(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"gateway_wait","arguments":{"milliseconds":3,"steps":3}}}"#)
        let streamer = try await StreamableClient.connect(port: gateway.port, joining: first.sessionID)
        #expect(try await streamer.get(headers: ["Last-Event-ID": "g-0"]).status == 200)
        let events = ServerSentEventReader(streamer.connection)
        #expect(try await events.nextMessage()?.data.contains("step 2 of 3") == true)
        #expect(try await events.nextMessage()?.data.contains("step 3 of 3") == true)

        // Streams per session: the GET stream is the one allowed, so a progress stream is refused.
        let overStreams = try await first.post(#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"gateway_wait","arguments":{"milliseconds":1},"_meta":{"progressToken":1}}}"#)
        #expect(overStreams.status == 409)

        let deep = String(repeating: "[", count: 9) + String(repeating: "]", count: 9)
        let tooDeep = try await first.post(#"{"jsonrpc":"2.0","id":4,"method":"ping","params":{"x":\#(deep)}}"#)
        #expect(tooDeep.status == 400)
        #expect(tooDeep.bodyText.contains(#""code":-32700"#))
        let big = try await first.post(#"{"jsonrpc":"2.0","id":5,"method":"ping","params":{"x":"\#(String(repeating: "x", count: 3000))"}}"#)
        #expect(big.status == 413)
    }

    @Test("batches at 2025-03-26: one JSON array of answers in order, each bad element its own error; 202 without requests")
    func batchAccepted() async throws {
        let gateway = try await GatewayProcess.launch()
        defer { gateway.stop() }
        var client = try await StreamableClient.connect(port: gateway.port)
        try await client.initialize(version: "2025-03-26")
        // No MCP-Protocol-Version header, as 2025-03-26 clients send none: the session's version allows batches.
        let answer = try await client.post(#"[{"jsonrpc":"2.0","id":1,"method":"ping"},"#
            + #"{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":1}},"#
            + #"{"jsonrpc":"2.0","id":"two","method":"tools/call","params":{"name":"gateway_info"}},"#
            + #"{"jsonrpc":"2.0","id":3,"method":"no/such"},{"jsonrpc":"2.0","id":4},7]"#)
        #expect(answer.status == 200)
        #expect(answer.header("Content-Type") == "application/json")
        let responses = try #require((try? JSONSerialization.jsonObject(with: Data(answer.body))) as? [[String: Any]],
                                     "\(answer.bodyText)")
        #expect(responses.map { ($0["id"] as? String) ?? ($0["id"] as? Int).map(String.init) ?? "null" }
            == ["1", "two", "3", "4", "null"])
        #expect(answer.bodyText.hasPrefix(#"[{"jsonrpc":"2.0","id":1,"result":{}},{"jsonrpc":"2.0","id":"two","result":{"content":"#))
        let codes = responses.map { ($0["error"] as? [String: Any])?["code"] as? Int }
        #expect(codes == [nil, nil, -32601, -32600, -32600])

        let quiet = try await client.post(#"[{"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":2}},"#
            + #"{"jsonrpc":"2.0","id":"c1","result":{}}]"#)
        #expect(quiet.status == 202)
        #expect(quiet.body.isEmpty)
    }

    @Test("a batch element cancelled while the batch runs has no entry in the answer")
    func batchCancellation() async throws {
        let gateway = try await GatewayProcess.launch(environment: ["DIAGNOSTIC_TOOLS": "on"])
        defer { gateway.stop() }
        var client = try await StreamableClient.connect(port: gateway.port)
        try await client.initialize(version: "2025-03-26")
        let streamer = try await StreamableClient.connect(port: gateway.port, joining: client.sessionID)
        #expect(try await streamer.get().status == 200)
        let sessionMessages = ServerSentEventReader(streamer.connection)
        try await client.send(#"[{"jsonrpc":"2.0","id":"p","method":"ping"},{"jsonrpc":"2.0","id":"w","method":"tools/call","params":{"name":"gateway_wait","arguments":{"milliseconds":60000,"steps":600}}}]"#)
        #expect(try await sessionMessages.nextMessage()?.data.contains("step 1 of 600") == true)
        let canceller = try await StreamableClient.connect(port: gateway.port, joining: client.sessionID)
        #expect(try await canceller.post(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"w"}}"#)
            .status == 202)
        #expect(try await client.connection.readResponse().bodyText == #"[{"jsonrpc":"2.0","id":"p","result":{}}]"#)
    }

    @Test("batches are refused after 2025-03-26: 400 with -32600, header or not",
          arguments: ["2025-06-18", "2025-11-25"])
    func batchRefused(version: String) async throws {
        let gateway = try await GatewayProcess.launch()
        defer { gateway.stop() }
        var client = try await StreamableClient.connect(port: gateway.port)
        try await client.initialize(version: version)
        let batch = #"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#
        // Without the header the session's negotiated version still governs; 2025-03-26 is assumed only when
        // there is no session to tell.
        for headers in [["MCP-Protocol-Version": version], [:]] {
            let refused = try await client.post(batch, headers: headers)
            #expect(refused.status == 400)
            #expect(refused.bodyText == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Bad Request: batches are allowed only in sessions negotiated at 2025-03-26"}}"#)
        }
    }

    @Test("an active session keeps its store record and event logs past SESSION_IDLE_TTL from its creation")
    func activityKeepsStoreRecord() async throws {
        let gateway = try await GatewayProcess.launch(environment: [
            "DIAGNOSTIC_TOOLS": "on", "SESSION_IDLE_TTL": "2s", "SSE_KEEPALIVE_INTERVAL": "50ms",
            "RATE_LIMIT_REQUESTS": "0",
        ])
        defer { gateway.stop() }
        var client = try await StreamableClient.connect(port: gateway.port)
        try await client.initialize()
        // A log line while no GET stream is open: the GET stream's log keeps it for when one opens.
        #expect(try await client.post(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"gateway_wait","arguments":{"milliseconds":1}}}"#)
            .status == 200)
        // Two and a half TTLs of activity with no stream open: a request every 100 ms keeps the session from
        // idling, and the record, had nothing refreshed it, would have expired a TTL after the session was created.
        let clock = ContinuousClock()
        let end = clock.now + .seconds(5)
        var id = 3
        while clock.now < end {
            #expect(try await client.post(#"{"jsonrpc":"2.0","id":\#(id),"method":"ping"}"#).status == 200)
            id += 1
            try await Task.sleep(for: .milliseconds(100))
        }
        let streamer = try await StreamableClient.connect(port: gateway.port, joining: client.sessionID)
        #expect(try await streamer.get(headers: ["Last-Event-ID": "g-0"]).status == 200)
        // The replay comes first, though a keep-alive may slip in before it; 20 events is a second of keep-alives.
        let events = ServerSentEventReader(streamer.connection)
        var replayed: ServerSentEventReader.Event?
        for _ in 0..<20 where replayed == nil {
            let event = try #require(try await events.next())
            if !event.data.isEmpty { replayed = event }
        }
        #expect(replayed?.data.contains("step 1 of 1") == true)
    }

    @Test("a session idle past SESSION_IDLE_TTL ends")
    func idleExpiry() async throws {
        let gateway = try await GatewayProcess.launch(environment: [
            "SESSION_IDLE_TTL": "200ms", "SSE_KEEPALIVE_INTERVAL": "50ms", "LOG_LEVEL": "debug",
        ])
        defer { gateway.stop() }
        var client = try await StreamableClient.connect(port: gateway.port)
        // initialize alone: the notifications/initialized that client.initialize() adds has to arrive within the
        // 200 ms TTL, which a busy test run does not always manage.
        let initialized = try await client.post(
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#)
        client.sessionID = try #require(initialized.header("Mcp-Session-Id"))
        let expired = await gateway.waitForLine { $0.contains(#""msg":"session expired""#) }
        #expect(expired?.contains(String(client.sessionID!.prefix(8))) == true)
        let ping = try await client.post(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#)
        #expect(ping.status == 404, "\(ping.status) \(ping.bodyText)")
    }
}
