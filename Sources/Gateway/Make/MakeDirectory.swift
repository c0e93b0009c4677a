internal import FoundationEssentials
internal import MCPProtocol
internal import MakeClient
internal import Synchronization

/// The organizations (with their teams, zone and API limit) an identity belongs to, read from `GET /organizations`
/// and kept for a while per identity: which organization a team's calls count against, which teams a scope covers,
/// and how large each organization's outbound budget is (make-api.md §3.1, `license.apiLimit`).
final class MakeDirectory: Sendable {
    struct Organization: Sendable, Equatable {
        var id: Int64
        var name: String
        var zone: String?
        var apiLimit: Int?
        var teams: [Team]
    }

    struct Team: Sendable, Equatable {
        var id: Int64
        var name: String
    }

    private let client: MakeAPIClient
    private let budget: MakeOutboundBudget
    private let ttl: Duration
    private let entries = Mutex<[String: (organizations: [Organization], fetched: ContinuousClock.Instant)]>([:])

    /// - Parameter budget: Sized by each organization's API limit as it is read, and charged for the reads.
    init(client: MakeAPIClient, budget: MakeOutboundBudget, ttl: Duration = .seconds(600)) {
        self.client = client
        self.budget = budget
        self.ttl = ttl
    }

    /// The identity's organizations, from memory when read recently.
    func organizations(for context: MakeCallContext) async throws(MakeClientError) -> [Organization] {
        let now = ContinuousClock.now
        let known = entries.withLock { $0[context.identity] }
        if let known, now - known.fetched < ttl { return known.organizations }
        // The read counts against the identity's first organization like its other unscoped calls. The first time,
        // that organization is what the read finds out, so its slot is taken once the answer names it.
        let home = known?.organizations.first.map { String($0.id) }
        let response = try await client.send(
            MakeRequest(method: "GET", path: "/organizations", query: [("cols[]", "*")]), baseURL: context.baseURL,
            authorization: context.authorization, organization: home)
        let organizations = Self.parse(response.body)
        entries.withLock { $0[context.identity] = (organizations, now) }
        for organization in organizations {
            if let limit = organization.apiLimit { budget.learn(limit: limit, for: organization.id) }
        }
        if home == nil, let first = organizations.first { await budget.charge(organization: String(first.id)) }
        return organizations
    }

    /// The organization a call in `scope` counts against: the scope's, the team's, or the identity's first.
    func budgetOrganization(for scope: MakeScope, context: MakeCallContext) async -> Int64? {
        if let organization = scope.organizationID { return organization }
        guard let organizations = try? await organizations(for: context) else { return nil }
        if let team = scope.teamID {
            return organizations.first { $0.teams.contains { $0.id == team } }?.id
        }
        return organizations.first?.id
    }

    /// The teams a scope covers: its team, its organization's teams, or every team of the identity.
    func teams(in scope: MakeScope, context: MakeCallContext) async throws(MakeClientError) -> [Team] {
        if let team = scope.teamID { return [Team(id: team, name: "")] }
        let organizations = try await organizations(for: context)
        return organizations.filter { scope.organizationID == nil || $0.id == scope.organizationID }.flatMap(\.teams)
    }

    private static func parse(_ body: [UInt8]) -> [Organization] {
        guard let list = (try? JSONParser.parse(body))?["organizations"]?.arrayValue else { return [] }
        return list.compactMap { item in
            guard let id = item["id"]?.int64Value else { return nil }
            let teams = item["teams"]?.arrayValue?.compactMap { team -> Team? in
                guard let teamID = team["id"]?.int64Value else { return nil }
                return Team(id: teamID, name: team["name"]?.stringValue ?? "")
            } ?? []
            return Organization(
                id: id, name: item["name"]?.stringValue ?? "", zone: item["zone"]?.stringValue,
                apiLimit: item["license"]?["apiLimit"]?.int64Value.map { Int($0) }, teams: teams)
        }
    }
}
