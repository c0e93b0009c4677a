internal import Cryptography
internal import Logging
internal import MCPProtocol
internal import MakeClient
internal import OutboundHTTP
internal import Stores
internal import Synchronization

/// Make.com behind MCP, assembled from the configuration: the libcurl client, the Make API client with its outbound
/// budget, the response cache, the catalog and scenario tools, and the resources and prompts. Present when the
/// gateway has Make credentials: a static token, or OAuth.
struct MakeIntegration: Sendable {
    let client: MakeAPIClient
    let cache: any ResponseCache
    let toolProvider: MakeToolProvider

    /// The shared pieces the integration needs from the gateway's stores.
    struct Stores: Sendable {
        var cache: any ResponseCache
        var window: any SlidingWindow
    }

    /// The libcurl client every Make call (API and OAuth) goes through.
    static func httpClient(_ configuration: GatewayConfiguration) -> HTTPClient {
        HTTPClient(configuration: OutboundHTTPConfiguration(
            connectTimeout: configuration.makeConnectTimeout, totalTimeout: configuration.makeTimeout,
            maxConnectionsPerHost: configuration.makeConnectionsPerHost,
            maxResponseBytes: configuration.makeMaxResponseBytes, allowsPlainHTTP: configuration.makeAllowHTTP,
            userAgent: "make-mcp-gateway/\(GatewayBuild.version)"))
    }

    /// - Parameter access: Whose Make credentials each session's calls use (the static token, or the user's own).
    static func make(
        configuration: GatewayConfiguration, http: HTTPClient, stores: Stores, access: any MakeAccess,
        registry: MCPRegistry, metrics: GatewayMetrics, tracer: Tracer, logger: Logger,
        toolsChanged: @escaping @Sendable (_ affected: @escaping @Sendable (MCPSession) -> Bool) -> Void
    ) -> MakeIntegration {
        let budget = MakeOutboundBudget(window: stores.window, defaultLimit: configuration.makeRateLimit)
        let makeLogger = {
            var componentLogger = logger
            componentLogger[metadataKey: "component"] = "make"
            return componentLogger
        }()
        let client = MakeAPIClient(
            http: http,
            configuration: MakeAPIClientConfiguration(
                maxRetries: configuration.makeRetries, circuitFailureThreshold: configuration.makeCircuitThreshold,
                circuitOpenDuration: configuration.makeCircuitOpenTime,
                maxRateLimitWait: configuration.makeRateLimitWait),
            limiter: budget,
            observe: { event in
                metrics.record(event)
                guard case .attempt(let endpoint, let status, let seconds) = event else { return }
                var metadata: Logger.Metadata = [
                    "make.endpoint": "\(endpoint)", "http.status": "\(status)", "duration_ms": "\(Int(seconds * 1000))",
                ]
                if let scope = RequestScope.current { metadata["request.id"] = "\(scope.requestID)" }
                if let trace = TraceContext.current { metadata["trace.id"] = "\(trace.traceID)" }
                makeLogger.info("make call", metadata: metadata)
            })
        let directory = MakeDirectory(client: client, budget: budget)
        let runner = MakeToolRunner(
            client: client, cache: stores.cache,
            cachePolicy: MakeCachePolicy(standard: configuration.makeCacheTTL,
                                         reference: configuration.makeCacheTTLReference,
                                         live: configuration.makeCacheTTLLive),
            directory: directory,
            access: access,
            serverScope: MakeScope(organizationID: configuration.makeOrganizationID, teamID: configuration.makeTeamID),
            tracer: tracer)
        let scenarioTools = configuration.scenarioTools
            ? ScenarioTools(runner: runner, runTimeout: configuration.scenarioRunTimeout,
                            pollInterval: configuration.scenarioPollInterval)
            : nil
        let provider = MakeToolProvider(
            registry: registry, runner: runner, scenarioTools: scenarioTools, defaultSelection: configuration.makeTools,
            refreshInterval: configuration.scenarioToolsRefresh, logger: makeLogger, toolsChanged: toolsChanged)
        let resources = MakeResources(runner: runner)
        resources.register(on: registry)
        MakePrompts(resources: resources).register(on: registry)
        return MakeIntegration(client: client, cache: stores.cache, toolProvider: provider)
    }
}

extension MakeCatalog {
    /// Every scope a catalog tool needs: what the gateway's tokens may carry.
    static let allScopes: [String] = Array(Set(all.compactMap(\.scope))).sorted()

    /// What a client that asks for no scope gets: the scopes of the default tools, and running scenarios.
    static let defaultScopes: [String] = Array(Set(defaultSelection.compactMap { tool(named: $0)?.scope })).sorted()

    /// The scope a call of `toolName` needs: the catalog's, `scenarios:run` for scenario tools, none for the
    /// gateway's own.
    static func requiredScope(forTool toolName: String) -> String? {
        if let definition = tool(named: toolName) { return definition.scope }
        return toolName.hasPrefix("run_") ? "scenarios:run" : nil
    }
}

/// A target that exists only after the one pointing at it: the session manager, which the tool provider must be able
/// to tell about changed tools although the MCP server (and so the manager) is built after the provider.
final class LateBound<Target: Sendable>: Sendable {
    private let target = Mutex<Target?>(nil)

    init() {}

    func bind(_ value: Target) {
        target.withLock { $0 = value }
    }

    var value: Target? { target.withLock { $0 } }
}
