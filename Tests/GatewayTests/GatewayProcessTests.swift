import Foundation
import Glibc
import TestSupport
import Testing

/// The real executable, as an operator runs it.
@Suite("make-mcp-gateway process", .timeLimit(.minutes(2)))
struct GatewayProcessTests {
    @Test("--help lists every setting and exits 0")
    func help() async throws {
        let (status, output) = try await GatewayProcess.runToExit(arguments: ["--help"])
        #expect(status == 0)
        for variable in ["HOST", "PORT", "LOG_LEVEL", "LOG_FORMAT", "PUBLIC_URL", "MAX_BODY_BYTES", "HEADER_TIMEOUT",
                         "IDLE_TIMEOUT", "MAX_CONNECTIONS", "DRAIN_TIMEOUT", "REDIS_URL", "MAKE_API_TOKEN"] {
            #expect(output.contains(variable))
        }
    }

    @Test("--help works even when an environment variable is invalid")
    func helpDespiteBadEnvironment() async throws {
        let (status, output) = try await GatewayProcess.runToExit(arguments: ["--help"], environment: ["PORT": "abc"])
        #expect(status == 0)
        #expect(output.contains("--port PORT"))
        #expect(!output.contains("invalid PORT"))
    }

    @Test("a bad setting stops the start with a message naming it and a non-zero exit")
    func badSetting() async throws {
        let (status, output) = try await GatewayProcess.runToExit(arguments: [], environment: ["PORT": "http"])
        #expect(status != 0)
        #expect(output.contains("invalid PORT (--port)"))
        #expect(output.contains("expected an integer from 0 to 65535"))
    }

    @Test("a port already in use is a clear start-up failure")
    func portInUse() async throws {
        let first = try await GatewayProcess.launch()
        defer { first.stop() }
        let (status, output) = try await GatewayProcess.runToExit(arguments: ["--port", String(first.port)])
        #expect(status != 0)
        #expect(output.contains("bind failed"))
    }

    @Test("serves health, logs one JSON line per request with its id, and exits 0 on SIGTERM after draining")
    func servesLogsAndDrains() async throws {
        let gateway = try await GatewayProcess.launch()
        defer { gateway.stop() }
        let connection = try await RawHTTPConnection.connect(port: gateway.port)
        try await connection.send("GET /health/live?token=abc HTTP/1.1\r\nHost: t\r\nX-Request-Id: req-42\r\n\r\n")
        let live = try await connection.readResponse()
        #expect(live.status == 200)
        #expect(live.header("X-Request-Id") == "req-42")

        let line = try #require(await gateway.waitForLine { $0.contains(#""request.id":"req-42""#) })
        #expect(GatewayProcess.jsonField("msg", in: line) == "request")
        #expect(GatewayProcess.jsonField("http.method", in: line) == "GET")
        #expect(GatewayProcess.jsonField("http.path", in: line) == "/health/live")
        #expect(GatewayProcess.jsonField("http.status", in: line) == "200")
        #expect(GatewayProcess.jsonField("http.bytes", in: line) == "15")
        #expect(GatewayProcess.jsonField("duration_ms", in: line) != nil)
        #expect(!line.contains("token=abc"))

        try await connection.send("GET /health/ready HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try await connection.readResponse().status == 200)

        gateway.send(signal: SIGTERM)
        // Readiness fails as soon as the drain starts; the keep-alive connection asks until it sees it.
        var sawNotReady = false
        for _ in 0..<1000 where !sawNotReady {
            try await connection.send("GET /health/ready HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try await connection.readResponse()
            sawNotReady = response.status == 503
            if !sawNotReady { #expect(response.status == 200) }
        }
        #expect(sawNotReady)
        #expect(await gateway.waitForExit() == 0)
        #expect(gateway.outputText.contains(#""msg":"draining""#))
        #expect(gateway.outputText.contains(#""msg":"stopped""#))
    }

    @Test("SIGTERM with an SSE stream open: ready turns 503 on a kept-alive connection, the stream ends, exit 0")
    func drainsOpenStream() async throws {
        let gateway = try await GatewayProcess.launch()
        defer { gateway.stop() }
        let stream = try await RawHTTPConnection.connect(port: gateway.port)
        try await stream.send("GET /sse HTTP/1.1\r\nHost: t\r\nAccept: text/event-stream\r\n\r\n")
        #expect(try await stream.readHead().status == 200)
        #expect(try await ServerSentEventReader(stream).next()?.event == "endpoint")
        let probe = try await RawHTTPConnection.connect(port: gateway.port)
        try await probe.send("GET /health/ready HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try await probe.readResponse().status == 200)

        gateway.send(signal: SIGTERM)
        // Readiness turns before the server writes this line, so the next probe must see 503.
        #expect(await gateway.waitForLine { $0.contains(#""msg":"draining""#) } != nil)
        try await probe.send("GET /health/ready HTTP/1.1\r\nHost: t\r\n\r\n")
        let notReady = try await probe.readResponse()
        #expect(notReady.status == 503)
        #expect(notReady.bodyText.contains("draining"))
        #expect(notReady.header("Connection") == "close")
        // The stream ends with its terminating chunk, not a cut, and then the connection closes.
        _ = try await stream.readChunkedBodyToEnd()
        #expect(try await stream.waitForClose())
        #expect(await gateway.waitForExit() == 0)
    }

    @Test("SIGINT drains and exits 0 too; SIGPIPE from a vanished client does not kill it")
    func sigint() async throws {
        let gateway = try await GatewayProcess.launch()
        defer { gateway.stop() }
        gateway.send(signal: SIGPIPE)
        let connection = try await RawHTTPConnection.connect(port: gateway.port)
        try await connection.send("GET /health/live HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try await connection.readResponse().status == 200)
        gateway.send(signal: SIGINT)
        #expect(await gateway.waitForExit() == 0)
    }
}
