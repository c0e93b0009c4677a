import Foundation
import Glibc
import Stores
import TestSupport
import Testing

/// Three gateway processes sharing one real redis-server, behind a real nginx configured with deploy/nginx.conf,
/// round robin and no stickiness.
struct Fleet {
    let redis: RedisServer
    let replicas: [GatewayProcess]
    let nginx: NginxServer
    /// What each replica was started with, so a restart gets the same settings and port.
    let environments: [[String: String]]

    /// The per-identity request and read limits set to `limit` per minute; "0" turns them off.
    static func rateLimits(_ limit: String) -> [String: String] {
        ["RATE_LIMIT_REQUESTS": limit, "RATE_LIMIT_READS": limit]
    }

    /// - Parameter nginxPort: nginx's port, when the replicas' environment must name it (`PUBLIC_URL`).
    static func start(
        replicaCount: Int = 3, environment: [String: String] = [:], nginxPort: Int? = nil
    ) async throws -> Fleet {
        let redis = try await RedisServer.start()
        var replicas: [GatewayProcess] = []
        var environments: [[String: String]] = []
        for index in 1...replicaCount {
            // One test client makes many calls: the per-identity limits are lifted unless a test sets its own.
            var replicaEnvironment = ["REDIS_URL": redis.url, "REPLICA_ID": "r\(index)", "DIAGNOSTIC_TOOLS": "on",
                                      "FORWARDED_FOR_HOPS": "1"]
            replicaEnvironment.merge(rateLimits("0")) { $1 }
            replicaEnvironment.merge(environment) { $1 }
            replicas.append(try await GatewayProcess.launch(environment: replicaEnvironment))
            environments.append(replicaEnvironment)
        }
        // Every replica must be subscribed to its delivery channel before traffic starts.
        for replica in replicas { try await waitUntilReady(replica) }
        let nginx = try await NginxServer.start(upstreamPorts: replicas.map(\.port), port: nginxPort)
        return Fleet(redis: redis, replicas: replicas, nginx: nginx, environments: environments)
    }

    static func waitUntilReady(_ replica: GatewayProcess) async throws {
        let connection = try await RawHTTPConnection.connect(port: replica.port)
        var ready = false
        for _ in 0..<500 where !ready {
            try await connection.send("GET /health/ready HTTP/1.1\r\nHost: t\r\n\r\n")
            ready = try await connection.readResponse().status == 200
            if !ready { try await Task.sleep(for: .milliseconds(10)) }
        }
        #expect(ready)
    }

    /// Restarts replica `index` as a rolling deploy does: SIGTERM, its drain to exit 0, then a new process with
    /// the same settings on the same port, ready before this returns.
    func restarting(_ index: Int) async throws -> Fleet {
        let old = replicas[index]
        old.send(signal: SIGTERM)
        #expect(await old.waitForExit() == 0)
        let new = try await GatewayProcess.launch(environment: environments[index], port: old.port)
        try await Self.waitUntilReady(new)
        var replicas = self.replicas
        replicas[index] = new
        return Fleet(redis: redis, replicas: replicas, nginx: nginx, environments: environments)
    }

    func stop() {
        nginx.stop()
        replicas.forEach { $0.stop() }
        redis.stop()
    }
}

@Suite("Replicas behind nginx, sharing Redis", .serialized, .timeLimit(.minutes(5)))
struct MultiReplicaTests {
    @Test("the Python SDK makes its calls through nginx without a failure, answered by every replica",
          arguments: ["sse", "streamable"])
    func pythonSDKAcrossReplicas(transport: String) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: PythonSDKInteropTests.python),
                     "the Python SDK venv is missing; `make test` creates it")
        let fleet = try await Fleet.start()
        defer { fleet.stop() }
        let path = transport == "sse" ? "/sse" : "/mcp"
        let script = GatewayProcess.packageRoot.appendingPathComponent("Tests/interop/python_sdk_replicas.py").path
        let (status, output) = try await GatewayProcess.runProgram(
            PythonSDKInteropTests.python,
            arguments: ["-W", "ignore", script, "http://127.0.0.1:\(fleet.nginx.port)\(path)", transport, "500"])
        #expect(status == 0, "\(output)")
        let line = try #require(output.split(separator: "\n").last(where: { $0.hasPrefix("{") }), "\(output)")
        let summary = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(summary["failures"] as? Int == 0, "\(output)")
        let replicas = try #require(summary["replicas"] as? [String: Int])
        // Over HTTP+SSE the stream is on one replica while nginx spreads the posts: answers computed on all three
        // reached the one stream.
        #expect(Set(replicas.keys) == ["r1", "r2", "r3"], "\(replicas)")
        #expect(replicas.values.reduce(0, +) == 500)
    }

    @Test("every key the replicas write is under the prefix and has a TTL")
    func keysHavePrefixAndTTL() async throws {
        let fleet = try await Fleet.start(environment: Fleet.rateLimits("100000"))
        defer { fleet.stop() }
        let legacy = try await LegacySession.open(port: fleet.replicas[0].port)
        try await legacy.initialize()
        var streamable = try await StreamableClient.connect(port: fleet.replicas[1].port)
        try await streamable.initialize()
        _ = try await streamable.post(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"gateway_wait","arguments":{"milliseconds":1}}}"#)
        let streamer = try await StreamableClient.connect(port: fleet.replicas[2].port, joining: streamable.sessionID)
        #expect(try await streamer.get().status == 200)

        let redis = RedisClient(configuration: .init(url: try #require(RedisURL(fleet.redis.url))))
        let keys = try #require(try await redis.send("KEYS", "*").array).compactMap(\.string)
        for kind in ["session:", "holder:", "log:"] {
            #expect(keys.contains { $0.hasPrefix("mcpgw:" + kind) }, "no \(kind) key among \(keys)")
        }
        for key in keys {
            #expect(key.hasPrefix("mcpgw:"), "\(key)")
            // -1 means no expiry; -2 a key that expired since it was listed (a short rate-limit window).
            let ttl = try #require(try await redis.send("PTTL", key).integer)
            #expect(ttl != -1, "\(key) has no TTL")
        }
    }

    @Test("a stream on one replica receives the answers to posts sent straight to the others")
    func streamReceivesPostsFromOtherReplicas() async throws {
        let fleet = try await Fleet.start()
        defer { fleet.stop() }
        let session = try await LegacySession.open(port: fleet.replicas[0].port)
        let others = try await [RawHTTPConnection.connect(port: fleet.replicas[1].port),
                                RawHTTPConnection.connect(port: fleet.replicas[2].port)]
        func post(_ json: String, via connection: RawHTTPConnection) async throws -> Int {
            try await connection.send("POST \(session.endpoint) HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(json.utf8.count)\r\n\r\n\(json)")
            return try await connection.readResponse().status
        }
        #expect(try await post(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2024-11-05","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#, via: others[0]) == 202)
        #expect(try await session.nextMessage().contains(#""id":1,"result":{"protocolVersion":"2024-11-05""#))
        #expect(try await post(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"gateway_info"}}"#, via: others[1]) == 202)
        #expect(try await session.nextMessage().contains(#"\"replica\":\"r3\""#))
        #expect(try await post(#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"gateway_info"}}"#, via: others[0]) == 202)
        #expect(try await session.nextMessage().contains(#"\"replica\":\"r2\""#))
        try await session.post(#"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"gateway_info"}}"#)
        #expect(try await session.nextMessage().contains(#"\"replica\":\"r1\""#))
    }

    @Test("a Streamable HTTP session opened on one replica goes on on the others, GET stream and replay included")
    func streamableAcrossReplicas() async throws {
        let fleet = try await Fleet.start()
        defer { fleet.stop() }
        var first = try await StreamableClient.connect(port: fleet.replicas[0].port)
        try await first.initialize()
        let second = try await StreamableClient.connect(port: fleet.replicas[1].port, joining: first.sessionID)
        let call = try await second.post(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"gateway_info"}}"#)
        #expect(call.status == 200)
        #expect(call.bodyText.contains(#"\"replica\":\"r2\""#))

        // The GET stream is held by replica 3; log lines of a JSON-answered call on replica 1 reach it.
        let streamer = try await StreamableClient.connect(port: fleet.replicas[2].port, joining: first.sessionID)
        #expect(try await streamer.get().status == 200)
        let events = ServerSentEventReader(streamer.connection)
        _ = try await first.post(Self.wait(id: 3, steps: 2))
        let line = try #require(try await events.nextMessage())
        #expect(line.data.contains("step 1 of 2"))
        let lineID = try #require(line.id)
        #expect(try await events.nextMessage()?.data.contains("step 2 of 2") == true)

        // Resumed on yet another replica from the log in Redis: exactly the events after the one named, then, live,
        // what is sent from then on.
        await streamer.connection.closeAbruptly()
        let resumer = try await StreamableClient.connect(port: fleet.replicas[1].port, joining: first.sessionID)
        #expect(try await resumer.get(headers: ["Last-Event-ID": lineID]).status == 200)
        _ = try await first.post(Self.wait(id: 4, steps: 1))
        let replay = ServerSentEventReader(resumer.connection)
        var replayed: [String] = []
        for _ in 0..<2 { replayed.append(try #require(try await replay.nextMessage()).data) }
        #expect(replayed.count == 2)
        #expect(replayed.first?.contains("step 2 of 2") == true, "\(replayed)")
        #expect(replayed.last?.contains("step 1 of 1") == true, "\(replayed)")
    }

    /// Rate limits off: every request looks its session up. On: a replica serves a copy it looked up since the
    /// session generation read with the request's count last changed, without a lookup.
    @Test("a Streamable HTTP session deleted on one replica is refused at once by another that was serving it",
          arguments: ["0", "100000"])
    func deleteAcrossReplicas(limit: String) async throws {
        let fleet = try await Fleet.start(replicaCount: 2, environment: Fleet.rateLimits(limit))
        defer { fleet.stop() }
        var first = try await StreamableClient.connect(port: fleet.replicas[0].port)
        try await first.initialize()
        for id in 2...4 { #expect(try await first.post(#"{"jsonrpc":"2.0","id":\#(id),"method":"ping"}"#).status == 200) }
        let second = try await StreamableClient.connect(port: fleet.replicas[1].port, joining: first.sessionID)
        #expect(try await second.post(#"{"jsonrpc":"2.0","id":5,"method":"ping"}"#).status == 200)
        try await second.connection.send("DELETE /mcp HTTP/1.1\r\nHost: t\r\nMcp-Session-Id: \(first.sessionID!)\r\n\r\n")
        #expect(try await second.connection.readResponse().status == 200)
        #expect(try await first.post(#"{"jsonrpc":"2.0","id":6,"method":"ping"}"#).status == 404)
        #expect(try await first.post(#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"gateway_info"}}"#)
            .status == 404)
    }

    /// A `gateway_wait` call answered as JSON whose `steps` log lines ("step 1 of N" …) go to the GET stream.
    static func wait(id: Int, steps: Int, milliseconds: Int = 1) -> String {
        #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"gateway_wait","arguments":{"milliseconds":\#(milliseconds),"steps":\#(steps)}}}"#
    }

    @Test("a GET stream without Last-Event-ID gets what no stream was given, on any replica, and nothing twice")
    func freshStreamOnAnotherReplica() async throws {
        let fleet = try await Fleet.start(replicaCount: 2)
        defer { fleet.stop() }
        var client = try await StreamableClient.connect(port: fleet.replicas[0].port)
        try await client.initialize()
        // No stream is open anywhere: the lines wait in the log (or reach the stream, if it opens first).
        _ = try await client.post(Self.wait(id: 2, steps: 2))
        let second = try await StreamableClient.connect(port: fleet.replicas[1].port, joining: client.sessionID)
        #expect(try await second.get().status == 200)
        let onSecond = ServerSentEventReader(second.connection)
        #expect(try await onSecond.nextMessage()?.data.contains("step 1 of 2") == true)
        #expect(try await onSecond.nextMessage()?.data.contains("step 2 of 2") == true)
        await second.connection.closeAbruptly()

        // A fresh stream on the first replica, which never held one, starts after what the second was given.
        let third = try await StreamableClient.connect(port: fleet.replicas[0].port, joining: client.sessionID)
        #expect(try await third.get().status == 200)
        _ = try await client.post(Self.wait(id: 3, steps: 3))
        let onThird = ServerSentEventReader(third.connection)
        #expect(try await onThird.nextMessage()?.data.contains("step 1 of 3") == true)
    }

    @Test("a message sent the moment a GET stream opens on another replica reaches that stream")
    func messageAsStreamOpens() async throws {
        let fleet = try await Fleet.start(replicaCount: 2)
        defer { fleet.stop() }
        for round in 1...10 {
            // A session per round, so nothing of an earlier round is still owed to the stream.
            var client = try await StreamableClient.connect(port: fleet.replicas[0].port)
            try await client.initialize()
            let streamer = try await StreamableClient.connect(port: fleet.replicas[1].port, joining: client.sessionID)
            // The GET and the call leave together, so the call's line races the stream's set-up on the other
            // replica; whichever wins, the line must arrive on the stream.
            let (getter, caller) = (streamer, client)
            async let opened = getter.get()
            async let called = caller.post(Self.wait(id: 10 + round, steps: round))
            #expect(try await opened.status == 200)
            _ = try await called
            let events = ServerSentEventReader(streamer.connection)
            #expect(try await events.nextMessage()?.data.contains("step 1 of \(round)") == true)
            await streamer.connection.closeAbruptly()
        }
    }

    @Test("a GET stream is the session's holder before its 200: when Redis refuses the holder key, the GET is refused")
    func getStreamHoldsBeforeAnswering() async throws {
        let fleet = try await Fleet.start(replicaCount: 2)
        defer { fleet.stop() }
        var client = try await StreamableClient.connect(port: fleet.replicas[0].port)
        try await client.initialize()
        let redis = RedisClient(configuration: .init(url: try #require(RedisURL(fleet.redis.url))))
        // Every command on every key stays allowed, except SET on holder keys.
        let restricted = try await redis.send("ACL", "SETUSER", "default", "on", "nopass", "&*", "~*", "+@all", "-set",
                                              "(+set ~mcpgw:session:* ~mcpgw:log:* ~mcpgw:rl:* ~mcpgw:cache:*)")
        #expect(restricted == .simpleString("OK"))
        let streamer = try await StreamableClient.connect(port: fleet.replicas[1].port, joining: client.sessionID)
        let refused = try await streamer.get()
        #expect(refused.status == 503, "a stream other replicas cannot reach must not be answered 200")
        #expect(try await client.post(#"{"jsonrpc":"2.0","id":2,"method":"ping"}"#).status == 200)
        #expect(try await redis.send("ACL", "SETUSER", "default", "reset", "on", "nopass", "&*", "~*", "+@all")
            == .simpleString("OK"))
        #expect(try await streamer.get().status == 200)
        _ = try await client.post(Self.wait(id: 3, steps: 1))
        #expect(try await ServerSentEventReader(streamer.connection).nextMessage()?.data.contains("step 1 of 1") == true)
    }

    @Test("a POST stream resumed on another replica while its request runs stays open until the response arrives")
    func postStreamResumedElsewhere() async throws {
        let fleet = try await Fleet.start(replicaCount: 2)
        defer { fleet.stop() }
        var client = try await StreamableClient.connect(port: fleet.replicas[0].port)
        try await client.initialize()
        let runner = try await StreamableClient.connect(port: fleet.replicas[0].port, joining: client.sessionID)
        // Ten minutes in a thousand steps: it runs until it is cancelled.
        let head = try await runner.postForStream(#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"gateway_wait","arguments":{"milliseconds":600000,"steps":1000},"_meta":{"progressToken":"p"}}}"#)
        #expect(head.status == 200)
        let first = try #require(try await ServerSentEventReader(runner.connection).nextMessage())
        #expect(first.data.contains("step 1 of 1000"))
        let firstID = try #require(first.id)
        await runner.connection.closeAbruptly()

        let resumer = try await StreamableClient.connect(port: fleet.replicas[1].port, joining: client.sessionID)
        #expect(try await resumer.get(headers: ["Last-Event-ID": firstID]).status == 200)
        let resumed = ServerSentEventReader(resumer.connection)
        // Progress made from now on, on the first replica, reaches the stream on the second (each step also logs
        // a line, which comes in between).
        var next = try await resumed.nextMessage()
        while let event = next, !event.data.contains("notifications/progress") { next = try await resumed.nextMessage() }
        #expect(next?.data.contains("step 2 of 1000") == true, "the resumed stream ended while the request ran")
        // Cancelled where it runs, the request sends nothing more (MCP §Cancellation), and the resumed stream ends.
        #expect(try await client.post(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7}}"#)
            .status == 202)
        var rest: [ServerSentEventReader.Event] = []
        while let event = try await resumed.nextMessage() { rest.append(event) }
        #expect(!rest.contains { $0.data.contains(#""id":7"#) }, "\(rest)")
    }

    @Test("notifications/cancelled sent to another replica than the one running the request cancels it")
    func cancellationAcrossReplicas() async throws {
        let fleet = try await Fleet.start(replicaCount: 2)
        defer { fleet.stop() }
        // Streamable HTTP: ten minutes of waiting on replica 1, its POST answered when it ends; its log lines, on
        // the GET stream, show it has started.
        var client = try await StreamableClient.connect(port: fleet.replicas[0].port)
        try await client.initialize()
        let streamer = try await StreamableClient.connect(port: fleet.replicas[0].port, joining: client.sessionID)
        #expect(try await streamer.get().status == 200)
        let runner = try await StreamableClient.connect(port: fleet.replicas[0].port, joining: client.sessionID)
        let running = runner
        async let answered = running.post(Self.wait(id: 7, steps: 1000, milliseconds: 600_000))
        #expect(try await ServerSentEventReader(streamer.connection).nextMessage()?.data.contains("step 1 of 1000") == true)
        let canceller = try await StreamableClient.connect(port: fleet.replicas[1].port, joining: client.sessionID)
        #expect(try await canceller.post(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7}}"#)
            .status == 202)
        // Uncancelled, the POST would wait out the client's receive timeout and fail.
        let answer = try await answered
        #expect(answer.status == 200)
        #expect(!answer.bodyText.contains("waited"))

        // HTTP+SSE: the stream on replica 1, the call posted to replica 2, the cancellation to replica 1, which holds
        // the stream but does not run the call.
        let legacy = try await LegacySession.open(port: fleet.replicas[0].port)
        try await legacy.initialize()
        @Sendable func post(_ json: String, to replica: Int) async throws -> Int {
            let poster = try await RawHTTPConnection.connect(port: fleet.replicas[replica].port)
            try await poster.send("POST \(legacy.endpoint) HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(json.utf8.count)\r\n\r\n\(json)")
            return try await poster.readResponse().status
        }
        let long = #"{"jsonrpc":"2.0","id":"long","method":"tools/call","params":{"name":"gateway_wait","arguments":{"milliseconds":600000,"steps":1000}}}"#
        #expect(try await post(long, to: 1) == 202)
        #expect(try await legacy.nextMessage().contains("step 1 of 1000"))
        #expect(try await post(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"long"}}"#, to: 0)
            == 202)
        // Once cancelled, the id is free again on replica 2: a short call with it runs instead of being refused as
        // a duplicate.
        let short = #"{"jsonrpc":"2.0","id":"long","method":"tools/call","params":{"name":"gateway_wait","arguments":{"milliseconds":1}}}"#
        #expect(try await eventually {
            guard try await post(short, to: 1) == 202 else { return false }
            var answer = try await legacy.nextMessage()
            while !answer.contains(#""id":"long""#) { answer = try await legacy.nextMessage() }
            return answer.contains("waited 1 ms")
        })
    }

    @Test("a Streamable HTTP session in use on one replica, served without lookups, stays alive for the others",
          arguments: ["0", "100000"])
    func servedCopyKeepsSessionAlive(limit: String) async throws {
        let fleet = try await Fleet.start(replicaCount: 2,
                                          environment: Fleet.rateLimits(limit).merging(["SESSION_IDLE_TTL": "2s"]) { $1 })
        defer { fleet.stop() }
        var first = try await StreamableClient.connect(port: fleet.replicas[0].port)
        try await first.initialize()
        // Used for longer than the idle TTL, never idle for long: the replica serving it refreshes the record's TTL
        // in Redis at least every quarter of it, though most of these requests need no lookup.
        let clock = ContinuousClock()
        let end = clock.now + .seconds(3)
        var id = 2
        while clock.now < end {
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await first.post(#"{"jsonrpc":"2.0","id":\#(id),"method":"ping"}"#).status == 200)
            id += 1
        }
        let second = try await StreamableClient.connect(port: fleet.replicas[1].port, joining: first.sessionID)
        #expect(try await second.post(#"{"jsonrpc":"2.0","id":\#(id),"method":"ping"}"#).status == 200)
    }

    @Test("without rate limits, a request on a current Streamable HTTP copy reads the session generation, no lookup")
    func currentCopyWithoutLimits() async throws {
        let fleet = try await Fleet.start(replicaCount: 1)
        defer { fleet.stop() }
        let stats = RedisClient(configuration: .init(url: try #require(RedisURL(fleet.redis.url))))
        var client = try await StreamableClient.connect(port: fleet.replicas[0].port)
        // Its `initialized` notification makes the replica look the session up once.
        try await client.initialize()
        let (scripts, reads) = (try await stats.calls(of: "evalsha"), try await stats.calls(of: "get"))
        for id in 2...5 { #expect(try await client.post(#"{"jsonrpc":"2.0","id":\#(id),"method":"ping"}"#).status == 200) }
        #expect(try await stats.calls(of: "evalsha") - scripts == 0)
        #expect(try await stats.calls(of: "get") - reads == 4)
    }

    @Test("logging/setLevel sent to one replica governs the log lines of requests another runs",
          arguments: ["0", "100000"])
    func logLevelAcrossReplicas(limit: String) async throws {
        let fleet = try await Fleet.start(replicaCount: 2, environment: Fleet.rateLimits(limit))
        defer { fleet.stop() }
        var client = try await StreamableClient.connect(port: fleet.replicas[0].port)
        try await client.initialize()
        let streamer = try await StreamableClient.connect(port: fleet.replicas[1].port, joining: client.sessionID)
        #expect(try await streamer.get().status == 200)
        let setter = try await StreamableClient.connect(port: fleet.replicas[1].port, joining: client.sessionID)
        func setLevel(_ level: String) async throws -> String {
            try await setter.post(#"{"jsonrpc":"2.0","id":"level","method":"logging/setLevel","params":{"level":"\#(level)"}}"#)
                .bodyText
        }
        #expect(try await setLevel("warning") == #"{"jsonrpc":"2.0","id":"level","result":{}}"#)
        // Its info lines are below the level now, on replica 1 too.
        _ = try await client.post(Self.wait(id: 2, steps: 2))
        #expect(try await setLevel("info") == #"{"jsonrpc":"2.0","id":"level","result":{}}"#)
        _ = try await client.post(Self.wait(id: 3, steps: 3))
        let first = try await ServerSentEventReader(streamer.connection).nextMessage()
        #expect(first?.data.contains("step 1 of 3") == true, "\(String(describing: first))")
    }

    @Test("killing one replica breaks only the HTTP+SSE sessions it held; the rest, and Streamable HTTP, carry on")
    func replicaDeath() async throws {
        let fleet = try await Fleet.start(environment: ["SSE_KEEPALIVE_INTERVAL": "1s"])
        defer { fleet.stop() }
        // Six streams in a row, so round robin spreads them two per replica; then their handshakes.
        var sessions: [LegacySession] = []
        for _ in 0..<6 {
            sessions.append(try await LegacySession.open(port: fleet.nginx.port))
        }
        for session in sessions {
            try await session.initialize()
        }
        var streamable = try await StreamableClient.connect(port: fleet.nginx.port)
        try await streamable.initialize()

        fleet.replicas[0].send(signal: SIGKILL)
        _ = await fleet.replicas[0].waitForExit()

        var broken: [LegacySession] = []
        var alive: [LegacySession] = []
        for session in sessions {
            // A fresh connection per post, so nginx balances it onto a live replica.
            let poster = try await RawHTTPConnection.connect(port: fleet.nginx.port)
            let json = #"{"jsonrpc":"2.0","id":"after","method":"ping"}"#
            try await poster.send("POST \(session.endpoint) HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(json.utf8.count)\r\n\r\n\(json)")
            _ = try await poster.readResponse()
            if let event = try await session.events.nextMessage() {
                #expect(event.data == #"{"jsonrpc":"2.0","id":"after","result":{}}"#)
                alive.append(session)
            } else {
                broken.append(session)
            }
        }
        #expect(broken.count == 2, "round robin put 2 of 6 streams on the killed replica")
        #expect(alive.count == 4)
        for _ in 0..<20 {
            #expect(try await streamable.post(#"{"jsonrpc":"2.0","id":9,"method":"ping"}"#).status == 200)
        }
        // A session whose replica died ends for good within its holder TTL: 404, never a hang.
        let orphan = try #require(broken.first)
        #expect(try await eventually(timeout: .seconds(20)) {
            let poster = try await RawHTTPConnection.connect(port: fleet.nginx.port)
            let json = #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#
            try await poster.send("POST \(orphan.endpoint) HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(json.utf8.count)\r\n\r\n\(json)")
            return try await poster.readResponse().status == 404
        })
    }
}
