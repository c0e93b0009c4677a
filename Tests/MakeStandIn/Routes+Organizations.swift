import Foundation
import HTTPServer

/// Organizations, teams, private spaces, the current user, roles, custom property structures, on-prem agents and
/// connected systems (make-catalog.md §6: organizations, teams, users, private-spaces, roles, custom-roles,
/// custom-property-structures, custom-property-structure-items, on-prem-agent, connected-system).
extension Routes {
    static func addOrganizations(to table: inout RouteTable) {
        addOrganizationsAndTeams(to: &table)
        addUsersAndRoles(to: &table)
        addCustomPropertyStructures(to: &table)
        addAgents(to: &table)
    }

    // MARK: - Organizations and teams

    private static func addOrganizationsAndTeams(to table: inout RouteTable) {
        table.add(.get, "/organizations", scope: "organizations:read") { request in
            let items = try request.world.read { state in
                state.items(.organization).map { organizationJSON($0, in: state, request: request) }
            }
            return try list("organizations", items, request, defaults: .byName)
        }
        table.add(.get, "/organizations/{organizationId}", scope: "organizations:read") { request in
            let item = try request.world.read { state in
                organizationJSON(
                    try state.require(.organization, id: request.path("organizationId")), in: state,
                    request: request)
            }
            return single("organization", item, request)
        }
        table.add(.post, "/organizations", scope: "organizations:write") { request in
            let body = try request.body()
            let name = try body.requiredString("name")
            let regionID = try body.requiredInt("regionId")
            let timezoneID = try body.requiredInt("timezoneId")
            let countryID = try body.requiredInt("countryId")
            guard Catalogs.regions.contains(where: { $0["id"]?.intValue == regionID }) else {
                throw MakeError.invalidParameter("regionId", expected: "an id from GET /enums/imt-regions")
            }
            let item = try request.world.write { state -> JSON in
                let organization = state.add(
                    .organization,
                    [
                        "name": .string(name), "countryId": .int(countryID), "timezoneId": .int(timezoneID),
                        "regionId": .int(regionID), "zone": .string(state.zone), "serviceName": "default",
                        "isPaused": false, "productName": "Free",
                        "license": [
                            "apiLimit": 60, "operations": 1000, "interval": "monthly",
                            "onDemandScheduling": false, "scenarioIO": false,
                        ],
                    ])
                return organizationJSON(organization, in: state, request: request)
            }
            return .json(["organization": item])
        }
        table.add(.patch, "/organizations/{organizationId}", scope: "organizations:write") { request in
            let patch = try request.body().selecting(["name", "countryId", "timezoneId"])
            let item = try request.world.write { state in
                organizationJSON(
                    try state.merge(.organization, id: request.path("organizationId"), patch), in: state,
                    request: request)
            }
            return .json(["organization": item])
        }
        table.add(.delete, "/organizations/{organizationId}", scope: "organizations:write") { request in
            try request.requireConfirmation()
            let id = try request.pathInt("organizationId")
            try request.world.write { state in
                guard id != state.organizationID else {
                    throw MakeError(
                        status: .forbidden, message: "Permission denied",
                        detail: "The organization the credential belongs to cannot be deleted.",
                        code: "IM001")
                }
                try state.remove(.organization, id: String(id))
            }
            return .json(["organization": .int(id)])
        }

        table.add(.get, "/teams", scope: "teams:read") { request in
            let organizationID = try request.requiredQueryInt("organizationId")
            let includePrivate = request.query.bool("includePrivateSpaces") == true
            let items = try request.world.read { state -> [JSON] in
                _ = try state.require(.organization, id: organizationID)
                let spaces = includePrivate ? state.items(.privateSpace) : []
                return (state.items(.team) + spaces).filter { $0["organizationId"]?.intValue == organizationID }
            }
            return try list("teams", items, request, defaults: .byName)
        }
        table.add(.get, "/teams/{teamId}", scope: "teams:read") { request in
            let item = try request.world.read { try $0.require(.team, id: request.path("teamId")) }
            return single("team", item, request)
        }
        table.add(.post, "/teams", scope: "teams:write") { request in
            let body = try request.body()
            let name = try body.requiredString("name")
            let organizationID = try body.requiredInt("organizationId")
            let operationsLimit = try body.optionalInt("operationsLimit")
            let transferLimit = try body.optionalInt("transferLimit")
            let team = try request.world.write { state -> JSON in
                _ = try state.require(.organization, id: organizationID)
                if state.items(.team).contains(where: {
                    $0["organizationId"]?.intValue == organizationID && $0["name"]?.stringValue == name
                }) {
                    throw MakeError.conflict("A team named '\(name)' already exists in the organization.")
                }
                return state.add(
                    .team,
                    [
                        "id": .int(max(state.nextID(.team), state.nextID(.privateSpace))),
                        "name": .string(name), "organizationId": .int(organizationID),
                        "type": "standard", "operationsLimit": JSON(operationsLimit),
                        "transferLimit": JSON(transferLimit),
                    ])
            }
            return .json(["team": team, "userTeamRole": ["teamId": team["id"] ?? nil, "userId": 1, "usersRoleId": 11]])
        }
        table.add(.delete, "/teams/{teamId}", scope: "teams:write") { request in
            try request.requireConfirmation()
            let id = try request.pathInt("teamId")
            try request.world.write { state in
                try state.remove(.team, id: String(id))
                state.scenarios.removeAll { $0.teamID == id }
            }
            return .json(["team": .int(id)])
        }

        table.add(.get, "/private-spaces", scope: "private-spaces:read") { request in
            let organizationID = try request.requiredQueryInt("organizationId")
            let externalID = request.query["externalId"]
            let items = try request.world.read { state in
                state.items(.privateSpace).filter {
                    $0["organizationId"]?.intValue == organizationID
                        && (externalID == nil || $0["externalId"]?.stringValue == externalID)
                }
            }
            return try list("privateSpaces", items, request, defaults: .byName)
        }
        table.add(.get, "/private-spaces/{privateSpaceId}", scope: "private-spaces:read") { request in
            let item = try request.world.read { try $0.require(.privateSpace, id: request.path("privateSpaceId")) }
            return single("privateSpace", item, request)
        }
        table.add(.patch, "/private-spaces/{privateSpaceId}", scope: "private-spaces:write") { request in
            let body = try request.body()
            guard let limit = body["operationsLimit"], limit.isNull || limit.intValue != nil else {
                throw MakeError.invalidParameter("operationsLimit", expected: "number or null")
            }
            let item = try request.world.write {
                try $0.merge(.privateSpace, id: request.path("privateSpaceId"), ["operationsLimit": limit])
            }
            return .json(["privateSpace": item])
        }
    }

    /// An organization with its `teams[]` and a `license.apiLimit` that matches the configured rate limit.
    private static func organizationJSON(_ organization: JSON, in state: WorldState, request: APIRequest) -> JSON {
        let id = organization["id"]?.intValue
        let teams = state.items(.team).filter { $0["organizationId"]?.intValue == id }
            .map { team -> JSON in ["id": team["id"] ?? nil, "name": team["name"] ?? nil] }
        var license = organization["license"] ?? [:]
        if id == state.organizationID, request.settings.rateLimitPerMinute > 0 {
            license["apiLimit"] = .int(request.settings.rateLimitPerMinute)
        }
        return organization.merging(["teams": .array(teams), "license": license])
    }

    // MARK: - Users and roles

    private static func addUsersAndRoles(to table: inout RouteTable) {
        table.add(.get, "/users/me", scope: nil) { request in
            let user = try request.world.read { $0.user }
            return single("authUser", user, request)
        }
        table.add(.get, "/users/me/current-authorization", scope: nil) { request in
            .json([
                "authorization": [
                    "authUsed": .string(request.principal.scheme == "Token" ? "token" : "oauth"),
                    "scope": .array(request.principal.scopes.sorted().map(JSON.string)),
                ]
            ])
        }
        table.add(.get, "/users/roles", scope: "user:read") { request in
            let category = request.query["category"]
            let excluded = Set(request.query.values("excludeRole").compactMap(Int.init))
            let roleID = try request.optionalQueryInt("roleId")
            let organizationID = try request.optionalQueryInt("organizationId")
            let items = try request.world.read { state in
                state.items(.role).filter { role in
                    let id = role["id"]?.intValue ?? 0
                    let owner = role["organizationId"]?.intValue
                    return (category == nil || role["category"]?.stringValue == category) && !excluded.contains(id)
                        && (roleID == nil || id == roleID)
                        && (owner == nil || organizationID == nil || owner == organizationID)
                }
            }
            return try list("usersRoles", items, request)
        }
        table.add(.get, "/users/roles/permissions", scope: "user:read") { request in
            let category = request.query["roleCategory"]
            let items = try request.world.read { state in
                state.items(.permission).filter { category == nil || $0["category"]?.stringValue == category }
            }
            return .json(["usersRolesPermissions": .array(items)])
        }
        table.add(.get, "/users/roles/{roleId}", scope: "user:read") { request in
            let role = try request.world.read { try $0.require(.role, id: request.path("roleId")) }
            return single("usersRole", role, request)
        }
        table.add(.post, "/users/custom-roles", scope: "user:write") { request in
            let body = try request.body()
            let name = try checkedRoleName(try body.requiredString("name"))
            let category = try body.requiredString("category")
            guard ["organization", "team"].contains(category) else {
                throw MakeError.invalidParameter("category", expected: "organization or team")
            }
            let organizationID = try body.requiredInt("organizationId")
            let permissions = body["permissions"]?.arrayValue ?? []
            let role = try request.world.write { state -> JSON in
                _ = try state.require(.organization, id: organizationID)
                try checkPermissions(permissions, category: category, in: state)
                return state.add(
                    .role,
                    [
                        "id": .int(max(100, state.nextID(.role))), "name": .string(name),
                        "category": .string(category), "description": body["description"] ?? nil,
                        "organizationId": .int(organizationID), "custom": true,
                        "permissions": .array(permissions),
                    ])
            }
            return .json(["role": role])
        }
        table.add(.patch, "/users/custom-roles/{id}", scope: "user:write") { request in
            let body = try request.body()
            _ = try body.requiredInt("organizationId")
            if let name = try body.optionalString("name") { _ = try checkedRoleName(name) }
            let patch = body.selecting(["name", "description", "permissions"])
            let role = try request.world.write { state -> JSON in
                let role = try customRole(request.path("id"), in: state)
                if let permissions = patch["permissions"]?.arrayValue {
                    try checkPermissions(permissions, category: role["category"]?.stringValue ?? "", in: state)
                }
                return try state.merge(.role, id: request.path("id"), patch)
            }
            return .json(["role": role])
        }
        // DELETE with a JSON body `{organizationId}` (make-catalog.md §2, "Request bodies").
        table.add(.delete, "/users/custom-roles/{id}", scope: "user:write") { request in
            _ = try request.body().requiredInt("organizationId")
            let id = try request.pathInt("id")
            try request.world.write { state in
                _ = try customRole(String(id), in: state)
                try state.remove(.role, id: String(id))
            }
            return .json(["roleId": .int(id)])
        }
    }

    private static func checkedRoleName(_ name: String) throws -> String {
        guard (1...50).contains(name.count) else {
            throw MakeError.invalidParameter("name", expected: "1 to 50 characters")
        }
        return name
    }

    /// Only custom roles can be changed or deleted.
    private static func customRole(_ id: String, in state: WorldState) throws -> JSON {
        let role = try state.require(.role, id: id)
        guard role["custom"] == true else {
            throw MakeError(
                status: .forbidden, message: "Permission denied",
                detail: "Built-in roles cannot be changed.", code: "IM002")
        }
        return role
    }

    private static func checkPermissions(_ permissions: [JSON], category: String, in state: WorldState) throws {
        let known = Set(
            state.items(.permission).filter { $0["category"]?.stringValue == category }
                .compactMap { $0["id"]?.intValue })
        let problems = permissions.filter { $0.intValue.map { !known.contains($0) } ?? true }
            .map { "Unknown \(category) permission \($0.encodedString)." }
        guard problems.isEmpty else { throw MakeError.validation(problems) }
    }

    // MARK: - Custom property structures

    private static func addCustomPropertyStructures(to table: inout RouteTable) {
        let itemTypes: Set<String> = ["boolean", "number", "shortText", "longText", "date", "dropdown", "multiselect"]
        table.add(.get, "/custom-property-structures", scope: "custom-property-structures:read") { request in
            let organizationID = try request.requiredQueryInt("organizationId")
            let items = try request.world.read { state in
                state.items(.customPropertyStructure).filter {
                    $0["belongerType"] == "organization" && $0["belongerId"]?.intValue == organizationID
                }
            }
            return try list("customPropertyStructures", items, request)
        }
        table.add(.post, "/custom-property-structures", scope: "custom-property-structures:write") { request in
            let body = try request.body()
            guard try body.requiredString("associatedType") == "scenario" else {
                throw MakeError.invalidParameter("associatedType", expected: "scenario")
            }
            guard try body.requiredString("belongerType") == "organization" else {
                throw MakeError.invalidParameter("belongerType", expected: "organization")
            }
            let belongerID = try body.requiredInt("belongerId")
            let structure = try request.world.write { state -> JSON in
                _ = try state.require(.organization, id: belongerID)
                if state.items(.customPropertyStructure).contains(where: { $0["belongerId"]?.intValue == belongerID }) {
                    throw MakeError.conflict("The organization already has a custom property structure.")
                }
                return state.add(
                    .customPropertyStructure,
                    [
                        "associatedType": "scenario",
                        "belongerType": "organization",
                        "belongerId": .int(belongerID),
                    ])
            }
            return .json(["customPropertyStructure": structure])
        }
        let itemsPath = "/custom-property-structures/{customPropertyStructureId}/custom-property-structure-items"
        table.add(.get, itemsPath, scope: "custom-property-structures:read") { request in
            let structureID = try request.pathInt("customPropertyStructureId")
            let filters = ["name", "label", "description", "type"].compactMap { key in
                request.query[key].map { (key, $0) }
            }
            let itemID = try request.optionalQueryInt("id")
            let required = request.query.bool("required")
            let items = try request.world.read { state -> [JSON] in
                _ = try state.require(.customPropertyStructure, id: structureID)
                return state.items(.customPropertyItem).filter { item in
                    item["customPropertyStructureId"]?.intValue == structureID
                        && (itemID == nil || item["id"]?.intValue == itemID)
                        && (required == nil || item["required"]?.boolValue == required)
                        && filters.allSatisfy { item[$0.0]?.stringValue == $0.1 }
                }
            }
            return try list("customPropertyStructureItems", items, request)
        }
        table.add(.post, itemsPath, scope: "custom-property-structures:write") { request in
            let structureID = try request.pathInt("customPropertyStructureId")
            let body = try request.body()
            let name = try body.requiredString("name")
            let label = try body.requiredString("label")
            let type = try body.requiredString("type")
            guard itemTypes.contains(type) else {
                throw MakeError.invalidParameter("type", expected: itemTypes.sorted().joined(separator: ", "))
            }
            let required = try body.requiredBool("required")
            let item = try request.world.write { state -> JSON in
                _ = try state.require(.customPropertyStructure, id: structureID)
                if state.items(.customPropertyItem).contains(where: {
                    $0["customPropertyStructureId"]?.intValue == structureID && $0["name"]?.stringValue == name
                }) {
                    throw MakeError.conflict("An item named '\(name)' already exists.")
                }
                return state.add(
                    .customPropertyItem,
                    [
                        "customPropertyStructureId": .int(structureID), "name": .string(name), "label": .string(label),
                        "type": .string(type), "description": .string(try body.optionalString("description") ?? ""),
                        "options": body["options"] ?? [], "required": .bool(required),
                    ])
            }
            return .json(["customPropertyStructureItem": item])
        }
        let itemPath = "/custom-property-structures/custom-property-structure-items/{customPropertyStructureItemId}"
        table.add(.patch, itemPath, scope: "custom-property-structures:write") { request in
            let patch = try request.body().selecting(["label", "description", "options", "required"])
            let item = try request.world.write {
                try $0.merge(.customPropertyItem, id: request.path("customPropertyStructureItemId"), patch)
            }
            return .json(["customPropertyStructureItem": item])
        }
        table.add(.delete, itemPath, scope: "custom-property-structures:write") { request in
            let id = try request.pathInt("customPropertyStructureItemId")
            try request.world.write { state in
                let item = try state.require(.customPropertyItem, id: id)
                let name = item["name"]?.stringValue ?? ""
                let isUsed = state.scenarios.contains { $0.customProperties[name] != nil }
                if isUsed, request.query.bool("confirmed") != true { throw MakeError.confirmationRequired }
                try state.remove(.customPropertyItem, id: String(id))
                for index in state.scenarios.indices { state.scenarios[index].customProperties[name] = nil }
            }
            return .json(["customPropertyStructureItem": .int(id)])
        }
    }

    // MARK: - On-prem agents and connected systems

    private static func addAgents(to table: inout RouteTable) {
        @Sendable func organizationItems(_ kind: Kind, _ request: APIRequest) throws -> [JSON] {
            let organizationID = try request.requiredQueryInt("organizationId")
            return try request.world.read { state in
                _ = try state.require(.organization, id: organizationID)
                return state.items(kind).filter { $0["organizationId"]?.intValue == organizationID }
            }
        }
        @Sendable func organizationItem(_ kind: Kind, _ id: String, _ request: APIRequest) throws -> JSON {
            guard let item = try organizationItems(kind, request).first(where: { $0["id"]?.matchesID(id) == true })
            else { throw MakeError.notFound(kind.rawValue) }
            return item
        }

        table.add(.get, "/agents", scope: "agents:read") { request in
            try list("agents", try organizationItems(.agent, request), request, defaults: .byName)
        }
        table.add(.get, "/agents/{agentId}", scope: "agents:read") { request in
            .json(["agent": try organizationItem(.agent, request.path("agentId"), request)])
        }
        table.add(.post, "/agent/register", scope: "agents:write") { request in
            let organizationID = try request.requiredQueryInt("organizationId")
            let name = try request.body().requiredString("name")
            let agent = try request.world.write { state -> JSON in
                _ = try state.require(.organization, id: organizationID)
                return state.add(
                    .agent,
                    [
                        "id": .string(RandomID.uuid()), "name": .string(name),
                        "organizationId": .int(organizationID), "status": "offline",
                        "version": nil, "lastSeen": nil,
                    ])
            }
            return .json(["agent": agent])
        }
        table.add(.patch, "/agents/{agentId}", scope: "agents:write") { request in
            let patch = try request.body().selecting(["name"])
            _ = try organizationItem(.agent, request.path("agentId"), request)
            let agent = try request.world.write { try $0.merge(.agent, id: request.path("agentId"), patch) }
            return .json(["agent": agent])
        }
        table.add(.delete, "/agents/{agentId}", scope: "agents:write") { request in
            _ = try organizationItem(.agent, request.path("agentId"), request)
            let agent = try request.world.write { try $0.remove(.agent, id: request.path("agentId")) }
            return .json(["agent": agent])
        }
        table.add(.get, "/agents/{agentId}/apps/{appName}/config", scope: "agents:read") { request in
            _ = try organizationItem(.agent, request.path("agentId"), request)
            guard Catalogs.connectedSystemApps.contains(where: { $0["name"]?.stringValue == request.path("appName") })
            else { throw MakeError.notFound("App") }
            return .json([
                "inputs": [
                    ["name": "host", "type": "text", "label": "Host", "required": true],
                    ["name": "port", "type": "number", "label": "Port", "required": false],
                ]
            ])
        }

        table.add(.get, "/connected-systems", scope: "agents:read") { request in
            let agentID = try request.requiredQueryString("agentId")
            let items = try organizationItems(.connectedSystem, request).filter {
                $0["agentId"]?.stringValue == agentID
            }
            return try list("connectedSystems", items, request, defaults: .byName)
        }
        table.add(.get, "/connected-systems/{connectedSystemId}", scope: "agents:read") { request in
            .json([
                "connectedSystem": try organizationItem(
                    .connectedSystem, request.path("connectedSystemId"),
                    request)
            ])
        }
        table.add(.post, "/connected-systems", scope: "agents:write") { request in
            let organizationID = try request.requiredQueryInt("organizationId")
            let body = try request.body()
            let name = try body.requiredString("name")
            let agentID = try body.requiredString("agentId")
            let appName = try body.requiredString("appName")
            let inputs = try body.requiredObject("inputs")
            let system = try request.world.write { state -> JSON in
                _ = try state.require(.organization, id: organizationID)
                _ = try state.require(.agent, id: agentID)
                return state.add(
                    .connectedSystem,
                    [
                        "id": .string(RandomID.uuid()), "name": .string(name),
                        "agentId": .string(agentID), "appName": .string(appName),
                        "organizationId": .int(organizationID), "inputs": inputs,
                    ])
            }
            return .json(["connectedSystem": system])
        }
        table.add(.patch, "/connected-systems/{connectedSystemId}", scope: "agents:write") { request in
            let patch = try request.body().selecting(["name", "agentId", "appName", "inputs"])
            _ = try organizationItem(.connectedSystem, request.path("connectedSystemId"), request)
            let system = try request.world.write {
                try $0.merge(.connectedSystem, id: request.path("connectedSystemId"), patch)
            }
            return .json(["connectedSystem": system])
        }
        table.add(.delete, "/connected-systems/{connectedSystemId}", scope: "agents:write") { request in
            _ = try organizationItem(.connectedSystem, request.path("connectedSystemId"), request)
            let system = try request.world.write {
                try $0.remove(.connectedSystem, id: request.path("connectedSystemId"))
            }
            return .json(["connectedSystem": system])
        }
    }
}
