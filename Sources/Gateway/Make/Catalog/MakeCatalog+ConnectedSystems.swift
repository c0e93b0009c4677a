internal import MCPProtocol

extension MakeCatalog {
    private static let connectedSystemID = required(
        "connectedSystemId", string(minLength: 1), .path,
        "ID of the connected system (a UUID). Find it with connected-system_list.")

    /// make-catalog.md §6 "connected-system" (5): systems reached through an on-prem agent.
    /// (`connected-system_list-apps` is tabled under enums and lives in ``enums``.)
    static let connectedSystems: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "connected-system_list", group: "connected-system", title: "List connected systems",
            description: "Lists the systems an on-prem agent connects to. Needs organizationId (organizations_list) "
                + "and agentId (on-prem-agent_list).",
            scope: "agents:read", annotations: readOnly,
            method: "GET", path: "/connected-systems",
            arguments: [
                organizationID(),
                required(
                    "agentId", string(minLength: 1), .query,
                    "ID of the on-prem agent (a UUID). Find it with on-prem-agent_list."),
            ],
            result: .unwrap("connectedSystems")),
        MakeToolDefinition(
            name: "connected-system_get", group: "connected-system", title: "Get a connected system",
            description: "Returns one connected system: its agent, app and input settings.",
            scope: "agents:read", annotations: readOnly,
            method: "GET", path: "/connected-systems/{connectedSystemId}",
            arguments: [organizationID(), connectedSystemID],
            result: .unwrap("connectedSystem")),
        MakeToolDefinition(
            name: "connected-system_create", group: "connected-system", title: "Create a connected system",
            description: "Connects an app to a system behind an on-prem agent. Get the app names from "
                + "connected-system_list-apps and the inputs it needs from on-prem-agent_get-app-config. Returns "
                + "the connected system.",
            scope: "agents:write", annotations: additiveWrite,
            method: "POST", path: "/connected-systems",
            arguments: [
                organizationID(),
                required("name", string(minLength: 1), .body, "Name of the connected system."),
                required("agentId", string(minLength: 1), .body, "Agent to reach it through (on-prem-agent_list)."),
                required("appName", string(minLength: 1), .body, "App to use (connected-system_list-apps)."),
                required(
                    "inputs", anyObject, .body,
                    "The app's settings for the system, as on-prem-agent_get-app-config describes them."),
            ],
            result: .unwrap("connectedSystem")),
        MakeToolDefinition(
            name: "connected-system_update", group: "connected-system", title: "Update a connected system",
            description: "Changes a connected system's name, agent, app or input settings. Returns it.",
            scope: "agents:write", annotations: idempotentWrite,
            method: "PATCH", path: "/connected-systems/{connectedSystemId}",
            arguments: [
                organizationID(), connectedSystemID,
                optional("name", string(minLength: 1), .body, "New name."),
                optional("agentId", string(minLength: 1), .body, "New agent (on-prem-agent_list)."),
                optional("appName", string(minLength: 1), .body, "New app (connected-system_list-apps)."),
                optional("inputs", anyObject, .body, "New settings for the app."),
            ],
            result: .unwrap("connectedSystem")),
        MakeToolDefinition(
            name: "connected-system_delete", group: "connected-system", title: "Delete a connected system",
            description: "Deletes a connected system. Returns the deleted system.",
            scope: "agents:write", annotations: destructiveIdempotent,
            method: "DELETE", path: "/connected-systems/{connectedSystemId}",
            arguments: [organizationID(), connectedSystemID],
            result: .unwrap("connectedSystem")),
    ]
}
