import Gateway
import HTTPServer
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import TestSupport
import Testing

private struct FixedCheck: ReadinessCheck {
    let name: String
    let isReady: Bool
}

@Suite("Health probes", .timeLimit(.minutes(1)))
struct HealthTests {
    private func router(_ readiness: ReadinessMonitor, streams: TestSignal<HTTPResponseStream>? = nil) -> HTTPRouter {
        var router = HTTPRouter()
        HealthRoutes.add(to: &router, readiness: readiness)
        if let streams {
            router.add(.get, "/stream", handler: StreamHandler(opened: streams))
        }
        return router
    }

    private struct StreamHandler: HTTPHandler {
        let opened: TestSignal<HTTPResponseStream>
        func handle(_ request: HTTPRequest, responder: HTTPResponder) {
            if let stream = responder.startStream(HTTPResponseHead(headers: ["Content-Type": "text/event-stream"])) {
                opened.fire(stream)
            }
        }
    }

    @Test("live and ready answer 200 while serving, HEAD included")
    func healthy() async throws {
        try await withTestServer(handler: router(ReadinessMonitor())) { _, port in
            let connection = try await RawHTTPConnection.connect(port: port)
            for path in ["/health/live", "/health/ready"] {
                try await connection.send("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
                let response = try await connection.readResponse()
                #expect(response.status == 200)
                #expect(response.header("Content-Type") == "application/json")
                try await connection.send("HEAD \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
                let head = try await connection.readResponse(isHead: true)
                #expect(head.status == 200)
                #expect(head.body.isEmpty)
            }
        }
    }

    @Test("ready answers 503 naming each failing dependency; live stays 200")
    func failingDependency() async throws {
        let readiness = ReadinessMonitor(checks: [FixedCheck(name: "redis", isReady: false),
                                                  FixedCheck(name: "store", isReady: true)])
        try await withTestServer(handler: router(readiness)) { _, port in
            let connection = try await RawHTTPConnection.connect(port: port)
            try await connection.send("GET /health/ready HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try await connection.readResponse()
            #expect(response.status == 503)
            #expect(response.jsonBody?["failing"] as? [String] == ["redis"])
            try await connection.send("GET /health/live HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await connection.readResponse().status == 200)
        }
    }

    @Test("graceful shutdown: ready turns 503 at once, the open stream ends, the server returns")
    func drainTurnsReadinessOff() async throws {
        let readiness = ReadinessMonitor()
        let streams = TestSignal<HTTPResponseStream>()
        let drainStarted = TestSignal<Void>()
        let server = HTTPServer(configuration: HTTPServerConfiguration(port: 0), handler: router(readiness, streams: streams),
                                logger: Logger(label: "test"),
                                onDrainStart: { readiness.beginDraining(); drainStarted.fire(()) })
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await server.run() }
                let port = try await server.waitUntilListening()
                let probe = try await RawHTTPConnection.connect(port: port)
                try await probe.send("GET /health/ready HTTP/1.1\r\nHost: t\r\n\r\n")
                #expect(try await probe.readResponse().status == 200)
                let streaming = try await RawHTTPConnection.connect(port: port)
                try await streaming.send("GET /stream HTTP/1.1\r\nHost: t\r\n\r\n")
                _ = try #require(await streams.wait())
                _ = try await streaming.readHead()

                trigger.triggerGracefulShutdown()
                _ = await drainStarted.wait()
                try await probe.send("GET /health/ready HTTP/1.1\r\nHost: t\r\n\r\n")
                let draining = try await probe.readResponse()
                #expect(draining.status == 503)
                #expect(draining.jsonBody?["failing"] as? [String] == ["draining"])
                _ = try await streaming.readChunkedBodyToEnd()
                #expect(try await streaming.waitForClose())
                try await group.waitForAll()
            }
        }
    }
}
