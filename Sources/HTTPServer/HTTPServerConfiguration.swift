/// Everything the server needs to know: where to listen and every limit, each with a safe default.
package struct HTTPServerConfiguration: Sendable {
    package var host: String
    package var port: Int
    package var backlog: Int32
    /// Request line, header and body caps, enforced by the parser.
    package var requestLimits: HTTPRequestParser.Limits
    /// Connections served at once; one more is answered 503 with `Retry-After` and closed.
    package var maxConnections: Int
    /// Time allowed from a request's first byte to the end of its headers (slowloris protection); then 408.
    package var headerTimeout: Duration
    /// Time allowed from the end of the headers to the end of the body; then 408.
    package var bodyTimeout: Duration
    /// How long a keep-alive connection may sit between requests before it is closed.
    package var idleTimeout: Duration
    /// How long a write may make no progress (a peer that stopped reading) before the connection is dropped.
    package var writeTimeout: Duration
    /// Bytes a streaming response may have queued for a slow reader before the stream is cut.
    package var streamBufferBytes: Int
    /// How long shutdown waits for in-flight requests before closing what is left.
    package var drainTimeout: Duration
    /// Event loops that connections are spread over, when the server makes its own; 0 means one per active processor.
    package var eventLoopCount: Int
    /// The `Retry-After` value, in seconds, on the 503 sent when the connection cap is reached.
    package var retryAfterSeconds: Int

    package init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        backlog: Int32 = 4096,
        requestLimits: HTTPRequestParser.Limits = .init(),
        maxConnections: Int = 16384,
        headerTimeout: Duration = .seconds(10),
        bodyTimeout: Duration = .seconds(30),
        idleTimeout: Duration = .seconds(75),
        writeTimeout: Duration = .seconds(30),
        streamBufferBytes: Int = 1_048_576,
        drainTimeout: Duration = .seconds(25),
        eventLoopCount: Int = 0,
        retryAfterSeconds: Int = 1
    ) {
        self.host = host
        self.port = port
        self.backlog = backlog
        self.requestLimits = requestLimits
        self.maxConnections = maxConnections
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.writeTimeout = writeTimeout
        self.streamBufferBytes = streamBufferBytes
        self.drainTimeout = drainTimeout
        self.eventLoopCount = eventLoopCount
        self.retryAfterSeconds = retryAfterSeconds
    }
}
