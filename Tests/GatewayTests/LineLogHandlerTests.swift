import Foundation
import Gateway
import HTTPServer
import Logging
import Testing

@Suite("Log lines")
struct LineLogHandlerTests {
    private func logger(_ sink: LogSink, format: GatewayConfiguration.LogFormat) -> Logger {
        var logger = Logger(label: "test") { label in LineLogHandler(label: label, level: .debug, format: format, sink: sink) }
        logger[metadataKey: "component"] = "http"
        return logger
    }

    @Test("JSON lines are flat objects; access records become top-level fields; strings are escaped")
    func json() throws {
        let sink = LogSink.capturing()
        let logger = logger(sink, format: .json)
        logger.info("request", metadata: ["http": .stringConvertible(HTTPAccessRecord(
            method: "GET", path: "/a\"b", status: 200, bodyBytes: 15, durationNanoseconds: 1_234_567,
            requestID: "r-1"))])
        logger.warning("odd", metadata: ["detail": "line\nbreak", "component": "override"])
        sink.flush()
        let lines = sink.capturedLines
        #expect(lines.count == 2)
        let request = try #require(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: String])
        #expect(request["msg"] == "request")
        #expect(request["level"] == "info")
        #expect(request["component"] == "http")
        #expect(request["http.path"] == "/a\"b")
        #expect(request["http.status"] == "200")
        #expect(request["http.bytes"] == "15")
        #expect(request["duration_ms"] == "1.234")
        #expect(request["request.id"] == "r-1")
        #expect(request["ts"]?.hasSuffix("Z") == true)
        let odd = try #require(JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: String])
        #expect(odd["detail"] == "line\nbreak")
        #expect(odd["component"] == "override")
    }

    @Test("text lines put the level, label and message first, then key=value pairs")
    func text() {
        let sink = LogSink.capturing()
        logger(sink, format: .text).notice("listening", metadata: ["http.port": "8080", "note": "two words"])
        sink.flush()
        let line = sink.capturedLines.first ?? ""
        #expect(line.contains(" NOTICE test: listening"))
        #expect(line.contains(" http.port=8080"))
        #expect(line.contains(#" note="two words""#))
        #expect(line.hasSuffix("\n"))
    }
}
