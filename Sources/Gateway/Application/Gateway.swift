internal import EventLoops
package import HTTPServer
package import Logging
package import MCPProtocol
internal import ServiceLifecycle
internal import Cryptography
internal import MakeClient
internal import OutboundHTTP
internal import Stores
internal import UnixSignals

/// The assembled gateway: routes, server and the services they run on, from one ``GatewayConfiguration``.
package final class Gateway: Sendable {
    package let configuration: GatewayConfiguration
    package let server: HTTPServer
    package let readiness: ReadinessMonitor
    /// What MCP clients are offered; tools and resources added here reach every session at once.
    package let registry: MCPRegistry
    private let sessions: SessionManager
    private let redis: RedisLifecycle?
    /// Make's tools, resources and prompts; nil without Make credentials.
    private let make: MakeIntegration?
    private let tracer: Tracer
    private let logger: Logger
    /// The event loops the HTTP server serves on and the Redis client's connections live on, so a request's task
    /// and its Redis round trips share a thread. Started by ``run(handlesSignals:)``, stopped when it returns.
    private let eventLoops: EventLoopGroup

    /// - Throws: when a built-in tool's definition is invalid, a programming error found at start.
    package init(configuration: GatewayConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        let readiness = ReadinessMonitor()
        self.readiness = readiness

        let metrics = GatewayMetrics(version: GatewayBuild.version)
        let eventLoops = EventLoopGroup(count: configuration.eventLoops, label: "http.loop")
        self.eventLoops = eventLoops
        let store: any SessionStore
        let limiter: any RateLimiter
        let makeStores: MakeIntegration.Stores
        let records: any KeyValueStore
        if let secret = configuration.redisURL, let url = RedisURL(secret.revealedValue) {
            let client = RedisClient(
                configuration: .init(url: url, connectionsPerLoop: configuration.redisPoolSize,
                                     connectTimeout: configuration.redisTimeout,
                                     commandTimeout: configuration.redisTimeout,
                                     observe: { seconds, failed in
                                         metrics.redisCommandDuration.observe(seconds)
                                         if failed { metrics.redisErrors.increment() }
                                     }),
                eventLoops: eventLoops)
            // The channel name must be unique per process, even across restarts of one replica.
            let instanceID = "\(configuration.replicaID)-\(try SecureRandom.hexID(byteCount: 4))"
            let redisStore = RedisSessionStore(client: client, prefix: configuration.redisKeyPrefix,
                                               replicaID: instanceID)
            var redisLogger = logger
            redisLogger[metadataKey: "component"] = "redis"
            let lifecycle = RedisLifecycle(store: redisStore, logger: redisLogger)
            readiness.add(lifecycle)
            redis = lifecycle
            store = redisStore
            limiter = RedisRateLimiter(client: client, prefix: configuration.redisKeyPrefix)
            makeStores = .init(cache: RedisResponseCache(client: client, prefix: configuration.redisKeyPrefix),
                               window: RedisSlidingWindow(client: client, prefix: configuration.redisKeyPrefix,
                                                          instanceID: instanceID))
            records = RedisKeyValueStore(client: client, prefix: configuration.redisKeyPrefix)
        } else {
            redis = nil
            store = InMemorySessionStore()
            limiter = InMemoryRateLimiter()
            makeStores = .init(cache: InMemoryResponseCache(), window: InMemorySlidingWindow())
            records = InMemoryKeyValueStore()
        }
        let pseudonym = LogPseudonym(secret: configuration.tokenEncryptionKey?.revealedValue)
        var traceLogger = logger
        traceLogger[metadataKey: "component"] = "tracing"
        // The collector is the operator's own service, often plain http inside the cluster.
        let tracer = Tracer(
            endpoint: configuration.otlpEndpoint,
            http: configuration.otlpEndpoint.map { _ in HTTPClient(configuration: .init(allowsPlainHTTP: true)) },
            logger: traceLogger)
        self.tracer = tracer
        var rateLogger = logger
        rateLogger[metadataKey: "component"] = "ratelimit"
        let rateLimits = RateLimitPolicy(
            limiter: limiter,
            limits: .init(requests: configuration.rateLimitRequests, reads: configuration.rateLimitReads,
                          writes: configuration.rateLimitWrites, runs: configuration.rateLimitRuns,
                          window: configuration.rateLimitWindow),
            forwardedForHops: configuration.forwardedForHops, logger: rateLogger,
            rejected: { metrics.rateLimitRejections.increment([$0]) })
        let registry = MCPRegistry()
        self.registry = registry
        let sessionsLater = LateBound<SessionManager>()
        let makeClientLater = LateBound<MakeAPIClient>()
        let http = MakeIntegration.httpClient(configuration)
        let authentication = try GatewayAuthentication.make(
            configuration: configuration, store: records, http: http, makeClient: makeClientLater, logger: logger)
        make = authentication.makeAccess.map { access in
            MakeIntegration.make(
                configuration: configuration, http: http, stores: makeStores, access: access, registry: registry,
                metrics: metrics, tracer: tracer, logger: logger, toolsChanged: { affected in sessionsLater.value?.toolsChanged(where: affected) })
        }
        if let client = make?.client { makeClientLater.bind(client) }
        var mcpLogger = logger
        mcpLogger[metadataKey: "component"] = "mcp"
        let mcpServer = MCPServer(
            info: MCPServerInfo(name: "make-mcp-gateway", version: GatewayBuild.version, title: "Make.com MCP gateway"),
            registry: registry, pageSize: configuration.listPageSize, toolGate: rateLimits.toolGate,
            toolProvider: make?.toolProvider,
            observer: GatewayObserver(metrics: metrics, tracer: tracer, pseudonym: pseudonym, logger: mcpLogger),
            logger: mcpLogger)
        let serverScope = MakeScope(organizationID: configuration.makeOrganizationID, teamID: configuration.makeTeamID)
        sessions = SessionManager(
            server: mcpServer, store: store,
            limits: .init(maxSessions: configuration.maxSessions,
                          maxStreamsPerSession: configuration.maxStreamsPerSession,
                          idleTTL: configuration.sessionIdleTTL,
                          keepAliveInterval: configuration.sseKeepAliveInterval,
                          eventLog: .init(maxEvents: configuration.maxQueuedEvents, ttl: configuration.sessionIdleTTL)),
            sessionParameters: { request in MakeScope.sessionParameters(of: request, serverScope: serverScope) },
            logger: mcpLogger)
        let sessions = self.sessions
        sessionsLater.bind(sessions)
        try GatewayCapabilities.register(
            on: registry,
            facts: .init(version: GatewayBuild.version, replicaID: configuration.replicaID, storeKind: store.kind),
            diagnosticTools: configuration.diagnosticTools, logger: mcpLogger,
            resourceUpdated: { sessions.resourceUpdated($0) })

        var router = HTTPRouter()
        HealthRoutes.add(to: &router, readiness: readiness)
        metrics.add(to: &router)
        metrics.registry.gauge("mcpgw_ready", "1 while /health/ready answers 200.") {
            [([], readiness.failingChecks.isEmpty ? 1 : 0)]
        }
        metrics.registry.gauge("mcpgw_sessions", "MCP sessions this replica holds.") { [([], Double(sessions.count))] }
        metrics.registry.gauge("mcpgw_sse_streams", "Event streams open on this replica (HTTP+SSE and GET streams).") {
            [([], Double(sessions.openStreamCount))]
        }
        if redis != nil {
            metrics.registry.gauge("mcpgw_redis_up", "1 while Redis answers.") {
                [([], readiness.failingChecks.contains("redis") ? 0 : 1)]
            }
        }
        if let make {
            let (client, statistics) = (make.client, make.cache.statistics)
            metrics.registry.gauge("mcpgw_make_circuit_open", "1 while calls to the zone are paused.",
                                   labels: ["zone"]) {
                client.circuitStates.sorted { $0.key < $1.key }.map { ([$0.key], $0.value == .closed ? 0 : 1) }
            }
            metrics.registry.counter("mcpgw_cache_hits_total", "Make reads answered from the response cache.") {
                [([], Double(statistics.hits))]
            }
            metrics.registry.counter("mcpgw_cache_misses_total", "Make reads the response cache did not have.") {
                [([], Double(statistics.misses))]
            }
        }
        let origins = OriginPolicy(publicURL: configuration.effectivePublicURL,
                                   additional: configuration.allowedOrigins)
        let identify: @Sendable (HTTPRequest) -> String = { rateLimits.clientIdentity(of: $0) }
        let legacy = LegacySSETransport(
            sessions: sessions, origins: origins, identify: identify,
            messagesPath: configuration.publicPathPrefix + "/messages", maxJSONDepth: configuration.maxJSONDepth,
            logger: mcpLogger)
        let streamable = StreamableHTTPTransport(sessions: sessions, origins: origins, identify: identify,
                                                 maxJSONDepth: configuration.maxJSONDepth, logger: mcpLogger)
        // Every MCP request gets its scope (request id, trace), is authenticated, then counted against its
        // identity's limit, before a transport sees it.
        func limited(_ handler: some HTTPHandler) -> some HTTPHandler {
            RequestScopeHandler(inner: AuthenticatedHandler(
                inner: RateLimitedHandler(inner: handler, policy: rateLimits), authentication: authentication.mcp,
                requiredScope: { MakeCatalog.requiredScope(forTool: $0) }))
        }
        authentication.routes?.add(to: &router)
        router.add(.get, "/sse", handler: limited(legacy.streamHandler))
        router.add(.post, "/messages", "/messages/", handler: limited(legacy.messageHandler))
        router.add(.post, "/mcp", "/mcp/", handler: limited(streamable.postHandler))
        router.add(.get, "/mcp", "/mcp/", handler: limited(streamable.getHandler))
        router.add(.delete, "/mcp", "/mcp/", handler: limited(streamable.deleteHandler))

        var httpLogger = logger
        httpLogger[metadataKey: "component"] = "http"
        let routes = router.paths
        server = HTTPServer(configuration: configuration.httpServer, handler: router, logger: httpLogger,
                            eventLoops: eventLoops, onDrainStart: { readiness.beginDraining() },
                            onExchange: { metrics.record($0, routes: routes) })
        let server = self.server
        metrics.registry.gauge("mcpgw_open_connections", "HTTP connections being served.") {
            [([], Double(server.openConnectionCount))]
        }
    }

    /// The paths the gateway serves, for the start-up message.
    package static let endpoints = ["/mcp", "/sse", "/messages", "/health/live", "/health/ready"]

    /// Runs until SIGTERM or SIGINT (or, with `handlesSignals` off, until the task's graceful shutdown), then drains
    /// and returns.
    package func run(handlesSignals: Bool = true) async throws {
        var groupConfiguration = ServiceGroupConfiguration(
            // Shut down in reverse: the server drains (ending streams) before the session manager stops, and that
            // before Redis closes.
            services: (redis.map { [ServiceGroupConfiguration.ServiceConfiguration(service: $0)] } ?? [])
                + (make.map { [ServiceGroupConfiguration.ServiceConfiguration(service: $0.toolProvider)] } ?? [])
                + [.init(service: tracer)]
                + [.init(service: sessions), .init(service: server)],
            gracefulShutdownSignals: handlesSignals ? [.sigterm, .sigint] : [],
            logger: logger
        )
        // The server closes what is left at its own drain deadline; this is the backstop.
        groupConfiguration.maximumGracefulShutdownDuration = configuration.drainTimeout + .seconds(5)
        let group = ServiceGroup(configuration: groupConfiguration)
        eventLoops.start()
        // Stopped only once every service, Redis's included, has returned; defer cannot await.
        do {
            try await serve(group)
        } catch {
            await eventLoops.stop()
            throw error
        }
        await eventLoops.stop()
        logger.notice("stopped")
    }

    private func serve(_ group: ServiceGroup) async throws {
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { try await group.run() }
            let port = try await server.waitUntilListening()
            var metadata = configuration.redactedSummary
            metadata["http.port"] = "\(port)"
            metadata["http.url"] = "\(configuration.effectivePublicURL)"
            metadata["http.endpoints"] = "\(Self.endpoints.joined(separator: " "))"
            logger.notice("listening", metadata: metadata)
        }
    }
}
