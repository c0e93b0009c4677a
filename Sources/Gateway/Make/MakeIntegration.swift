internal import Cryptography
internal import Logging
internal import MCPProtocol
internal import MakeClient
internal import OutboundHTTP
internal import Stores
internal import Synchronization

/// Make.com behind MCP, assembled from the configuration: the libcurl client, the Make API client with its outbound
/// budget, the response cache, the catalog and scenario tools, and the resources and prompts. Present only when the
/// gateway has Make credentials.
struct MakeIntegration: Sendable {
    let client: MakeAPIClient
    let cache: any ResponseCache
    let toolProvider: MakeToolProvider

    /// The shared pieces the integration needs from the gateway's stores.
    struct Stores: Sendable {
        var cache: any ResponseCache
        var window: any SlidingWindow
    }

    /// - Returns: nil when no Make credentials are configured: then only the gateway's own tools are offered.
    static func make(
        configuration: GatewayConfiguration, stores: Stores, registry: MCPRegistry, logger: Logger,
        toolsChanged: @escaping @Sendable (_ affected: @escaping @Sendable (MCPSession) -> Bool) -> Void
    ) throws -> MakeIntegration? {
        guard let token = configuration.makeAPIToken else { return nil }
        let http = HTTPClient(configuration: OutboundHTTPConfiguration(
            connectTimeout: configuration.makeConnectTimeout, totalTimeout: configuration.makeTimeout,
            maxConnectionsPerHost: configuration.makeConnectionsPerHost,
            maxResponseBytes: configuration.makeMaxResponseBytes, allowsPlainHTTP: configuration.makeAllowHTTP,
            userAgent: "make-mcp-gateway/\(GatewayBuild.version)"))
        let budget = MakeOutboundBudget(window: stores.window, defaultLimit: configuration.makeRateLimit)
        let client = MakeAPIClient(
            http: http,
            configuration: MakeAPIClientConfiguration(
                maxRetries: configuration.makeRetries, circuitFailureThreshold: configuration.makeCircuitThreshold,
                circuitOpenDuration: configuration.makeCircuitOpenTime,
                maxRateLimitWait: configuration.makeRateLimitWait),
            limiter: budget)
        let directory = MakeDirectory(client: client, budget: budget)
        let runner = MakeToolRunner(
            client: client, cache: stores.cache,
            cachePolicy: MakeCachePolicy(standard: configuration.makeCacheTTL,
                                         reference: configuration.makeCacheTTLReference,
                                         live: configuration.makeCacheTTLLive),
            directory: directory,
            access: try StaticTokenAccess(baseURL: configuration.makeAPIURL, token: token),
            serverScope: MakeScope(organizationID: configuration.makeOrganizationID, teamID: configuration.makeTeamID))
        let scenarioTools = configuration.scenarioTools
            ? ScenarioTools(runner: runner, runTimeout: configuration.scenarioRunTimeout,
                            pollInterval: configuration.scenarioPollInterval)
            : nil
        var makeLogger = logger
        makeLogger[metadataKey: "component"] = "make"
        let provider = MakeToolProvider(
            registry: registry, runner: runner, scenarioTools: scenarioTools, defaultSelection: configuration.makeTools,
            refreshInterval: configuration.scenarioToolsRefresh, logger: makeLogger, toolsChanged: toolsChanged)
        let resources = MakeResources(runner: runner)
        resources.register(on: registry)
        MakePrompts(resources: resources).register(on: registry)
        return MakeIntegration(client: client, cache: stores.cache, toolProvider: provider)
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
