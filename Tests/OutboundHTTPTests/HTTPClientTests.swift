import HTTPServer
import OutboundHTTP
import Synchronization
import TestSupport
import Testing

/// Handlers a loopback server answers the client's requests with.
private struct EchoRoutes {
    /// "hello, compressed world", gzip-compressed.
    static let gzipped: [UInt8] = [31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 203, 72, 205, 201, 201, 215, 81, 72, 206, 207, 45, 40, 74, 45, 46, 78, 77, 81, 40, 207, 47, 202, 73, 1, 0, 8, 158, 52, 53, 23, 0, 0, 0]

    static func router(cancelled: TestSignal<Void>) -> HTTPRouter {
        var router = HTTPRouter()
        router.add(.post, "/echo", handler: ClosureHandler { request in
            var headers: HTTPHeaders = ["X-Method": request.method.rawValue]
            headers.add(name: "X-Seen-Header", value: request.headers["X-Custom"] ?? "")
            return HTTPResponse(status: .created, headers: headers, body: request.body)
        })
        router.add(.get, "/gzip", handler: ClosureHandler { _ in
            HTTPResponse(status: .ok, headers: ["Content-Encoding": "gzip", "Content-Type": "text/plain"], body: gzipped)
        })
        router.add(.get, "/big", handler: ClosureHandler { _ in
            HTTPResponse(status: .ok, body: [UInt8](repeating: 120, count: 100_000))
        })
        router.add(.get, "/never", handler: NeverHandler(cancelled: cancelled))
        return router
    }

    /// Answers only when the client has gone, which it reports.
    struct NeverHandler: HTTPHandler {
        let cancelled: TestSignal<Void>
        func handle(_ request: HTTPRequest, responder: HTTPResponder) {
            responder.run {
                // Polls the client's presence; the server cancels this work when the client disconnects.
                while !responder.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
                cancelled.fire(())
            }
        }
    }
}

@Suite("Outbound HTTP through libcurl", .timeLimit(.minutes(1)))
struct HTTPClientTests {
    private let plain = OutboundHTTPConfiguration(allowsPlainHTTP: true)

    @Test("method, headers, body and status go both ways; connections are reused")
    func roundTrip() async throws {
        let cancelled = TestSignal<Void>()
        try await withTestServer(handler: EchoRoutes.router(cancelled: cancelled)) { server, port in
            let client = HTTPClient(configuration: plain)
            for index in 0..<3 {
                let response = try await client.send(OutboundRequest(
                    method: "POST", url: "http://127.0.0.1:\(port)/echo", headers: [("X-Custom", "v\(index)")],
                    body: Array("payload \(index)".utf8)))
                #expect(response.status == 201)
                #expect(response.header("x-method") == "POST")
                #expect(response.header("X-Seen-Header") == "v\(index)")
                #expect(response.body == Array("payload \(index)".utf8))
            }
            #expect(server.openConnectionCount == 1)
        }
    }

    @Test("gzip responses are decompressed")
    func gzip() async throws {
        try await withTestServer(handler: EchoRoutes.router(cancelled: TestSignal())) { _, port in
            let response = try await HTTPClient(configuration: plain).send(
                OutboundRequest(url: "http://127.0.0.1:\(port)/gzip"))
            #expect(String(decoding: response.body, as: UTF8.self) == "hello, compressed world")
        }
    }

    @Test("a response over the size cap is refused")
    func sizeCap() async throws {
        var configuration = plain
        configuration.maxResponseBytes = 10_000
        try await withTestServer(handler: EchoRoutes.router(cancelled: TestSignal())) { _, port in
            await #expect(throws: OutboundHTTPError.responseTooLarge(limit: 10_000)) {
                try await HTTPClient(configuration: configuration).send(OutboundRequest(url: "http://127.0.0.1:\(port)/big"))
            }
        }
    }

    @Test("a slow answer times out; cancelling the task aborts the transfer, which the server notices")
    func timeoutAndCancellation() async throws {
        let cancelled = TestSignal<Void>()
        try await withTestServer(handler: EchoRoutes.router(cancelled: cancelled)) { _, port in
            let client = HTTPClient(configuration: plain)
            await #expect(throws: OutboundHTTPError.timedOut) {
                try await client.send(OutboundRequest(url: "http://127.0.0.1:\(port)/never", timeout: .milliseconds(200)))
            }
            _ = await cancelled.wait()
            let started = TestSignal<Void>()
            let task = Task {
                started.fire(())
                return try await client.send(OutboundRequest(url: "http://127.0.0.1:\(port)/never"))
            }
            _ = await started.wait()
            task.cancel()
            await #expect(throws: OutboundHTTPError.cancelled) { try await task.value }
        }
    }

    @Test("plain http is refused unless allowed; unreachable hosts fail as connection failures")
    func refusals() async throws {
        let strict = HTTPClient()
        await #expect(throws: OutboundHTTPError.protocolNotAllowed("http://127.0.0.1:1/")) {
            try await strict.send(OutboundRequest(url: "http://127.0.0.1:1/"))
        }
        await #expect(throws: OutboundHTTPError.invalidURL("ftp://example.com/")) {
            try await strict.send(OutboundRequest(url: "ftp://example.com/"))
        }
        let port = try RedisServer.freePort()
        do {
            _ = try await HTTPClient(configuration: plain).send(OutboundRequest(url: "http://127.0.0.1:\(port)/"))
            Issue.record("nothing listens there")
        } catch {
            #expect(error.isTransient)
        }
    }
}
