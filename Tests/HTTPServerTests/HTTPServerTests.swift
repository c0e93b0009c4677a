import Dispatch
import EventLoops
import Foundation
import Glibc
import HTTPServer
import InMemoryLogging
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Synchronization
import TestSupport
import Testing

/// Handlers the live tests drive: echo, a stream fed on the test's command, and a request answered later.
private final class TestRoutes: Sendable {
    let streamOpened = TestSignal<HTTPResponseStream>()
    let streamTerminated = TestSignal<HTTPStreamTermination>()
    let slowRequestArrived = TestSignal<Void>()
    let releaseSlowRequest = TestSignal<Void>()
    let slowRequestCancelled = TestSignal<Void>()

    var router: HTTPRouter {
        var router = HTTPRouter()
        router.add(.get, "/path", handler: ClosureHandler { request in
            .text(.ok, request.head.target)
        })
        router.add(.post, "/echo", handler: ClosureHandler { request in
            HTTPResponse(status: .ok, headers: ["Content-Type": "application/octet-stream"], body: request.body)
        })
        router.add(.get, "/stream", handler: StreamHandler(routes: self))
        router.add(.get, "/slow", handler: SlowHandler(routes: self))
        router.add(.get, "/forgetful", handler: ForgetfulHandler())
        router.add(.get, "/where", handler: WhereHandler())
        return router
    }

    /// Answers where its task ran: on the event loop of the connection, before and after a resumption that came
    /// from another thread.
    private struct WhereHandler: HTTPHandler {
        func handle(_ request: HTTPRequest, responder: HTTPResponder) {
            let servingLoop = EventLoop.current
            responder.run {
                let before = servingLoop != nil && EventLoop.current === servingLoop
                await withCheckedContinuation { continuation in
                    DispatchQueue.global().async { continuation.resume() }
                }
                let after = EventLoop.current === servingLoop
                responder.respond(.text(.ok, "before=\(before) after=\(after)"))
            }
        }
    }

    private struct StreamHandler: HTTPHandler {
        let routes: TestRoutes
        func handle(_ request: HTTPRequest, responder: HTTPResponder) {
            let terminated = routes.streamTerminated
            let stream = responder.startStream(
                HTTPResponseHead(status: .ok, headers: ["Content-Type": "text/event-stream"]),
                onTermination: { terminated.fire($0) })
            if let stream { routes.streamOpened.fire(stream) }
        }
    }

    private struct SlowHandler: HTTPHandler {
        let routes: TestRoutes
        func handle(_ request: HTTPRequest, responder: HTTPResponder) {
            responder.run {
                self.routes.slowRequestArrived.fire(())
                _ = await self.routes.releaseSlowRequest.wait()
                if Task.isCancelled {
                    self.routes.slowRequestCancelled.fire(())
                } else {
                    responder.respond(.text(.ok, "finally"))
                }
            }
        }
    }

    /// A buggy handler that never answers and lets go of its responder.
    private struct ForgetfulHandler: HTTPHandler {
        func handle(_ request: HTTPRequest, responder: HTTPResponder) {}
    }
}

/// Log records the server wrote, through an in-memory handler handed to its `Logger` (never a global bootstrap).
private struct CapturedLogs {
    private let handler = InMemoryLogHandler()

    var logger: Logger {
        var logger = Logger(label: "test.http") { _ in handler }
        logger.logLevel = .debug
        return logger
    }

    /// The first record with this message, if one was written.
    func record(_ message: String) -> InMemoryLogHandler.Entry? {
        handler.entries.first { $0.message.description == message }
    }
}

@Suite("HTTP server over loopback sockets", .timeLimit(.minutes(1)))
struct HTTPServerTests {
    private let routes = TestRoutes()

    /// The most the kernel can hold for a client that reads nothing: its receive buffer, plus the server's send
    /// buffer at the largest size autotuning gives it (the third field of `tcp_wmem`), plus one 64 KiB segment that
    /// TCP may queue past that limit.
    private static func kernelBufferBytes(for connection: RawHTTPConnection) async throws -> Int {
        let fields = try String(contentsOfFile: "/proc/sys/net/ipv4/tcp_wmem", encoding: .utf8)
            .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
        let maximumSendBuffer = try #require(fields.last.flatMap { Int($0) })
        return await connection.receiveBufferBytes + maximumSendBuffer + 65536
    }

    /// This process's descriptors for connections the server accepted on `port`: bound to it and with a peer,
    /// which leaves out the listener and the test's own client sockets.
    private static func acceptedSockets(onPort port: Int) throws -> [Int32] {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").compactMap { Int32($0) }.filter { fd in
            var address = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let isBound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
            }
            guard isBound, address.sin_family == sa_family_t(AF_INET), Int(UInt16(bigEndian: address.sin_port)) == port
            else { return false }
            var peer = sockaddr_in()
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
            return withUnsafeMutablePointer(to: &peer) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) == 0 }
            }
        }
    }

    private func get(_ path: String, _ extraHeaders: String = "") -> String {
        "GET \(path) HTTP/1.1\r\nHost: test\r\n\(extraHeaders)\r\n"
    }

    @Test("keep-alive: several requests share one connection")
    func keepAlive() async throws {
        try await withTestServer(handler: routes.router) { _, port in
            let connection = try await RawHTTPConnection.connect(port: port)
            for index in 0..<3 {
                try await connection.send(get("/path?n=\(index)"))
                let response = try await connection.readResponse()
                #expect(response.status == 200)
                #expect(response.bodyText == "/path?n=\(index)")
                #expect(response.header("Connection") == nil)
                #expect(response.header("Date") != nil)
            }
        }
    }

    @Test("a request's task runs on the event loop serving its connection, and comes back to it after awaiting")
    func tasksRunOnTheConnectionsLoop() async throws {
        try await withTestServer(handler: routes.router) { _, port in
            let connection = try await RawHTTPConnection.connect(port: port)
            try await connection.send(get("/where"))
            let response = try await connection.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == "before=true after=true")
        }
    }

    @Test("accepted sockets are non-blocking and close-on-exec, so a child process never inherits a client")
    func acceptedSocketFlags() async throws {
        try await withTestServer(handler: routes.router) { _, port in
            let connection = try await RawHTTPConnection.connect(port: port)
            try await connection.send(get("/path"))
            #expect(try await connection.readResponse().status == 200)
            let accepted = try Self.acceptedSockets(onPort: port)
            #expect(accepted.count == 1)
            for fd in accepted {
                #expect(fcntl(fd, F_GETFD) & FD_CLOEXEC != 0)
                #expect(fcntl(fd, F_GETFL) & O_NONBLOCK != 0)
            }
        }
    }

    @Test("Connection: close and HTTP/1.0 end the connection after the response; 1.0 keep-alive keeps it")
    func closeRules() async throws {
        try await withTestServer(handler: routes.router) { _, port in
            let closing = try await RawHTTPConnection.connect(port: port)
            try await closing.send(get("/path", "Connection: close\r\n"))
            #expect(try await closing.readResponse().header("Connection") == "close")
            #expect(try await closing.waitForClose())

            let legacy = try await RawHTTPConnection.connect(port: port)
            try await legacy.send("GET /path HTTP/1.0\r\n\r\n")
            #expect(try await legacy.readResponse().status == 200)
            #expect(try await legacy.waitForClose())

            let legacyKeepAlive = try await RawHTTPConnection.connect(port: port)
            for _ in 0..<2 {
                try await legacyKeepAlive.send("GET /path HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                let response = try await legacyKeepAlive.readResponse()
                #expect(response.status == 200)
                #expect(response.header("Connection") == "keep-alive")
            }
        }
    }

    @Test("pipelined requests are answered in order")
    func pipelining() async throws {
        try await withTestServer(handler: routes.router) { _, port in
            let connection = try await RawHTTPConnection.connect(port: port)
            let requests = (0..<20).map { get("/path?n=\($0)") }.joined()
                + "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nlast"
            try await connection.send(requests)
            for index in 0..<20 {
                #expect(try await connection.readResponse().bodyText == "/path?n=\(index)")
            }
            #expect(try await connection.readResponse().bodyText == "last")
        }
    }

    @Test("a chunked request body is reassembled")
    func chunkedRequest() async throws {
        try await withTestServer(handler: routes.router) { _, port in
            let connection = try await RawHTTPConnection.connect(port: port)
            try await connection.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n")
            try await connection.send("4\r\nwiki\r\n")
            try await connection.send("5\r\npedia\r\n0\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.bodyText == "wikipedia")
            #expect(response.header("Content-Length") == "9")
        }
    }

    @Test("Expect: 100-continue gets an interim response before the body is sent")
    func expectContinue() async throws {
        try await withTestServer(handler: routes.router) { _, port in
            let connection = try await RawHTTPConnection.connect(port: port)
            try await connection.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
            #expect(try await connection.readHead().status == 100)
            try await connection.send("hello")
            let response = try await connection.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == "hello")
        }
    }

    @Test("an oversized body announced with Expect: 100-continue is refused without an interim response")
    func expectContinueRefused() async throws {
        var configuration = HTTPServerConfiguration()
        configuration.requestLimits.maxBodyBytes = 16
        try await withTestServer(configuration: configuration, handler: routes.router) { _, port in
            let connection = try await RawHTTPConnection.connect(port: port)
            try await connection.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 17\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.status == 413)
            #expect(response.jsonBody?["error"] as? String == "payload_too_large")
            #expect(response.jsonBody?["message"] as? String == "request body exceeds 16 bytes")
        }
    }

    @Test("each limit crossed gets its status and a JSON error, then the connection closes", arguments: [
        ("GET /\(String(repeating: "a", count: 300)) HTTP/1.1\r\nHost: t\r\n\r\n", 414, "uri_too_long"),
        ("GET / HTTP/1.1\r\nHost: t\r\nX: \(String(repeating: "h", count: 600))\r\n\r\n", 431, "request_header_fields_too_large"),
        ("GET / HTTP/1.1\r\nHost: t\r\n" + String(repeating: "X-A: b\r\n", count: 12) + "\r\n", 431, "request_header_fields_too_large"),
        ("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2000\r\n\r\n", 413, "payload_too_large"),
        ("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n\(String(repeating: "c", count: 1024))\r\n400\r\n", 413, "payload_too_large"),
        ("GARBAGE\r\n\r\n", 400, "bad_request"),
        ("GET / HTTP/1.1\r\n\r\n", 400, "bad_request"),
        ("GET / HTTP/3.0\r\nHost: t\r\n\r\n", 505, "http_version_not_supported"),
        ("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n", 501, "not_implemented"),
    ])
    func limits(request: String, status: Int, code: String) async throws {
        var configuration = HTTPServerConfiguration()
        configuration.requestLimits = .init(maxRequestLineBytes: 256, maxHeaderBytes: 512, maxHeaderCount: 10,
                                            maxBodyBytes: 1500)
        try await withTestServer(configuration: configuration, handler: routes.router) { _, port in
            let connection = try await RawHTTPConnection.connect(port: port)
            try await connection.send(request)
            let response = try await connection.readResponse()
            #expect(response.status == status)
            #expect(response.jsonBody?["error"] as? String == code)
            #expect(response.header("Connection") == "close")
            #expect(try await connection.waitForClose())
        }
    }

    @Test("unknown paths get 404, wrong methods 405 with Allow, HEAD mirrors GET without a body")
    func routing() async throws {
        try await withTestServer(handler: routes.router) { _, port in
            let connection = try await RawHTTPConnection.connect(port: port)
            try await connection.send(get("/nope"))
            let missing = try await connection.readResponse()
            #expect(missing.status == 404)
            #expect(missing.jsonBody?["error"] as? String == "not_found")

            try await connection.send("DELETE /echo HTTP/1.1\r\nHost: t\r\n\r\n")
            let wrongMethod = try await connection.readResponse()
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.header("Allow") == "POST")

            try await connection.send("HEAD /path HTTP/1.1\r\nHost: t\r\n\r\n")
            let head = try await connection.readResponse(isHead: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "5")
            // The connection is still in step: the HEAD response carried no body bytes.
            try await connection.send(get("/path"))
            #expect(try await connection.readResponse().bodyText == "/path")
        }
    }

    @Test("the request id is taken from X-Request-Id when usable, generated otherwise")
    func requestID() async throws {
        try await withTestServer(handler: routes.router) { _, port in
            let connection = try await RawHTTPConnection.connect(port: port)
            try await connection.send(get("/path", "X-Request-Id: trace-123\r\n"))
            #expect(try await connection.readResponse().header("X-Request-Id") == "trace-123")
            try await connection.send(get("/path", "X-Request-Id: bad id with spaces\r\n"))
            let generated = try #require(try await connection.readResponse().header("X-Request-Id"))
            #expect(generated != "bad id with spaces")
            #expect(!generated.isEmpty)
        }
    }

    @Test("a handler that never answers yields a 500 instead of a hang")
    func forgottenResponse() async throws {
        try await withTestServer(handler: routes.router) { _, port in
            let connection = try await RawHTTPConnection.connect(port: port)
            try await connection.send(get("/forgetful"))
            let response = try await connection.readResponse()
            #expect(response.status == 500)
            #expect(response.jsonBody?["error"] as? String == "internal_error")
        }
    }

    @Test("a streaming response is delivered as it is written")
    func streamingIncrementally() async throws {
        try await withTestServer(handler: routes.router) { _, port in
            let connection = try await RawHTTPConnection.connect(port: port)
            try await connection.send(get("/stream"))
            let stream = try #require(await routes.streamOpened.wait())
            let head = try await connection.readHead()
            #expect(head.header("Transfer-Encoding") == "chunked")
            #expect(stream.send(ServerSentEvent(event: "first", data: "1")))
            // The second event is written only after the first was read: nothing waits for the stream to end.
            #expect(try await connection.readChunk() == Array("event: first\ndata: 1\n\n".utf8))
            #expect(stream.send(ServerSentEvent(data: "two\nlines")))
            #expect(try await connection.readChunk() == Array("data: two\ndata: lines\n\n".utf8))
            stream.end()
            #expect(try await connection.readChunk() == nil)
            #expect(await routes.streamTerminated.wait() == .ended)
            // The connection serves the next request after the stream.
            try await connection.send(get("/path"))
            #expect(try await connection.readResponse().bodyText == "/path")
        }
    }

    @Test("a client leaving mid-stream is noticed: its stream ends and its connection is freed")
    func disconnectMidStream() async throws {
        try await withTestServer(handler: routes.router) { server, port in
            let connection = try await RawHTTPConnection.connect(port: port)
            try await connection.send(get("/stream"))
            let stream = try #require(await routes.streamOpened.wait())
            _ = try await connection.readHead()
            #expect(server.openConnectionCount == 1)
            await connection.closeAbruptly()
            #expect(await routes.streamTerminated.wait() == .clientDisconnected)
            #expect(server.openConnectionCount == 0)
            #expect(stream.write(Array("late".utf8)) == false)
        }
    }

    @Test("a client that half-closes after its request still gets the async handler's answer, then a close",
          arguments: ["HTTP/1.1", "HTTP/1.0"])
    func halfClosedClient(version: String) async throws {
        let logs = CapturedLogs()
        try await withTestServer(handler: routes.router, logger: logs.logger) { server, port in
            let connection = try await RawHTTPConnection.connect(port: port)
            try await connection.send("GET /slow \(version)\r\nHost: t\r\n\r\n")
            _ = await routes.slowRequestArrived.wait()
            await connection.shutdownWrites()
            if version == "HTTP/1.1" {
                // The interim answer that tells a half-closed client (which reads past it) from one that left.
                #expect(try await connection.readHead().status == 100)
            }
            #expect(try await eventually { logs.record("peer half-closed; finishing its response") != nil })
            routes.releaseSlowRequest.fire(())
            let response = try await connection.readResponse()
            #expect(response.status == 200)
            #expect(response.bodyText == "finally")
            #expect(try await connection.waitForClose())
            #expect(try await eventually { server.openConnectionCount == 0 })
        }
    }

    @Test("a client that closes its socket while its request is handled is noticed: the work is cancelled")
    func closedClientCancelsWork() async throws {
        try await withTestServer(handler: routes.router) { server, port in
            let connection = try await RawHTTPConnection.connect(port: port)
            try await connection.send(get("/slow"))
            _ = await routes.slowRequestArrived.wait()
            await connection.closeAbruptly()
            #expect(await routes.slowRequestCancelled.wait() != nil)
            #expect(try await eventually { server.openConnectionCount == 0 })
        }
    }

    @Test("a reader slower than the stream is cut at the buffer cap and logged; what it costs stays within the cap")
    func slowReader() async throws {
        let logs = CapturedLogs()
        var configuration = HTTPServerConfiguration()
        configuration.streamBufferBytes = 64 * 1024
        try await withTestServer(configuration: configuration, handler: routes.router, logger: logs.logger) {
            server, port in
            let connection = try await RawHTTPConnection.connect(port: port, receiveBufferBytes: 4096)
            try await connection.send(get("/stream"))
            let stream = try #require(await routes.streamOpened.wait())
            let payload = [UInt8](repeating: UInt8(ascii: "x"), count: 16 * 1024)
            var written = 0
            // The client reads nothing and the producer never pauses, so it runs ahead of the connection's loop:
            // the server has to refuse writes, not queue them.
            while stream.write(payload) {
                written += payload.count
            }
            #expect(await routes.streamTerminated.wait() == .slowReader)
            // Every accepted byte is in the kernel's socket buffers or was queued within the cap.
            let kernelBytes = try await Self.kernelBufferBytes(for: connection)
            #expect(written <= configuration.streamBufferBytes + kernelBytes)
            let record = try #require(logs.record("closing stream: client reads too slowly"))
            #expect(record.level == .warning)
            #expect(record.metadata["http.buffer_limit"] == "65536")
            #expect(record.metadata["request.id"] != nil)
            #expect(try await eventually { server.openConnectionCount == 0 })
        }
    }

    @Test("slowloris: headers trickled a byte at a time, each well inside the header timeout, still get 408 and a close")
    func slowloris() async throws {
        var configuration = HTTPServerConfiguration()
        configuration.headerTimeout = .milliseconds(300)
        try await withTestServer(configuration: configuration, handler: routes.router) { _, port in
            let connection = try await RawHTTPConnection.connect(port: port)
            let trickled = Array("GET /path HTTP/1.1\r\nHost: t\r\nX-Slow: \(String(repeating: "a", count: 150))".utf8)
            let trickle = Task {
                // 150 bytes 20 ms apart last ten header timeouts. The timeout counts from the first byte, so the
                // answer comes long before the last; a server that restarted it on every byte would instead
                // see the headers completed here and answer 200.
                for byte in trickled {
                    try await connection.send([byte])
                    try await Task.sleep(for: .milliseconds(20))
                }
                try await connection.send("\r\n\r\n")
            }
            let response = try await connection.readResponse()
            trickle.cancel()
            _ = await trickle.result
            #expect(response.status == 408)
            #expect(response.jsonBody?["error"] as? String == "request_timeout")
            #expect(try await connection.waitForClose())
        }
    }

    @Test("a body that does not arrive within the body timeout gets 408")
    func bodyTimeout() async throws {
        var configuration = HTTPServerConfiguration()
        configuration.bodyTimeout = .milliseconds(300)
        try await withTestServer(configuration: configuration, handler: routes.router) { _, port in
            let connection = try await RawHTTPConnection.connect(port: port)
            try await connection.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc")
            #expect(try await connection.readResponse().status == 408)
        }
    }

    @Test("an idle keep-alive connection is closed after the idle timeout")
    func idleTimeout() async throws {
        var configuration = HTTPServerConfiguration()
        configuration.idleTimeout = .milliseconds(300)
        try await withTestServer(configuration: configuration, handler: routes.router) { server, port in
            // The idle clock also runs before the first request. On a loaded machine that request can arrive after
            // it, and the connection is then rightly closed unanswered, which says nothing about an idle keep-alive
            // connection: such a try is repeated.
            var wasAnswered = false
            for _ in 0..<20 where !wasAnswered {
                let connection = try await RawHTTPConnection.connect(port: port)
                guard (try? await connection.send(get("/path"))) != nil,
                      let response = try? await connection.readResponse()
                else { continue }
                wasAnswered = true
                #expect(response.status == 200)
                #expect(try await connection.waitForClose())
            }
            #expect(wasAnswered)
            #expect(try await eventually { server.openConnectionCount == 0 })
        }
    }

    @Test("a client that accepts no bytes for the write timeout is dropped and its connection freed")
    func writeTimeout() async throws {
        let logs = CapturedLogs()
        var configuration = HTTPServerConfiguration()
        configuration.writeTimeout = .milliseconds(300)
        // Far above what is written, so the write timeout and not the buffer cap is what ends the stream.
        configuration.streamBufferBytes = 256 * 1024 * 1024
        try await withTestServer(configuration: configuration, handler: routes.router, logger: logs.logger) {
            server, port in
            let connection = try await RawHTTPConnection.connect(port: port, receiveBufferBytes: 4096)
            try await connection.send(get("/stream"))
            let stream = try #require(await routes.streamOpened.wait())
            // More than the kernel can hold, so bytes wait in the server for a client that never reads.
            let payload = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
            let kernelBytes = try await Self.kernelBufferBytes(for: connection)
            // A write refused early (the test task held up past the timeout with bytes waiting) changes nothing.
            for _ in 0...(kernelBytes / payload.count + 1) {
                guard stream.write(payload) else { break }
            }
            #expect(await routes.streamTerminated.wait() == .writeTimeout)
            #expect(logs.record("closing connection: peer stopped reading") != nil)
            #expect(try await eventually { server.openConnectionCount == 0 })
        }
    }

    @Test("over the connection cap a client gets 503 with Retry-After, never a hang")
    func connectionCap() async throws {
        var configuration = HTTPServerConfiguration()
        configuration.maxConnections = 2
        try await withTestServer(configuration: configuration, handler: routes.router) { server, port in
            var held: [RawHTTPConnection] = []
            for _ in 0..<2 {
                let connection = try await RawHTTPConnection.connect(port: port)
                try await connection.send(get("/path"))
                #expect(try await connection.readResponse().status == 200)
                held.append(connection)
            }
            let refused = try await RawHTTPConnection.connect(port: port)
            try await refused.send(get("/path"))
            let response = try await refused.readResponse()
            #expect(response.status == 503)
            #expect(response.header("Retry-After") == "1")
            #expect(response.jsonBody?["error"] as? String == "too_many_connections")
            #expect(server.openConnectionCount == 2)
            // Once a held connection goes, a new one is served again.
            await held.removeFirst().closeAbruptly()
            #expect(try await eventually { server.openConnectionCount == 1 })
            let next = try await RawHTTPConnection.connect(port: port)
            try await next.send(get("/path"))
            #expect(try await next.readResponse().status == 200)
        }
    }

    @Test("when the drain time is over, a request still in flight is closed, its work cancelled, and run returns")
    func drainTimeout() async throws {
        let logs = CapturedLogs()
        var configuration = HTTPServerConfiguration(port: 0)
        configuration.drainTimeout = .milliseconds(200)
        let server = HTTPServer(configuration: configuration, handler: routes.router, logger: logs.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let port = try await server.waitUntilListening()
            let inFlight = try await RawHTTPConnection.connect(port: port)
            try await inFlight.send(get("/slow"))
            _ = await routes.slowRequestArrived.wait()
            // The request is never released: only the drain deadline can end it.
            server.shutdown()
            try await group.next()
            #expect(server.openConnectionCount == 0)
            #expect(logs.record("drain time is over; closing remaining connections") != nil)
            #expect(await routes.slowRequestCancelled.wait() != nil)
            await #expect(throws: RawHTTPConnection.Failure.self) { try await inFlight.readResponse() }
        }
    }

    @Test("a server that cannot bind makes waitUntilListening throw, also when run failed before the wait began")
    func waitAfterBindFailure() async throws {
        try await withTestServer(handler: routes.router) { _, port in
            var configuration = HTTPServerConfiguration(port: port)
            configuration.host = "127.0.0.1"
            let second = HTTPServer(configuration: configuration, handler: routes.router, logger: Logger(label: "test"))
            // run() has failed and returned before anyone waits: the order a loaded machine can produce when run()
            // starts in a child task and the parent then waits.
            await #expect(throws: SocketError.self) { try await second.run() }
            await #expect(throws: SocketError.self) { _ = try await second.waitUntilListening() }
        }
    }

    @Test("graceful shutdown: drain starts, the stream ends cleanly, in-flight and idle connections finish, run returns")
    func gracefulShutdown() async throws {
        let drainStarted = TestSignal<Void>()
        let server = HTTPServer(configuration: HTTPServerConfiguration(port: 0), handler: routes.router,
                                logger: Logger(label: "test"), onDrainStart: { drainStarted.fire(()) })
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                let port = try await server.waitUntilListening()

                let streaming = try await RawHTTPConnection.connect(port: port)
                try await streaming.send(get("/stream"))
                _ = try #require(await routes.streamOpened.wait())
                _ = try await streaming.readHead()

                let inFlight = try await RawHTTPConnection.connect(port: port)
                try await inFlight.send(get("/slow"))
                _ = await routes.slowRequestArrived.wait()

                let idle = try await RawHTTPConnection.connect(port: port)
                try await idle.send(get("/path"))
                _ = try await idle.readResponse()

                trigger.triggerGracefulShutdown()
                _ = await drainStarted.wait()
                #expect(server.isDraining)

                // The stream gets its terminating chunk, then the connection closes.
                #expect(try await streaming.readChunkedBodyToEnd().isEmpty)
                #expect(try await streaming.waitForClose())
                #expect(await routes.streamTerminated.wait() == .serverShutdown)
                // A request on an idle keep-alive connection is still answered, with Connection: close.
                try await idle.send(get("/path"))
                let last = try await idle.readResponse()
                #expect(last.status == 200)
                #expect(last.header("Connection") == "close")
                #expect(try await idle.waitForClose())
                // New connections are refused.
                await #expect(throws: (any Error).self) {
                    let late = try await RawHTTPConnection.connect(port: port)
                    try await late.send(get("/path"))
                    _ = try await late.readResponse()
                }
                // The in-flight request still completes, with Connection: close.
                routes.releaseSlowRequest.fire(())
                let response = try await inFlight.readResponse()
                #expect(response.bodyText == "finally")
                #expect(response.header("Connection") == "close")
                try await group.waitForAll()
                #expect(server.openConnectionCount == 0)
            }
        }
    }
}
