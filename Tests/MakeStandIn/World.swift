import Synchronization

/// The one process-wide Make world every request reads and changes, behind a lock. Critical sections are short and
/// synchronous; nothing awaits inside them.
final class World: Sendable {
    private let state: Mutex<WorldState>

    init(_ state: WorldState) {
        self.state = Mutex(state)
    }

    @discardableResult
    func read<T: Sendable>(_ body: (WorldState) throws -> T) throws -> T {
        try state.withLock { state in try body(state) }
    }

    @discardableResult
    func write<T: Sendable>(_ body: (inout WorldState) throws -> T) throws -> T {
        try state.withLock { state in try body(&state) }
    }

    /// Puts the world back to its seeded state, in `zone` or the current one.
    func reset(zone: String? = nil, longRunDuration: Duration) {
        state.withLock { state in
            state = WorldState.seeded(zone: zone ?? state.zone, longRunDuration: longRunDuration)
        }
    }
}

/// The kinds of resources kept as plain JSON objects, with the name used in "not found" messages.
enum Kind: String, Sendable, CaseIterable {
    case organization = "Organization"
    case team = "Team"
    case folder = "Folder"
    case connection = "Connection"
    case hook = "Hook"
    case device = "Device"
    case dataStructure = "Data structure"
    case dataStore = "Data store"
    case key = "Key"
    case function = "Function"
    case credentialRequest = "Credential request"
    case credential = "Credential"
    case agent = "Agent"
    case connectedSystem = "Connected system"
    case privateSpace = "Private space"
    case customPropertyStructure = "Custom property structure"
    case customPropertyItem = "Custom property structure item"
    case role = "Role"
    case permission = "Permission"
    case publicTemplate = "Template"
    case incompleteExecution = "Incomplete execution"
}

/// The state of the world: JSON tables for most resources, typed values where behaviour lives (scenarios and their
/// runs, data-store records, custom apps).
struct WorldState: Sendable {
    /// The host the organization lives in, as Make's `zone` field (e.g. `eu1.make.com`; here `127.0.0.1:port`).
    var zone: String
    /// The organization every credential belongs to, for the per-organization rate limit.
    var organizationID = 1
    /// The user behind every credential.
    var user: JSON = [:]
    var tables: [Kind: [JSON]] = [:]
    var scenarios: [Scenario] = []
    var executions: [Execution] = []
    /// Each data store's records, in insertion order.
    var records: [Int: [DataStoreRecord]] = [:]
    var sdkApps: [SDKApp] = []
    /// Custom-app connections and webhooks, addressed by their own names across apps.
    var sdkConnections: [SDKComponent] = []
    var sdkWebhooks: [SDKComponent] = []
    /// Connections whose `test` answers `verified: false`.
    var unverifiableConnections: Set<Int> = []

    init(zone: String) {
        self.zone = zone
    }

    // MARK: - Tables

    func items(_ kind: Kind) -> [JSON] {
        tables[kind] ?? []
    }

    func item(_ kind: Kind, id: String) -> JSON? {
        items(kind).first { $0["id"]?.matchesID(id) == true }
    }

    /// The item, or Make's 404.
    func require(_ kind: Kind, id: String) throws -> JSON {
        guard let item = item(kind, id: id) else { throw MakeError.notFound(kind.rawValue) }
        return item
    }

    func require(_ kind: Kind, id: Int) throws -> JSON {
        try require(kind, id: String(id))
    }

    /// One more than the largest numeric id of the kind.
    func nextID(_ kind: Kind) -> Int {
        (items(kind).compactMap { $0["id"]?.intValue }.max() ?? 0) + 1
    }

    /// Stores a new item, giving it the next numeric id unless it has one, and returns it.
    @discardableResult
    mutating func add(_ kind: Kind, _ item: JSON) -> JSON {
        var item = item
        if item["id"] == nil { item["id"] = .int(nextID(kind)) }
        tables[kind, default: []].append(item)
        return item
    }

    /// Changes an item in place and returns the result, or throws Make's 404.
    @discardableResult
    mutating func update(_ kind: Kind, id: String, _ change: (inout JSON) throws -> Void) throws -> JSON {
        guard let index = items(kind).firstIndex(where: { $0["id"]?.matchesID(id) == true }) else {
            throw MakeError.notFound(kind.rawValue)
        }
        try change(&tables[kind]![index])
        return tables[kind]![index]
    }

    /// Writes the patch's keys over the item's.
    @discardableResult
    mutating func merge(_ kind: Kind, id: String, _ patch: JSON) throws -> JSON {
        try update(kind, id: id) { $0 = $0.merging(patch) }
    }

    @discardableResult
    mutating func remove(_ kind: Kind, id: String) throws -> JSON {
        guard let index = items(kind).firstIndex(where: { $0["id"]?.matchesID(id) == true }) else {
            throw MakeError.notFound(kind.rawValue)
        }
        return tables[kind]!.remove(at: index)
    }

    /// The team must exist (list and create calls name one).
    func requireTeam(_ id: Int) throws {
        _ = try require(.team, id: id)
    }

    // MARK: - Scenarios

    func scenario(_ id: Int) throws -> Scenario {
        guard let scenario = scenarios.first(where: { $0.id == id }) else { throw MakeError.notFound("Scenario") }
        return scenario
    }

    @discardableResult
    mutating func updateScenario(_ id: Int, _ change: (inout Scenario) throws -> Void) throws -> Scenario {
        guard let index = scenarios.firstIndex(where: { $0.id == id }) else { throw MakeError.notFound("Scenario") }
        try change(&scenarios[index])
        return scenarios[index]
    }

    var nextScenarioID: Int { (scenarios.map(\.id).max() ?? 0) + 1 }

    /// A scenario as the API shows it, with the counts other tables hold.
    func json(for scenario: Scenario) -> JSON {
        let dlqCount = items(.incompleteExecution).filter {
            $0["scenarioId"]?.intValue == scenario.id && $0["resolved"] == false
        }.count
        return scenario.json(dlqCount: dlqCount, user: user)
    }

    // MARK: - Executions

    func execution(_ id: String, scenarioID: Int) throws -> Execution {
        guard let execution = executions.first(where: { $0.id == id && $0.scenarioID == scenarioID }) else {
            throw MakeError.notFound("Execution")
        }
        return execution
    }
}
