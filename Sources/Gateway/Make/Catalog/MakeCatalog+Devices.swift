internal import MCPProtocol

extension MakeCatalog {
    /// make-catalog.md §6 "devices" (1).
    static let devices: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "devices_list", group: "devices", title: "List devices",
            description: "Lists the devices (such as phones with the Make app) registered in a team, with their "
                + "queues and the scenario each is attached to. Needs teamId (teams_list).",
            scope: "devices:read", annotations: readOnly,
            method: "GET", path: "/devices",
            arguments: [teamID()],
            result: .unwrap("devices"))
    ]
}
