import MCPProtocol
import Testing

@testable import Gateway

/// The Make catalog against make-catalog.md: names, groups, defaults, annotations, scopes, HTTP mapping, and input
/// schemas that the gateway's validator accepts and that accept and refuse what Make does.
@Suite("Make catalog")
struct MakeCatalogTests {
    /// Every tool name in the tables of make-catalog.md §6, in table order.
    static let expectedNames: [String] = [
        "scenarios_list", "scenarios_get", "scenarios_create", "scenarios_update", "scenarios_delete",
        "scenarios_activate", "scenarios_deactivate", "scenarios_run", "scenarios_interface",
        "scenarios_set-interface", "executions_list", "executions_get-detail", "executions_get",
        "executions_list-for-incomp-exec", "executions_get-for-incomp-exec", "incomplete-executions_list",
        "incomplete-executions_get", "folders_list", "folders_create", "folders_update", "folders_delete",
        "functions_list", "functions_get", "functions_create", "functions_update", "functions_delete",
        "functions_check", "hooks_list", "hooks_get", "hooks_create", "hooks_update", "hooks_delete", "devices_list",
        "data-structures_list", "data-structures_get", "data-structures_create", "data-structures_update",
        "data-structures_delete", "connections_list", "connections_get", "connections_create", "connections_update",
        "connections_verify", "connections_delete", "keys_list", "keys_get", "keys_create", "keys_update",
        "keys_delete", "credential-requests_list", "credential-requests_get", "credential-requests_delete",
        "credential-requests_credential-decline", "credential-requests_credential-delete",
        "credential-requests_create", "credential-requests_create-by-credentials",
        "credential-requests_extend-connection", "credential-requests_list-app-modules-with-creds",
        "data-stores_list", "data-stores_get", "data-stores_create", "data-stores_update", "data-stores_delete",
        "data-store-records_list", "data-store-records_create", "data-store-records_update",
        "data-store-records_replace", "data-store-records_delete", "teams_list", "teams_get", "teams_create",
        "teams_delete", "organizations_list", "organizations_get", "organizations_create", "organizations_update",
        "organizations_delete", "users_me", "on-prem-agent_list", "on-prem-agent_get", "on-prem-agent_create",
        "on-prem-agent_update", "on-prem-agent_delete", "on-prem-agent_get-app-config", "connected-system_list",
        "connected-system_get", "connected-system_create", "connected-system_update", "connected-system_delete",
        "enums_countries", "enums_regions", "enums_timezones", "connected-system_list-apps", "public-templates_list",
        "public-templates_get", "public-templates_get-blueprint", "private-spaces_list", "private-spaces_get",
        "private-spaces_update", "custom-property-structures_list", "custom-property-structures_create",
        "custom-property-structure-items_list", "custom-property-structure-items_create",
        "custom-property-structure-items_update", "custom-property-structure-items_delete",
        "scenario-custom-properties_get", "scenario-custom-properties_create", "scenario-custom-properties_replace",
        "scenario-custom-properties_update", "scenario-custom-properties_delete", "roles_list", "roles_get",
        "roles_permissions", "custom-roles_create", "custom-roles_update", "custom-roles_delete", "sdk-apps_list",
        "sdk-apps_get", "sdk-apps_create", "sdk-apps_update", "sdk-apps_delete", "sdk-apps_get-section",
        "sdk-apps_set-section", "sdk-apps_get-docs", "sdk-apps_set-docs", "sdk-apps_get-common", "sdk-apps_set-icon",
        "sdk-apps_get-icon", "sdk-apps_set-public", "sdk-apps_set-private", "sdk-apps_set-common",
        "sdk-connections_list", "sdk-connections_get", "sdk-connections_create", "sdk-connections_update",
        "sdk-connections_delete", "sdk-connections_get-section", "sdk-connections_set-section",
        "sdk-connections_get-common", "sdk-connections_set-common", "sdk-functions_list", "sdk-functions_get",
        "sdk-functions_create", "sdk-functions_delete", "sdk-functions_get-code", "sdk-functions_set-code",
        "sdk-functions_get-test", "sdk-functions_set-test", "sdk-modules_list", "sdk-modules_get",
        "sdk-modules_create", "sdk-modules_update", "sdk-modules_delete", "sdk-modules_get-section",
        "sdk-modules_set-public", "sdk-modules_set-private", "sdk-modules_set-section", "sdk-rpcs_list",
        "sdk-rpcs_get", "sdk-rpcs_create", "sdk-rpcs_update", "sdk-rpcs_delete", "sdk-rpcs_test",
        "sdk-rpcs_get-section", "sdk-rpcs_set-section", "sdk-webhooks_list", "sdk-webhooks_get",
        "sdk-webhooks_create", "sdk-webhooks_update", "sdk-webhooks_delete", "sdk-webhooks_get-section",
        "sdk-webhooks_set-section", "sdk-endpoints_list", "sdk-endpoints_get", "sdk-endpoints_create",
        "sdk-endpoints_update", "sdk-endpoints_delete", "sdk-endpoints_set-public", "sdk-endpoints_set-private",
        "sdk-endpoints_get-section", "sdk-endpoints_set-section",
    ]

    /// Tool counts under each §6 heading, in order.
    static let expectedGroups: [(heading: String, count: Int)] = [
        ("scenarios", 10), ("executions", 5), ("incomplete-executions", 2), ("folders", 4), ("functions", 6),
        ("hooks", 5), ("devices", 1), ("data-structures", 5), ("connections", 6), ("keys", 5),
        ("credential-requests", 9), ("data-stores", 5), ("data-store-records", 5), ("teams", 4),
        ("organizations", 5), ("users", 1), ("on-prem-agent", 6), ("connected-system", 5), ("enums", 4),
        ("public-templates", 3), ("private-spaces", 3), ("custom-property-structures", 2),
        ("custom-property-structure-items", 4), ("scenario-custom-properties", 5), ("roles", 3), ("custom-roles", 3),
        ("sdk-apps", 15), ("sdk-connections", 9), ("sdk-functions", 8), ("sdk-modules", 9), ("sdk-rpcs", 8),
        ("sdk-webhooks", 7), ("sdk-endpoints", 9),
    ]

    /// §4, in order.
    static let expectedDefaults: [String] = [
        "scenarios_list", "scenarios_get", "scenarios_create", "scenarios_update", "scenarios_delete",
        "scenarios_activate", "scenarios_deactivate", "scenarios_run", "scenarios_interface", "scenarios_set-interface",
        "executions_list", "executions_get", "executions_get-detail", "incomplete-executions_list",
        "incomplete-executions_get", "folders_list", "folders_create", "connections_list", "connections_get",
        "connections_verify", "hooks_list", "hooks_get", "hooks_create", "hooks_update", "hooks_delete",
        "data-stores_list", "data-stores_get", "data-stores_create", "data-store-records_list",
        "data-store-records_create", "data-store-records_update", "data-store-records_delete", "data-structures_list",
        "data-structures_get", "data-structures_create", "organizations_list", "organizations_get", "teams_list",
        "teams_get", "users_me",
    ]

    /// The 35 scope strings of §1.
    static let expectedScopes: Set<String> = [
        "scenarios:read", "scenarios:write", "scenarios:run", "dlqs:read", "functions:read", "functions:write",
        "hooks:read", "hooks:write", "devices:read", "udts:read", "udts:write", "connections:read",
        "connections:write", "keys:read", "keys:write", "credential-requests:read", "credential-requests:write",
        "apps:read", "datastores:read", "datastores:write", "teams:read", "teams:write", "organizations:read",
        "organizations:write", "agents:read", "agents:write", "templates:read", "private-spaces:read",
        "private-spaces:write", "custom-property-structures:read", "custom-property-structures:write", "user:read",
        "user:write", "sdk-apps:read", "sdk-apps:write",
    ]

    /// §2 "cols[]": the 25 tools that ask for every column.
    static let expectedAllColumns: Set<String> = [
        "scenarios_list", "scenarios_get", "scenarios_create", "scenarios_update", "folders_list", "folders_update",
        "functions_list", "data-structures_list", "connections_list", "connections_get", "keys_list", "keys_get",
        "credential-requests_list", "data-stores_list", "data-stores_get", "teams_list", "organizations_list",
        "public-templates_list", "public-templates_get", "private-spaces_list", "private-spaces_get",
        "custom-property-structure-items_list", "roles_list", "sdk-apps_list", "sdk-apps_get",
    ]

    /// §2 "Confirmation": the deletes that always send `confirmed=true`.
    static let expectedConfirmed: Set<String> = [
        "hooks_delete", "data-structures_delete", "connections_delete", "keys_delete", "credential-requests_delete",
        "data-stores_delete", "data-store-records_delete", "teams_delete", "organizations_delete",
    ]

    /// List tools whose endpoint pages with `pg[…]` (make-api.md §4–5 and Make's endpoint reference).
    static let expectedPaginated: Set<String> = [
        "scenarios_list", "executions_list", "executions_list-for-incomp-exec", "hooks_list", "data-structures_list",
        "data-stores_list", "data-store-records_list", "teams_list", "organizations_list", "public-templates_list",
        "custom-property-structure-items_list",
    ]

    static let openWorldTools: Set<String> = ["scenarios_run", "sdk-rpcs_test", "connections_verify"]

    private func tool(_ name: String) throws -> MakeToolDefinition {
        try #require(MakeCatalog.tool(named: name), "no tool named \(name)")
    }

    // MARK: - Names and groups

    @Test("the catalog has exactly the 181 tools of make-catalog.md, in table order")
    func names() {
        #expect(Self.expectedNames.count == 181)
        #expect(MakeCatalog.all.count == 181)
        #expect(MakeCatalog.all.map(\.name) == Self.expectedNames)
        #expect(Set(MakeCatalog.all.map(\.name)).count == MakeCatalog.all.count, "names are unique")
    }

    @Test("names read <group>_<action> in lowercase with dashes, and group is the part before the underscore")
    func nameShape() throws {
        let shape = try Regex("^[a-z-]+_[a-z-]+$")
        for tool in MakeCatalog.all {
            #expect(tool.name.wholeMatch(of: shape) != nil, "\(tool.name)")
            #expect(tool.name.split(separator: "_").first.map(String.init) == tool.group, "\(tool.name)")
        }
    }

    @Test("each §6 heading holds its number of tools")
    func groupCounts() {
        #expect(MakeCatalog.groups.map(\.heading) == Self.expectedGroups.map(\.heading))
        for ((heading, tools), expected) in zip(MakeCatalog.groups, Self.expectedGroups) {
            #expect(tools.count == expected.count, "\(heading)")
        }
        #expect(MakeCatalog.groups.flatMap(\.tools).map(\.name) == MakeCatalog.all.map(\.name))
        // connected-system_list-apps is tabled under enums but named (and grouped) as a connected-system tool.
        #expect(MakeCatalog.all.filter { $0.group == "connected-system" }.count == 6)
        #expect(MakeCatalog.all.filter { $0.group == "enums" }.count == 3)
        #expect(MakeCatalog.enums.map(\.name).contains("connected-system_list-apps"))
    }

    // MARK: - Default selection

    @Test("the default selection is the 40 tools of §4, in order, and exactly those are marked")
    func defaultSelection() throws {
        #expect(MakeCatalog.defaultSelection == Self.expectedDefaults)
        #expect(Set(MakeCatalog.defaultSelection).count == 40)
        for name in MakeCatalog.defaultSelection {
            #expect(try tool(name).isInDefaultSelection, "\(name)")
        }
        let marked = MakeCatalog.all.filter(\.isInDefaultSelection).map(\.name)
        #expect(Set(marked) == Set(Self.expectedDefaults))
    }

    // MARK: - Annotations and scopes

    private enum Kind: Hashable {
        case readOnly, idempotentWrite, destructiveIdempotent, destructive, additiveWrite, other
    }

    private static func kind(of annotations: MCPToolAnnotations) -> Kind {
        switch (annotations.readOnlyHint, annotations.destructiveHint, annotations.idempotentHint) {
        case (true, nil, nil): .readOnly
        case (false, false, true): .idempotentWrite
        case (false, true, true): .destructiveIdempotent
        case (false, true, nil): .destructive
        case (false, false, false): .additiveWrite
        default: .other
        }
    }

    @Test("annotations follow §1: 80 R, 52 I, 21 DI, 22 D, 6 with idempotentHint false; open world only on three")
    func annotationCounts() {
        var counts: [Kind: Int] = [:]
        for tool in MakeCatalog.all { counts[Self.kind(of: tool.annotations), default: 0] += 1 }
        #expect(counts[.readOnly] == 80)
        #expect(counts[.idempotentWrite] == 52)
        #expect(counts[.destructiveIdempotent] == 21)
        #expect(counts[.destructive] == 22)
        #expect(counts[.additiveWrite] == 6)
        #expect(counts[.other] == nil)
        for tool in MakeCatalog.all {
            #expect(tool.annotations.openWorldHint == Self.openWorldTools.contains(tool.name), "\(tool.name)")
        }
    }

    @Test("the open-world tools carry the annotations §1 names")
    func openWorldKinds() throws {
        #expect(Self.kind(of: try tool("connections_verify").annotations) == .idempotentWrite)
        #expect(Self.kind(of: try tool("scenarios_run").annotations) == .destructive)
        #expect(Self.kind(of: try tool("sdk-rpcs_test").annotations) == .destructive)
        #expect(Self.kind(of: try tool("functions_check").annotations) == .readOnly)
    }

    @Test("scopes are the 35 of §1, each used; only four tools need none")
    func scopes() {
        let used = Set(MakeCatalog.all.compactMap(\.scope))
        #expect(used == Self.expectedScopes)
        let unscoped = Set(MakeCatalog.all.filter { $0.scope == nil }.map(\.name))
        #expect(unscoped == ["users_me", "enums_countries", "enums_regions", "enums_timezones"])
        #expect(MakeCatalog.all.filter { $0.scope == "scenarios:run" }.map(\.name) == ["scenarios_run"])
    }

    // MARK: - HTTP mapping

    /// The `{name}` placeholders of a path or template, in order.
    private static func placeholders(in text: String) -> [String] {
        var names: [String] = []
        var current: String?
        for character in text {
            switch character {
            case "{": current = ""
            case "}":
                if let name = current { names.append(name) }
                current = nil
            default: current?.append(character)
            }
        }
        return names
    }

    @Test(
        "every path placeholder is a required path argument, and every path argument is in the path",
        arguments: expectedNames)
    func pathArguments(name: String) throws {
        let tool = try tool(name)
        #expect(tool.path.hasPrefix("/"))
        #expect(["GET", "POST", "PUT", "PATCH", "DELETE"].contains(tool.method))
        let inPath = Self.placeholders(in: tool.path)
        #expect(Set(inPath).count == inPath.count)
        let pathArguments = tool.arguments.filter { $0.placement == .path }
        #expect(Set(inPath) == Set(pathArguments.map(\.name)))
        for argument in pathArguments {
            #expect(argument.isRequired, "\(argument.name)")
        }
    }

    @Test("argument names are unique per tool and do not collide with the paging parameters", arguments: expectedNames)
    func argumentNames(name: String) throws {
        let tool = try tool(name)
        let names = tool.arguments.map(\.name)
        #expect(Set(names).count == names.count)
        if tool.isPaginated {
            #expect(Set(names).isDisjoint(with: MakeToolDefinition.pagingArgumentNames))
        }
        for argument in tool.arguments {
            #expect(!argument.description.isEmpty, "\(argument.name)")
        }
        #expect(!tool.title.isEmpty)
        #expect(!tool.description.isEmpty)
    }

    @Test("confirmation texts only name required arguments, so every placeholder gets filled in")
    func confirmations() {
        for tool in MakeCatalog.all {
            guard case .confirmation(let template) = tool.result else { continue }
            let required = Set(tool.arguments.filter(\.isRequired).map(\.name))
            for name in Self.placeholders(in: template) {
                #expect(required.contains(name), "\(tool.name): {\(name)}")
            }
        }
    }

    @Test("cols[]=* goes out on the 25 tools of §2, confirmed=true on the 9 deletes")
    func fixedQueries() {
        func names(with name: String, _ value: String) -> Set<String> {
            Set(MakeCatalog.all.filter { tool in tool.fixedQuery.contains { $0 == (name, value) } }.map(\.name))
        }
        #expect(names(with: "cols[]", "*") == Self.expectedAllColumns)
        #expect(names(with: "confirmed", "true") == Self.expectedConfirmed)
        let hooksCreate = MakeCatalog.tool(named: "hooks_create")
        #expect(hooksCreate?.fixedQuery.contains { $0 == ("useDefaults", "requiredOnly") } == true)
    }

    @Test("read-only tools are GETs, except functions_check, which posts code to evaluate")
    func readOnlyMethods() {
        let readsThatPost = MakeCatalog.all.filter { $0.annotations.readOnlyHint == true && $0.method != "GET" }
        #expect(readsThatPost.map(\.name) == ["functions_check"])
    }

    @Test("the three special tools, and only they, take the executor's dedicated paths")
    func specials() throws {
        #expect(try tool("scenarios_get").special == .scenarioWithBlueprint)
        for name in ["scenarios_create", "scenarios_update"] {
            let tool = try tool(name)
            #expect(tool.special == .scenarioBlueprintWrite)
            for field in ["blueprint", "scheduling"] {
                #expect(tool.arguments.first { $0.name == field }?.placement == .bodyJSONString, "\(name).\(field)")
            }
        }
        #expect(try tool("sdk-apps_set-icon").special == .pngIcon)
        let special = Set(MakeCatalog.all.filter { $0.special != nil }.map(\.name))
        #expect(special == ["scenarios_get", "scenarios_create", "scenarios_update", "sdk-apps_set-icon"])
    }

    @Test("paging is offered on exactly the list tools whose endpoints page")
    func paging() {
        #expect(Set(MakeCatalog.all.filter(\.isPaginated).map(\.name)) == Self.expectedPaginated)
        for tool in MakeCatalog.all where tool.isPaginated {
            #expect(tool.method == "GET", "\(tool.name)")
        }
    }

    @Test("parameters the SDK accepted but never sent are sent")
    func droppedParametersAreSent() throws {
        let executions = try tool("executions_list")
        for name in ["status", "from", "to"] {
            #expect(executions.arguments.first { $0.name == name }?.placement == .query, "\(name)")
        }
        #expect(executions.isPaginated)
        #expect(try tool("executions_list-for-incomp-exec").isPaginated)
        let connection = try tool("connections_create")
        #expect(connection.arguments.first { $0.name == "scope" }?.placement == .bodyKey("scopes"))
    }

    // MARK: - Input schemas

    @Test(
        "every input schema is a closed object of its arguments that the validator compiles", arguments: expectedNames)
    func inputSchema(name: String) throws {
        let tool = try tool(name)
        let schema = tool.inputSchema
        #expect(schema["type"] == "object")
        #expect(schema["additionalProperties"] == false)
        let properties = try #require(schema["properties"]?.objectValue)
        var expected = tool.arguments.map(\.name)
        if tool.isPaginated { expected += MakeToolDefinition.pagingArgumentNames }
        #expect(properties.keys == expected)
        let required = try #require(schema["required"]?.arrayValue).compactMap(\.stringValue)
        #expect(required == tool.arguments.filter(\.isRequired).map(\.name))
        for argument in tool.arguments {
            #expect(properties[argument.name]?["description"] != nil, "\(argument.name)")
        }
        _ = try JSONSchemaValidator(schema: schema)
        if let output = tool.outputSchema {
            _ = try JSONSchemaValidator(schema: output)
        }
    }

    private func violations(_ name: String, _ arguments: JSONValue) throws -> [String] {
        try JSONSchemaValidator(schema: tool(name).inputSchema).validate(arguments).map(\.description)
    }

    @Test("a scenario built from a blueprint and a schedule validates; a schedule with an unknown key does not")
    func scenarioArguments() throws {
        let blueprint: JSONValue = [
            "name": "Orders to Slack",
            "flow": [
                ["id": 1, "module": "gateway:CustomWebHook", "version": 1, "parameters": ["hook": 42]],
                [
                    "id": 2, "module": "slack:CreateMessage", "version": 4, "mapper": ["text": "{{1.order}}"],
                    "filter": [
                        "name": "paid", "conditions": [[["a": "{{1.paid}}", "o": "boolean:equal", "b": true]]],
                    ],
                ],
            ],
            "metadata": ["version": 1],
            "interface": ["input": [], "output": []],
        ]
        let valid: JSONValue = [
            "teamId": 7, "blueprint": blueprint, "scheduling": ["type": "indefinitely", "interval": 900],
        ]
        #expect(try violations("scenarios_create", valid) == [])
        let onDemand: JSONValue = ["scenarioId": 5, "scheduling": ["type": "on-demand"]]
        #expect(try violations("scenarios_update", onDemand) == [])

        let unknownKey: JSONValue = ["teamId": 7, "blueprint": blueprint, "scheduling": ["type": "daily", "hour": 9]]
        #expect(try !violations("scenarios_create", unknownKey).isEmpty)
        let tooOften: JSONValue = [
            "teamId": 7, "blueprint": blueprint,
            "scheduling": ["type": "indefinitely", "interval": 30],
        ]
        #expect(try !violations("scenarios_create", tooOften).isEmpty)
        let noFlow: JSONValue = [
            "teamId": 7, "blueprint": ["name": "x", "metadata": [:]], "scheduling": ["type": "once"],
        ]
        #expect(try !violations("scenarios_create", noFlow).isEmpty)
        #expect(
            try !violations(
                "scenarios_update", ["scenarioId": 5, "description": .string(String(repeating: "x", count: 241))]
            ).isEmpty)
    }

    @Test("ids are checked: positive integers, 32-hex execution ids; unknown arguments are refused")
    func idArguments() throws {
        #expect(
            try violations("executions_get", ["scenarioId": 1, "executionId": "0123456789abcdef0123456789abcdef"]) == []
        )
        #expect(try !violations("executions_get", ["scenarioId": 1, "executionId": "42"]).isEmpty)
        #expect(try !violations("scenarios_get", ["scenarioId": 0]).isEmpty)
        #expect(try !violations("scenarios_get", ["scenarioId": "abc"]).isEmpty)
        #expect(try !violations("scenarios_get", ["scenarioId": 1, "extra": true]).isEmpty)
        #expect(try !violations("scenarios_list", [:]).isEmpty)
    }

    @Test("paging and filters validate on the lists that take them")
    func listArguments() throws {
        let filtered: JSONValue = [
            "scenarioId": 3, "status": 3, "from": 1_700_000_000_000, "limit": 20,
            "offset": 40, "sortDir": "desc",
        ]
        #expect(try violations("executions_list", filtered) == [])
        #expect(try !violations("executions_list", ["scenarioId": 3, "status": "error"]).isEmpty)
        #expect(try !violations("executions_list", ["scenarioId": 3, "sortDir": "up"]).isEmpty)
        #expect(try !violations("teams_list", ["organizationId": 1, "limit": 0]).isEmpty)
        #expect(try !violations("connections_list", ["teamId": 1, "limit": 10]).isEmpty, "connections do not page")
    }

    @Test("nested shapes: data-structure fields, interfaces, credential selections")
    func nestedArguments() throws {
        let spec: JSONValue = [
            ["name": "email", "type": "text", "required": true],
            ["name": "tier", "type": "select", "options": [["label": "Gold", "value": "gold"]]],
        ]
        #expect(
            try violations(
                "data-structures_create",
                [
                    "teamId": 1, "name": "Customers", "strict": true,
                    "spec": spec,
                ]) == [])
        #expect(
            try !violations(
                "data-structures_create",
                [
                    "teamId": 1, "name": "x", "strict": true,
                    "spec": [["type": "text"]],
                ]
            ).isEmpty)
        #expect(
            try violations(
                "scenarios_set-interface",
                [
                    "scenarioId": 2,
                    "interface": [
                        "input": spec,
                        "output": [],
                    ],
                ]) == [])
        #expect(try !violations("scenarios_set-interface", ["scenarioId": 2, "interface": ["inputs": []]]).isEmpty)
        #expect(
            try violations(
                "credential-requests_create",
                [
                    "teamId": 1,
                    "credentials": [["appName": "slack"]],
                ]) == [])
        #expect(try !violations("credential-requests_create", ["teamId": 1, "credentials": []]).isEmpty)
        #expect(
            try violations(
                "credential-requests_list-app-modules-with-creds",
                ["appName": "slack", "appVersion": "latest"]) == [])
        #expect(
            try !violations(
                "credential-requests_list-app-modules-with-creds",
                ["appName": "slack", "appVersion": "newest"]
            ).isEmpty)
    }

    @Test("output schemas describe the two stable answers")
    func outputSchemas() throws {
        let withOutput = Set(MakeCatalog.all.filter { $0.outputSchema != nil }.map(\.name))
        #expect(withOutput == ["scenarios_run", "scenarios_interface"])
        let run = try JSONSchemaValidator(schema: #require(try tool("scenarios_run").outputSchema))
        #expect(
            run.validate([
                "executionId": "0123456789abcdef0123456789abcdef", "status": 1,
                "outputs": ["total": 3],
            ]).isEmpty)
        #expect(run.validate(["executionId": "0123456789abcdef0123456789abcdef"]).isEmpty)
        #expect(!run.validate(["status": 1]).isEmpty)
    }
}
