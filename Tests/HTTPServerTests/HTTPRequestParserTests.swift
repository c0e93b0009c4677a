import HTTPServer
import Testing

@Suite("HTTP request parser")
struct HTTPRequestParserTests {
    /// Feeds `input` in pieces of `chunkSize` bytes and collects every event until the parser needs more.
    private func parse(
        _ input: String, chunkSize: Int = .max, limits: HTTPRequestParser.Limits = .init()
    ) throws(HTTPParseError) -> [HTTPParserEvent] {
        var parser = HTTPRequestParser(limits: limits)
        var events: [HTTPParserEvent] = []
        let bytes = Array(input.utf8)
        var offset = 0
        repeat {
            let end = min(bytes.count, offset + max(1, chunkSize))
            parser.append(bytes[offset..<end])
            offset = end
            while let event = try parser.nextEvent() { events.append(event) }
        } while offset < bytes.count
        return events
    }

    private func heads(_ events: [HTTPParserEvent]) -> [HTTPRequestHead] {
        events.compactMap { if case .head(let head) = $0 { head } else { nil } }
    }

    private func bodies(_ events: [HTTPParserEvent]) -> [String] {
        events.compactMap { if case .end(let body) = $0 { String(decoding: body, as: UTF8.self) } else { nil } }
    }

    @Test("a simple GET yields its head and an empty body", arguments: [1, 3, 7, 1000])
    func simpleGet(chunkSize: Int) throws {
        let events = try parse("GET /health/live?probe=1 HTTP/1.1\r\nHost: example\r\nX-Thing:  padded  \r\n\r\n",
                               chunkSize: chunkSize)
        let head = try #require(heads(events).first)
        #expect(head.method == .get)
        #expect(head.path == "/health/live")
        #expect(head.query == "probe=1")
        #expect(head.version == .http1_1)
        #expect(head.headers["x-thing"] == "padded")
        #expect(head.isKeepAlive)
        #expect(bodies(events) == [""])
    }

    @Test("header names compare case-insensitively and repeated headers are kept")
    func repeatedHeaders() throws {
        let events = try parse("GET / HTTP/1.1\r\nHost: a\r\nAccept: text/html\r\naccept: application/json\r\n\r\n")
        let head = try #require(heads(events).first)
        #expect(head.headers.values(for: "ACCEPT") == ["text/html", "application/json"])
        #expect(head.headers["Accept"] == "text/html")
    }

    @Test("list fields: elements match ignoring case and whitespace, parameters only when asked, across repeats")
    func listElements() throws {
        let events = try parse("GET / HTTP/1.1\r\nHost: a\r\nAccept: text/html;q=0.9 ,\tApplication/JSON \r\n"
            + "Accept: ,,image/*;q=0.1\r\nConnection: keep-alive, Close\r\n\r\n")
        let headers = try #require(heads(events).first).headers
        #expect(headers.containsToken("close", in: "Connection"))
        #expect(!headers.containsToken("upgrade", in: "Connection"))
        #expect(headers.containsListElement(matchingAnyOf: ["application/json"], in: "Accept", ignoringParameters: true))
        #expect(headers.containsListElement(matchingAnyOf: ["text/html"], in: "Accept", ignoringParameters: true))
        #expect(headers.containsListElement(matchingAnyOf: ["x", "image/*"], in: "accept", ignoringParameters: true))
        #expect(!headers.containsListElement(matchingAnyOf: ["text/html"], in: "Accept"))
        #expect(!headers.containsListElement(matchingAnyOf: ["application/jso", "text"], in: "Accept",
                                              ignoringParameters: true))
        #expect(!headers.containsListElement(matchingAnyOf: [""], in: "Accept", ignoringParameters: true))
    }

    @Test("Content-Length bodies arrive whole, however the bytes are split", arguments: [1, 2, 5, 1000])
    func contentLengthBody(chunkSize: Int) throws {
        let events = try parse("POST /m HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world", chunkSize: chunkSize)
        #expect(bodies(events) == ["hello world"])
    }

    @Test("chunked bodies are decoded, extensions and trailers ignored", arguments: [1, 4, 1000])
    func chunkedBody(chunkSize: Int) throws {
        let request = "POST /m HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;ext=1\r\nhello\r\n6\r\n world\r\nA\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\n"
        let events = try parse(request, chunkSize: chunkSize)
        #expect(bodies(events) == ["hello world0123456789"])
        #expect(heads(events).first?.bodyFraming == .chunked)
    }

    @Test("pipelined requests come out in order")
    func pipelined() throws {
        let events = try parse("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhiGET /3 HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(heads(events).map(\.path) == ["/1", "/2", "/3"])
        #expect(bodies(events) == ["", "hi", ""])
    }

    @Test("keep-alive follows the HTTP/1.0 and HTTP/1.1 rules")
    func keepAliveRules() throws {
        let cases: [(String, Bool)] = [
            ("GET / HTTP/1.1\r\nHost: a\r\n\r\n", true),
            ("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false),
            ("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, Close\r\n\r\n", false),
            ("GET / HTTP/1.0\r\n\r\n", false),
            ("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true),
        ]
        for (request, keepAlive) in cases {
            #expect(try heads(parse(request)).first?.isKeepAlive == keepAlive, "\(request)")
        }
    }

    @Test("Expect: 100-continue is recognised only when a body follows")
    func expectContinue() throws {
        let withBody = try heads(parse("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 4\r\n\r\n"))
        #expect(withBody.first?.expectsContinue == true)
        let withoutBody = try heads(parse("GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n"))
        #expect(withoutBody.first?.expectsContinue == false)
    }

    @Test("empty lines before the request line are ignored; bare LF line ends are accepted")
    func lenientLineEnds() throws {
        let events = try parse("\r\n\r\nGET /x HTTP/1.1\nHost: a\n\n")
        #expect(heads(events).map(\.path) == ["/x"])
    }

    @Test("an absolute-form target is reduced to its path")
    func absoluteForm() throws {
        let head = try #require(heads(parse("GET http://example.com/a/b?c=d HTTP/1.1\r\nHost: example.com\r\n\r\n")).first)
        #expect(head.path == "/a/b")
        #expect(head.query == "c=d")
    }

    @Test("a request line over the limit is refused, even before its end arrives")
    func requestLineTooLong() {
        let limits = HTTPRequestParser.Limits(maxRequestLineBytes: 64)
        let longTarget = "/" + String(repeating: "a", count: 100)
        #expect(throws: HTTPParseError.requestLineTooLong(limit: 64)) {
            try parse("GET \(longTarget)", limits: limits)
        }
        #expect(throws: HTTPParseError.requestLineTooLong(limit: 64)) {
            try parse("GET \(longTarget) HTTP/1.1\r\nHost: a\r\n\r\n", chunkSize: 1, limits: limits)
        }
        #expect(throws: Never.self) {
            try parse("GET /\(String(repeating: "a", count: 49)) HTTP/1.1\r\nHost: a\r\n\r\n", limits: limits)
        }
    }

    @Test("a header section over the byte or count limit is refused")
    func headersTooLarge() {
        let limits = HTTPRequestParser.Limits(maxHeaderBytes: 256, maxHeaderCount: 5)
        let big = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: \(String(repeating: "b", count: 300))\r\n\r\n"
        #expect(throws: HTTPParseError.headersTooLarge(limit: 256)) { try parse(big, limits: limits) }
        #expect(throws: HTTPParseError.headersTooLarge(limit: 256)) { try parse(big, chunkSize: 7, limits: limits) }
        let many = "GET / HTTP/1.1\r\nHost: a\r\n" + (1...5).map { "X-\($0): v\r\n" }.joined() + "\r\n"
        #expect(throws: HTTPParseError.tooManyHeaders(limit: 5)) { try parse(many, limits: limits) }
    }

    @Test("a body over the limit is refused from its Content-Length or as chunks add up")
    func bodyTooLarge() {
        let limits = HTTPRequestParser.Limits(maxBodyBytes: 10)
        #expect(throws: HTTPParseError.bodyTooLarge(limit: 10)) {
            try parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n", limits: limits)
        }
        #expect(throws: HTTPParseError.bodyTooLarge(limit: 10)) {
            try parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nabcdef\r\n0\r\n\r\n",
                      limits: limits)
        }
        #expect(throws: Never.self) {
            try parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789", limits: limits)
        }
    }

    @Test("malformed syntax is refused with the matching error", arguments: [
        ("GET\r\n\r\n", HTTPParseError.malformedRequestLine),
        ("GET / HTTP/1.1 extra\r\nHost: a\r\n\r\n", .malformedRequestLine),
        ("G@T / HTTP/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine),
        ("GET nopath HTTP/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine),
        ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", .unsupportedVersion),
        ("GET / HTTX/1.1\r\nHost: a\r\n\r\n", .malformedRequestLine),
        ("GET / HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n", .malformedHeader),
        ("GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", .malformedHeader),
        ("GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", .malformedHeader),
        ("GET / HTTP/1.1\r\nHost: a\r\nX: a\u{01}b\r\n\r\n", .malformedHeader),
        ("GET / HTTP/1.1\r\n\r\n", .missingHost),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .missingHost),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", .invalidContentLength),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", .conflictingFraming),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", .unsupportedTransferEncoding),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", .malformedChunk),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n", .malformedChunk),
    ])
    func malformed(request: String, expected: HTTPParseError) {
        #expect(throws: expected) { try parse(request) }
    }

    @Test("repeated identical Content-Length values are accepted")
    func repeatedEqualContentLength() throws {
        let events = try parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2, 2\r\n\r\nok")
        #expect(bodies(events) == ["ok"])
    }

    @Test("after an error the parser stays failed")
    func staysFailed() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("BAD\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.malformedRequestLine) { try parser.nextEvent() }
        parser.append(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.malformedRequestLine) { try parser.nextEvent() }
    }

    @Test("a long pipelined stream keeps the buffer bounded")
    func pipelineBufferIsCompacted() throws {
        var parser = HTTPRequestParser()
        let request = Array("GET /ping HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        var completed = 0
        for _ in 0..<2000 {
            // Always leave half a request buffered, so the buffer never empties by itself.
            parser.append(request[..<16])
            while let event = try parser.nextEvent() { if case .end = event { completed += 1 } }
            parser.append(request[16...])
        }
        while let event = try parser.nextEvent() { if case .end = event { completed += 1 } }
        #expect(completed == 2000)
        #expect(parser.bufferedByteCount == 0)
    }

    @Test("query parameters are percent-decoded")
    func queryParameters() {
        let request = HTTPRequest(head: HTTPRequestHead(method: .get, target: "/messages?sessionId=a%2Fb&x=1+2&flag"))
        #expect(request.queryParameter("sessionId") == "a/b")
        #expect(request.queryParameter("x") == "1 2")
        #expect(request.queryParameter("flag") == "")
        #expect(request.queryParameter("missing") == nil)
    }
}
