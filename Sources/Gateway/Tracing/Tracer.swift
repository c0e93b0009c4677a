internal import FoundationEssentials
internal import Logging
internal import MCPProtocol
internal import OutboundHTTP
internal import ServiceLifecycle
internal import Synchronization

/// One finished span, as OTLP carries it.
struct Span: Sendable {
    enum Kind: Int, Sendable {
        case server = 2
        case client = 3
    }

    var name: String
    var kind: Kind
    var context: TraceContext
    var parentSpanID: String?
    var startNanoseconds: UInt64
    var endNanoseconds: UInt64
    var attributes: [(String, String)]
    var isError: Bool
}

/// Records spans around the gateway's work (an MCP request, a Make call) and, when `OTLP_ENDPOINT` is set, exports
/// them over OTLP/HTTP (JSON) through libcurl in batches; without it, spans cost one task-local value and nothing
/// else. The task-local ``TraceContext/current`` makes every span the child of the one it runs in.
final class Tracer: Service, Sendable {
    private let endpoint: String?
    private let http: HTTPClient?
    private let logger: Logger
    private let pending = Mutex<[Span]>([])
    private let wake: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>

    /// Spans kept for export at most; a collector that cannot keep up loses the oldest, never the gateway memory.
    static let maxPending = 4096
    static let batchSize = 256

    init(endpoint: String?, http: HTTPClient?, logger: Logger) {
        self.endpoint = endpoint.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.http = http
        self.logger = logger
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    var isExporting: Bool { endpoint != nil }

    /// Runs `body` in a new span under the current context (or `parent`, or a new trace), which is current inside.
    func span<Result>(
        _ name: String, kind: Span.Kind, parent: TraceContext? = nil, attributes: [(String, String)] = [],
        isError: (Result) -> Bool = { _ in false }, _ body: () async throws -> Result
    ) async rethrows -> Result {
        let parentContext = parent ?? TraceContext.current
        let context = parentContext?.child() ?? TraceContext.root()
        let start = Self.now()
        do {
            let result = try await TraceContext.$current.withValue(context) { try await body() }
            finish(name, kind, context, parentContext, start, attributes, failed: isError(result))
            return result
        } catch {
            finish(name, kind, context, parentContext, start, attributes, failed: true)
            throw error
        }
    }

    private func finish(
        _ name: String, _ kind: Span.Kind, _ context: TraceContext, _ parent: TraceContext?, _ start: UInt64,
        _ attributes: [(String, String)], failed: Bool
    ) {
        guard endpoint != nil, context.isSampled else { return }
        let span = Span(name: name, kind: kind, context: context, parentSpanID: parent?.spanID,
                        startNanoseconds: start, endNanoseconds: Self.now(), attributes: attributes, isError: failed)
        let count = pending.withLock { spans in
            spans.append(span)
            if spans.count > Self.maxPending { spans.removeFirst(spans.count - Self.maxPending) }
            return spans.count
        }
        if count >= Self.batchSize { wake.yield() }
    }

    private static func now() -> UInt64 {
        UInt64(Date().timeIntervalSince1970 * 1_000_000_000)
    }

    // MARK: - Service

    /// Exports what is pending every second (sooner when a batch is full), and once more at shutdown.
    func run() async throws {
        guard endpoint != nil else {
            try await gracefulShutdown()
            return
        }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(1))
                        self.wake.yield()
                    }
                }
                for await _ in self.wakes {
                    await self.export()
                    if Task.isCancelled { break }
                }
                group.cancelAll()
            }
        }
        await export()
    }

    private func export() async {
        guard let endpoint, let http else { return }
        while true {
            let batch = pending.withLock { spans -> [Span] in
                let taken = Array(spans.prefix(Self.batchSize))
                spans.removeFirst(taken.count)
                return taken
            }
            guard !batch.isEmpty else { return }
            do {
                let response = try await http.send(OutboundRequest(
                    method: "POST", url: endpoint + "/v1/traces", headers: [("Content-Type", "application/json")],
                    body: Self.payload(batch), timeout: .seconds(5)))
                if response.status >= 300 {
                    logger.warning("span export refused", metadata: ["http.status": "\(response.status)"])
                }
            } catch {
                logger.warning("span export failed", metadata: ["error": "\(error)"])
                return
            }
        }
    }

    /// The OTLP/JSON `ExportTraceServiceRequest` (trace and span ids in hex, times as decimal strings).
    static func payload(_ spans: [Span]) -> [UInt8] {
        let encoded: [JSONValue] = spans.map { span in
            var object: JSONObject = [
                "traceId": .string(span.context.traceID), "spanId": .string(span.context.spanID),
                "name": .string(span.name), "kind": .integer(Int64(span.kind.rawValue)),
                "startTimeUnixNano": .string(String(span.startNanoseconds)),
                "endTimeUnixNano": .string(String(span.endNanoseconds)),
                "attributes": .array(span.attributes.map { key, value in
                    ["key": .string(key), "value": ["stringValue": .string(value)]]
                }),
                "status": ["code": .integer(span.isError ? 2 : 1)],
            ]
            if let parent = span.parentSpanID { object["parentSpanId"] = .string(parent) }
            return .object(object)
        }
        let request: JSONValue = [
            "resourceSpans": [[
                "resource": ["attributes": [["key": "service.name", "value": ["stringValue": "make-mcp-gateway"]]]],
                "scopeSpans": [["scope": ["name": "make-mcp-gateway"], "spans": .array(encoded)]],
            ]],
        ]
        return request.serialized()
    }
}
