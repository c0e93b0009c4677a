internal import HTTPServer
internal import MakeClient

/// Every metric the gateway exports at `/metrics`, created once at start. The names are those the alert rules in
/// `deploy/prometheus-rules.yml` use.
struct GatewayMetrics: Sendable {
    let registry = MetricsRegistry()
    let httpRequests: Counter
    let httpDuration: Histogram
    let jsonRPCRequests: Counter
    let toolCalls: Counter
    let toolDuration: Histogram
    let makeRequests: Counter
    let makeDuration: Histogram
    let makeRetries: Counter
    let makeOutboundRejections: Counter
    let rateLimitRejections: Counter
    let redisCommandDuration: Histogram
    let redisErrors: Counter

    init(version: String) {
        httpRequests = registry.counter(
            "mcpgw_http_requests_total", "HTTP requests answered, by route, method and status class.",
            labels: ["route", "method", "status_class"])
        httpDuration = registry.histogram(
            "mcpgw_http_request_duration_seconds", "Time from a request's first byte to its answer, by route "
                + "(event streams are not timed: they last as long as the client stays).", labels: ["route"])
        jsonRPCRequests = registry.counter(
            "mcpgw_jsonrpc_requests_total", "JSON-RPC requests, by MCP method and outcome (result or error).",
            labels: ["method", "outcome"])
        toolCalls = registry.counter(
            "mcpgw_tool_calls_total", "Tool calls by tool (scenario tools as one) and outcome (ok, error, invalid).",
            labels: ["tool", "outcome"])
        toolDuration = registry.histogram("mcpgw_tool_call_duration_seconds", "Tool call duration by tool.",
                                          labels: ["tool"])
        makeRequests = registry.counter(
            "mcpgw_make_requests_total", "Make API attempts by endpoint template and status class (none: no answer).",
            labels: ["endpoint", "status_class"])
        makeDuration = registry.histogram("mcpgw_make_request_duration_seconds",
                                          "Make API attempt duration by endpoint template.", labels: ["endpoint"])
        makeRetries = registry.counter("mcpgw_make_retries_total", "Make API calls retried after a transient failure.")
        makeOutboundRejections = registry.counter(
            "mcpgw_make_outbound_rejections_total",
            "Make calls failed because the organization's outbound budget stayed exhausted.")
        rateLimitRejections = registry.counter(
            "mcpgw_rate_limit_rejections_total", "Client requests refused by a rate limit, by limit.",
            labels: ["limit"])
        redisCommandDuration = registry.histogram("mcpgw_redis_command_duration_seconds",
                                                  "Redis round-trip time per command or script.")
        redisErrors = registry.counter("mcpgw_redis_errors_total", "Redis commands that failed.")
        registry.gauge("mcpgw_build_info", "The running build.", labels: ["version"]) { [([version], 1)] }
    }

    /// Counts one answered HTTP request; `routes` are the paths the router serves, anything else is `other`.
    func record(_ exchange: HTTPExchange, routes: Set<String>) {
        let route = routes.contains(exchange.path) ? exchange.path : "other"
        httpRequests.increment([route, exchange.method?.rawValue ?? "-", Self.statusClass(exchange.status)])
        if !exchange.isStream { httpDuration.observe(Double(exchange.durationNanoseconds) / 1e9, [route]) }
    }

    /// Counts one Make API event.
    func record(_ event: MakeAPIClient.Event) {
        switch event {
        case .attempt(let endpoint, let status, let seconds):
            makeRequests.increment([endpoint, Self.statusClass(status)])
            makeDuration.observe(seconds, [endpoint])
        case .retry:
            makeRetries.increment()
        case .outboundRejected:
            makeOutboundRejections.increment()
        }
    }

    /// `2xx`…`5xx`, or `none` for no answer.
    static func statusClass(_ status: Int) -> String {
        (100...599).contains(status) ? "\(status / 100)xx" : "none"
    }

    /// The `/metrics` route.
    func add(to router: inout HTTPRouter) {
        let registry = self.registry
        router.add(.get, "/metrics", handler: ClosureHandler { _ in
            HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8",
                                                "Cache-Control": "no-store"],
                         body: Array(registry.render().utf8))
        })
    }
}
