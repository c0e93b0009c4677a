internal import Logging
internal import MCPProtocol
internal import ServiceLifecycle
internal import Synchronization

/// The tools each session sees: the gateway's own (the registry's), the catalog tools its selection names, and the
/// active on-demand scenarios of its scope as tools.
///
/// Catalog tools are built once per (selection, scope), since a scope changes their schemas (a session confined to a
/// team needs no `teamId`). Scenario tools are kept per (identity, scope) for `SCENARIO_TOOLS_REFRESH`: a session
/// asking before they were ever read waits for the first read; after that it gets what is kept while a refresh runs
/// in the background, and `notifications/tools/list_changed` tells the sessions concerned when the set changed.
final class MakeToolProvider: MCPToolProvider, Service {
    private let registry: MCPRegistry
    private let runner: MakeToolRunner
    private let scenarioTools: ScenarioTools?
    private let defaultSelection: String
    private let refreshInterval: Duration
    private let logger: Logger
    /// Told which sessions should re-read their tools.
    private let toolsChanged: @Sendable (_ affected: @escaping @Sendable (MCPSession) -> Bool) -> Void

    private struct CatalogKey: Hashable {
        var selection: String
        var scope: MakeScope
    }

    private struct ScenarioKey: Hashable {
        var identity: String
        var scope: MakeScope
    }

    private struct ScenarioEntry {
        var tools: [MCPTool]
        var discovered: [Int64: ScenarioTools.Discovered]
        var fetched: ContinuousClock.Instant
        var isRefreshing = false
    }

    private let catalogViews = Mutex<[CatalogKey: [MCPTool]]>([:])
    private let scenarioEntries = Mutex<[ScenarioKey: ScenarioEntry]>([:])
    private let refreshes: AsyncStream<ScenarioKey>.Continuation
    private let refreshStream: AsyncStream<ScenarioKey>

    /// Distinct (selection, scope) views kept at once; beyond it the oldest are rebuilt on demand.
    private static let maxCatalogViews = 64

    init(registry: MCPRegistry, runner: MakeToolRunner, scenarioTools: ScenarioTools?, defaultSelection: String,
         refreshInterval: Duration, logger: Logger,
         toolsChanged: @escaping @Sendable (_ affected: @escaping @Sendable (MCPSession) -> Bool) -> Void) {
        self.registry = registry
        self.runner = runner
        self.scenarioTools = scenarioTools
        self.defaultSelection = defaultSelection
        self.refreshInterval = refreshInterval
        self.logger = logger
        self.toolsChanged = toolsChanged
        (refreshStream, refreshes) = AsyncStream.makeStream(of: ScenarioKey.self, bufferingPolicy: .unbounded)
    }

    // MARK: - MCPToolProvider

    func tools(for session: MCPSession) -> [MCPTool]? {
        let scope = MakeScope.of(session, serverScope: runner.serverScope)
        let catalog = catalogTools(selection: session.parameters[MakeScope.Parameter.tools] ?? defaultSelection,
                                   scope: scope)
        guard scenarioTools != nil else { return registry.tools + catalog }
        let key = ScenarioKey(identity: runner.access.identity(for: session), scope: scope)
        guard let scenarios = keptScenarioTools(key, session: session) else { return nil }
        return registry.tools + catalog + scenarios
    }

    /// One tool without building the session's list: the gateway's own, the catalog view's, or (names starting
    /// `run_`, as only scenario tools do) the kept scenario tools.
    func tool(named name: String, for session: MCPSession) -> MCPTool?? {
        if let tool = registry.tool(named: name) { return tool }
        let scope = MakeScope.of(session, serverScope: runner.serverScope)
        let selection = session.parameters[MakeScope.Parameter.tools] ?? defaultSelection
        if let tool = catalogTools(selection: selection, scope: scope).first(where: { $0.name == name }) {
            return tool
        }
        guard scenarioTools != nil, name.hasPrefix("run_") else { return .some(nil) }
        let key = ScenarioKey(identity: runner.access.identity(for: session), scope: scope)
        return keptScenarioTools(key, session: session).map { tools in tools.first { $0.name == name } }
    }

    func loadTools(for session: MCPSession) async -> [MCPTool] {
        let scope = MakeScope.of(session, serverScope: runner.serverScope)
        let key = ScenarioKey(identity: runner.access.identity(for: session), scope: scope)
        await refresh(key, session: session)
        return tools(for: session) ?? registry.tools
    }

    // MARK: - Catalog tools

    private func catalogTools(selection: String, scope: MakeScope) -> [MCPTool] {
        let key = CatalogKey(selection: selection, scope: MakeScope(organizationID: scope.organizationID,
                                                                    teamID: scope.teamID))
        if let tools = catalogViews.withLock({ $0[key] }) { return tools }
        let names = MakeToolSelection(selection).names
        let runner = self.runner
        let tools = names.compactMap(MakeCatalog.tool(named:)).compactMap { definition -> MCPTool? in
            do {
                return try MCPTool(
                    name: definition.name, title: definition.title, description: definition.description,
                    inputSchema: definition.inputSchema(confinedTo: key.scope), outputSchema: definition.outputSchema,
                    annotations: definition.annotations
                ) { arguments, context in
                    await runner.run(definition, arguments: arguments, session: context.session)
                }
            } catch {
                // The catalog's schemas are checked by its tests; one the validator refuses is left out, loudly.
                logger.error("catalog tool has an invalid schema", metadata: ["mcp.tool": "\(definition.name)",
                                                                              "error": "\(error)"])
                return nil
            }
        }
        catalogViews.withLock { views in
            if views.count >= Self.maxCatalogViews { views.removeAll() }
            views[key] = tools
        }
        return tools
    }

    // MARK: - Scenario tools

    /// The kept tools for `key`, asking for a refresh in the background when they are older than the interval.
    private func keptScenarioTools(_ key: ScenarioKey, session: MCPSession) -> [MCPTool]? {
        let (tools, isStale) = scenarioEntries.withLock { entries -> ([MCPTool]?, Bool) in
            guard var entry = entries[key] else { return (nil, false) }
            let isStale = ContinuousClock.now - entry.fetched >= refreshInterval && !entry.isRefreshing
            if isStale {
                entry.isRefreshing = true
                entries[key] = entry
            }
            return (entry.tools, isStale)
        }
        if isStale {
            refreshSessions.withLock { $0[key] = session }
            refreshes.yield(key)
        }
        return tools
    }

    /// Reads the scenarios of `key` now and keeps their tools; tells the sessions concerned if the set changed.
    private func refresh(_ key: ScenarioKey, session: MCPSession?) async {
        guard let scenarioTools else { return }
        let previous = scenarioEntries.withLock { $0[key] }
        var discovered: [ScenarioTools.Discovered] = []
        var tools: [MCPTool] = previous?.tools ?? []
        do {
            guard let session else { throw MakeAccessError.notSignedIn }
            let context = try await runner.access.context(for: session)
            discovered = try await scenarioTools.discover(scope: key.scope, context: context,
                                                          previous: previous?.discovered ?? [:])
            tools = discovered.compactMap { try? scenarioTools.tool(for: $0, scope: key.scope) }
        } catch {
            // Keep what was known (nothing, the first time) and try again after the interval.
            logger.warning("cannot list scenarios for scenario tools", metadata: ["error": "\(error)"])
            discovered = previous.map { Array($0.discovered.values) } ?? []
        }
        let changed = scenarioEntries.withLock { entries -> Bool in
            let before = entries[key]?.discovered ?? [:]
            let after = Dictionary(discovered.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            entries[key] = ScenarioEntry(tools: tools, discovered: after, fetched: .now)
            return previous != nil && before != after
        }
        if changed {
            let (identity, access, serverScope) = (key.identity, runner.access, runner.serverScope)
            toolsChanged { session in
                access.identity(for: session) == identity && MakeScope.of(session, serverScope: serverScope) == key.scope
            }
        }
    }

    /// For each key waiting for a background refresh, a session of it whose credentials the refresh reads with.
    private let refreshSessions = Mutex<[ScenarioKey: MCPSession]>([:])

    // MARK: - Service

    /// Runs the background refreshes, one at a time, until shutdown.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await key in self.refreshStream {
                await self.refresh(key, session: self.refreshSessions.withLock { $0.removeValue(forKey: key) })
            }
        }
    }
}
