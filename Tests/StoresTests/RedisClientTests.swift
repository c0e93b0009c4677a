import EventLoops
import Stores
import TestSupport
import Testing

@Suite("Redis URL")
struct RedisURLTests {
    @Test("TCP URLs with credentials and a database; Unix sockets; garbage refused")
    func parsing() throws {
        let full = try #require(RedisURL("redis://user:p%40ss@cache.internal:6380/3"))
        #expect(full.endpoint == .tcp(host: "cache.internal", port: 6380))
        #expect(full.username == "user")
        #expect(full.password == "p@ss")
        #expect(full.database == 3)
        #expect(full.description == "redis://user:<redacted>@cache.internal:6380/3")
        let passwordOnly = try #require(RedisURL("redis://:secret@localhost"))
        #expect(passwordOnly.username == nil)
        #expect(passwordOnly.password == "secret")
        #expect(passwordOnly.endpoint == .tcp(host: "localhost", port: 6379))
        #expect(!"\(passwordOnly)".contains("secret"))
        let unix = try #require(RedisURL("unix:///run/redis.sock?db=2"))
        #expect(unix.endpoint == .unix(path: "/run/redis.sock"))
        #expect(unix.database == 2)
        for bad in ["http://x", "redis://", "redis://host:0", "redis://host:99999", "redis://host/x", "unix://relative"] {
            #expect(RedisURL(bad) == nil, "\(bad)")
        }
    }
}

@Suite("Redis client on a real redis-server", .timeLimit(.minutes(1)))
struct RedisClientTests {
    @Test("every reply type maps to a Swift value; pipelines answer in order")
    func replies() async throws {
        let server = try await RedisServer.start()
        defer { server.stop() }
        let client = RedisClient(configuration: .init(url: try #require(RedisURL(server.url))))
        #expect(try await client.send("PING") == .simpleString("PONG"))
        #expect(try await client.send("SET", "k", "v") == .simpleString("OK"))
        #expect(try await client.send("GET", "k") == .bulkString(Array("v".utf8)))
        #expect(try await client.send("GET", "missing") == .null)
        #expect(try await client.send("INCRBY", "n", "41") == .integer(41))
        #expect(try await client.send("RPUSH", "l", "a", "b") == .integer(2))
        #expect(try await client.send("LRANGE", "l", "0", "-1") == .array([.bulkString([97]), .bulkString([98])]))
        guard case .error(let message) = try await client.send("NOSUCHCOMMAND") else {
            Issue.record("expected an error reply")
            return
        }
        #expect(message.hasPrefix("ERR"))
        // Binary-safe: NUL and CR LF inside values survive.
        let binary: [UInt8] = [0, 13, 10, 255]
        _ = try await client.send(RedisCommand([Array("SET".utf8), Array("b".utf8), binary]))
        #expect(try await client.send("GET", "b") == .bulkString(binary))
        let replies = try await client.pipeline([RedisCommand("INCR", "p"), RedisCommand("INCR", "p"),
                                                 RedisCommand("GET", "p")])
        #expect(replies == [.integer(1), .integer(2), .bulkString(Array("2".utf8))])
    }

    @Test("concurrent commands sharing a connection's round trips each get their own reply")
    func concurrentCommands() async throws {
        let server = try await RedisServer.start()
        defer { server.stop() }
        let client = RedisClient(configuration: .init(url: try #require(RedisURL(server.url)), connectionsPerLoop: 2))
        let replies = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
            for index in 0..<300 {
                group.addTask {
                    // A command whose reply names its sender: a reply handed to the wrong caller shows.
                    (index, try await client.send("ECHO", "caller-\(index)").string)
                }
            }
            var replies: [Int: String] = [:]
            for try await (index, reply) in group { replies[index] = reply }
            return replies
        }
        #expect(replies.count == 300)
        #expect(replies.allSatisfy { $0.value == "caller-\($0.key)" })
        #expect(try await client.send("INCR", "n").integer == 1)
    }

    @Test("commands from tasks on an event loop share that loop's one connection, and each caller gets its reply")
    func commandsFromTheLoop() async throws {
        let server = try await RedisServer.start()
        defer { server.stop() }
        let group = EventLoopGroup(count: 2, label: "test.loop")
        group.start()
        let client = RedisClient(configuration: .init(url: try #require(RedisURL(server.url))), eventLoops: group)
        let replies = try await withThrowingTaskGroup(of: (Int, String?, Bool).self) { tasks in
            for index in 0..<200 {
                let loop = group.loops[index % 2]
                tasks.addTask(executorPreference: loop) {
                    let reply = try await client.send("ECHO", "caller-\(index)").string
                    return (index, reply, loop.isCurrent)
                }
            }
            var replies: [Int: (String?, Bool)] = [:]
            for try await (index, reply, isOnLoop) in tasks { replies[index] = (reply, isOnLoop) }
            return replies
        }
        #expect(replies.count == 200)
        #expect(replies.allSatisfy { $0.value.0 == "caller-\($0.key)" })
        // Each caller resumed on its own loop, where its reply was read.
        #expect(replies.allSatisfy { $0.value.1 })
        // One connection per loop, however many callers: CLIENT LIST shows the connections Redis sees, each with the
        // last command it ran (the fixture's own PING connection may linger, and is left out).
        let clients = try #require(try await client.send("CLIENT", "LIST").string)
        let ours = clients.split(separator: "\n").filter { $0.contains(" cmd=echo ") || $0.contains(" cmd=client|list ") }
        #expect(ours.count == 2)
        await client.close()
        await group.stop()
    }

    @Test("a client whose event loops have stopped fails commands at once, and closes, instead of waiting forever")
    func stoppedLoops() async throws {
        let server = try await RedisServer.start()
        defer { server.stop() }
        let group = EventLoopGroup(count: 1, label: "test.loop")
        group.start()
        let client = RedisClient(configuration: .init(url: try #require(RedisURL(server.url))), eventLoops: group)
        #expect(try await client.send("PING") == .simpleString("PONG"))
        await group.stop()
        await #expect(throws: StoreError.unavailable("redis client is shut down")) { try await client.send("PING") }
        await client.close()
    }

    @Test("scripts run by SHA and are reloaded after the server forgets them")
    func scripts() async throws {
        let server = try await RedisServer.start()
        defer { server.stop() }
        let client = RedisClient(configuration: .init(url: try #require(RedisURL(server.url))))
        let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
        #expect(try await client.evaluate(script, keys: [Array("c".utf8)], arguments: [Array("2".utf8)]) == .integer(2))
        #expect(try await client.send("SCRIPT", "FLUSH") == .simpleString("OK"))
        #expect(try await client.evaluate(script, keys: [Array("c".utf8)], arguments: [Array("3".utf8)]) == .integer(5))
    }

    @Test("AUTH and SELECT from the URL; a wrong password is a clear error that does not contain it")
    func authentication() async throws {
        let server = try await RedisServer.start(password: "s3cr3t-pass")
        defer { server.stop() }
        let good = RedisClient(configuration: .init(url: try #require(RedisURL("redis://:s3cr3t-pass@127.0.0.1:\(server.port)/5"))))
        #expect(try await good.send("SET", "x", "1") == .simpleString("OK"))
        let other = RedisClient(configuration: .init(url: try #require(RedisURL("redis://:s3cr3t-pass@127.0.0.1:\(server.port)/0"))))
        #expect(try await other.send("GET", "x") == .null)
        let bad = RedisClient(configuration: .init(url: try #require(RedisURL("redis://:wrong-pass-9@127.0.0.1:\(server.port)/0"))))
        do {
            _ = try await bad.send("PING")
            Issue.record("a wrong password must fail")
        } catch {
            #expect(error.description.contains("AUTH failed"))
            #expect(!error.description.contains("wrong-pass-9"))
        }
    }

    @Test("a Unix socket URL reaches the server")
    func unixSocket() async throws {
        let path = "/tmp/redis-test-\(UInt32.random(in: 0...UInt32.max)).sock"
        let server = try await RedisServer.start(unixSocket: path)
        defer { server.stop() }
        let client = RedisClient(configuration: .init(url: try #require(RedisURL("unix://\(path)?db=1"))))
        #expect(try await client.send("SET", "via", "unix") == .simpleString("OK"))
        let tcp = RedisClient(configuration: .init(url: try #require(RedisURL("redis://127.0.0.1:\(server.port)/1"))))
        #expect(try await tcp.send("GET", "via") == .bulkString(Array("unix".utf8)))
    }

    @Test("a command that takes longer than the command timeout fails instead of waiting")
    func commandTimeout() async throws {
        let server = try await RedisServer.start()
        defer { server.stop() }
        let client = RedisClient(configuration: .init(url: try #require(RedisURL(server.url)),
                                                      commandTimeout: .milliseconds(200)))
        // BLPOP on an empty list holds the reply for two seconds.
        await #expect(throws: StoreError.self) { try await client.send("BLPOP", "empty", "2") }
        #expect(try await eventually { (try? await client.send("PING")) == .simpleString("PONG") })
    }

    @Test("a command that timed out after Redis received it is not sent again")
    func timedOutCommandRunsOnce() async throws {
        let server = try await RedisServer.start()
        defer { server.stop() }
        let client = RedisClient(configuration: .init(url: try #require(RedisURL(server.url)),
                                                      commandTimeout: .milliseconds(200)))
        // An open connection, as in steady state, so a failure on it is one a retry could follow.
        #expect(try await client.send("PING") == .simpleString("PONG"))
        // Redis runs the INCR at once; the BLPOP then holds the pipeline's reply past the timeout.
        await #expect(throws: StoreError.self) {
            try await client.pipeline([RedisCommand("INCR", "counted"), RedisCommand("BLPOP", "empty", "2")])
        }
        #expect(try await client.send("GET", "counted") == .bulkString(Array("1".utf8)))
    }

    @Test("after a restart the first command on a connection the server closed succeeds, and runs once")
    func staleConnectionIsReplaced() async throws {
        var server = try await RedisServer.start()
        let port = server.port
        let client = RedisClient(configuration: .init(url: try #require(RedisURL(server.url))))
        #expect(try await client.send("PING") == .simpleString("PONG"))
        server.stop()
        server = try await RedisServer.start(port: port)
        defer { server.stop() }
        #expect(try await client.send("INCR", "once") == .integer(1))
        #expect(try await client.send("GET", "once") == .bulkString(Array("1".utf8)))
    }

    @Test("an unreachable server is a clear error, and the client reconnects when it returns")
    func outageAndReconnect() async throws {
        var server = try await RedisServer.start()
        let port = server.port
        let client = RedisClient(configuration: .init(url: try #require(RedisURL(server.url))))
        #expect(try await client.send("PING") == .simpleString("PONG"))
        server.stop()
        await #expect(throws: StoreError.self) { try await client.send("PING") }
        server = try await RedisServer.start(port: port)
        defer { server.stop() }
        #expect(try await eventually { (try? await client.send("PING")) == .simpleString("PONG") })
    }
}
