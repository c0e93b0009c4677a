/// Every Make API tool the gateway offers, as data (make-catalog.md §6), in the catalog's order. Each group lives in
/// its own `MakeCatalog+<Group>.swift`; the shared schema builders and argument shortcuts are in
/// `MakeCatalog+SchemaHelpers.swift` and `MakeCatalog+Shapes.swift`.
///
/// Where the official SDK's tools drop or mistype a parameter, the entries here follow the Make API instead; each
/// such fix carries a `// Fix:` comment.
enum MakeCatalog {
    /// All 181 tools: the 116 core tools, then the 65 custom-app (`sdk-*`) tools.
    static let all: [MakeToolDefinition] = core + sdk

    /// The groups of make-catalog.md §6 by heading, in order. `connected-system_list-apps` is listed under `enums`,
    /// where the catalog tables it, although its ``MakeToolDefinition/group`` is `connected-system`.
    static let groups: [(heading: String, tools: [MakeToolDefinition])] = [
        ("scenarios", scenarios),
        ("executions", executions),
        ("incomplete-executions", incompleteExecutions),
        ("folders", folders),
        ("functions", functions),
        ("hooks", hooks),
        ("devices", devices),
        ("data-structures", dataStructures),
        ("connections", connections),
        ("keys", keys),
        ("credential-requests", credentialRequests),
        ("data-stores", dataStores),
        ("data-store-records", dataStoreRecords),
        ("teams", teams),
        ("organizations", organizations),
        ("users", users),
        ("on-prem-agent", onPremAgents),
        ("connected-system", connectedSystems),
        ("enums", enums),
        ("public-templates", publicTemplates),
        ("private-spaces", privateSpaces),
        ("custom-property-structures", customPropertyStructures),
        ("custom-property-structure-items", customPropertyStructureItems),
        ("scenario-custom-properties", scenarioCustomProperties),
        ("roles", roles),
        ("custom-roles", customRoles),
        ("sdk-apps", sdkApps),
        ("sdk-connections", sdkConnections),
        ("sdk-functions", sdkFunctions),
        ("sdk-modules", sdkModules),
        ("sdk-rpcs", sdkRPCs),
        ("sdk-webhooks", sdkWebhooks),
        ("sdk-endpoints", sdkEndpoints),
    ]

    // Concatenated in steps: one long `+` chain of 33 arrays is slow to type-check.
    private static let core: [MakeToolDefinition] = scenarioTools + accountTools + organizationTools
    private static let scenarioTools: [MakeToolDefinition] =
        scenarios + executions + incompleteExecutions + folders + functions + hooks + devices + dataStructures
    private static let accountTools: [MakeToolDefinition] =
        connections + keys + credentialRequests + dataStores + dataStoreRecords + teams + organizations + users
    private static let organizationTools: [MakeToolDefinition] =
        onPremAgents + connectedSystems + enums + publicTemplates + privateSpaces + customPropertyStructures
        + customPropertyStructureItems + scenarioCustomProperties + roles + customRoles
    private static let sdk: [MakeToolDefinition] =
        sdkApps + sdkConnections + sdkFunctions + sdkModules + sdkRPCs + sdkWebhooks + sdkEndpoints

    /// The 40 tools offered when no selection is configured: an assistant managing scenarios (make-catalog.md §4),
    /// in that list's order. Each is marked ``MakeToolDefinition/isInDefaultSelection`` in its group file.
    static let defaultSelection: [String] = [
        "scenarios_list",
        "scenarios_get",
        "scenarios_create",
        "scenarios_update",
        "scenarios_delete",
        "scenarios_activate",
        "scenarios_deactivate",
        "scenarios_run",
        "scenarios_interface",
        "scenarios_set-interface",
        "executions_list",
        "executions_get",
        "executions_get-detail",
        "incomplete-executions_list",
        "incomplete-executions_get",
        "folders_list",
        "folders_create",
        "connections_list",
        "connections_get",
        "connections_verify",
        "hooks_list",
        "hooks_get",
        "hooks_create",
        "hooks_update",
        "hooks_delete",
        "data-stores_list",
        "data-stores_get",
        "data-stores_create",
        "data-store-records_list",
        "data-store-records_create",
        "data-store-records_update",
        "data-store-records_delete",
        "data-structures_list",
        "data-structures_get",
        "data-structures_create",
        "organizations_list",
        "organizations_get",
        "teams_list",
        "teams_get",
        "users_me",
    ]

    /// The tool named `name`, if the catalog has one.
    static func tool(named name: String) -> MakeToolDefinition? {
        all.first { $0.name == name }
    }
}
