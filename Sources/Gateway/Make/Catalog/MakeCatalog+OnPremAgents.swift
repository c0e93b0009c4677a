internal import MCPProtocol

extension MakeCatalog {
    /// make-catalog.md §6 "on-prem-agent" (6): agents that reach systems inside a private network.
    static let onPremAgents: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "on-prem-agent_list", group: "on-prem-agent", title: "List on-prem agents",
            description: "Lists the on-prem agents of an organization with their status, version and number of "
                + "connected systems. Needs organizationId (organizations_list).",
            scope: "agents:read", annotations: readOnly,
            method: "GET", path: "/agents",
            arguments: [organizationID()],
            result: .unwrap("agents")),
        MakeToolDefinition(
            name: "on-prem-agent_get", group: "on-prem-agent", title: "Get an on-prem agent",
            description: "Returns one on-prem agent: status, whether it is connected, version and last connection.",
            scope: "agents:read", annotations: readOnly,
            method: "GET", path: "/agents/{agentId}",
            arguments: [organizationID(), agentID],
            result: .unwrap("agent")),
        MakeToolDefinition(
            name: "on-prem-agent_create", group: "on-prem-agent", title: "Register an on-prem agent",
            description: "Registers a new on-prem agent in an organization. Returns the agent with the credentials "
                + "to install it with.",
            scope: "agents:write", annotations: additiveWrite,
            method: "POST", path: "/agent/register",
            arguments: [
                organizationID(),
                required("name", string(minLength: 1), .body, "Name of the agent."),
            ],
            result: .unwrap("agent")),
        MakeToolDefinition(
            name: "on-prem-agent_update", group: "on-prem-agent", title: "Rename an on-prem agent",
            description: "Renames an on-prem agent. Returns the agent.",
            scope: "agents:write", annotations: idempotentWrite,
            method: "PATCH", path: "/agents/{agentId}",
            arguments: [
                organizationID(), agentID,
                optional("name", string(minLength: 1), .body, "New name."),
            ],
            result: .unwrap("agent")),
        MakeToolDefinition(
            name: "on-prem-agent_delete", group: "on-prem-agent", title: "Delete an on-prem agent",
            description: "Deletes an on-prem agent; systems reached through it become unreachable. Returns the "
                + "deleted agent.",
            scope: "agents:write", annotations: destructiveIdempotent,
            method: "DELETE", path: "/agents/{agentId}",
            arguments: [organizationID(), agentID],
            result: .unwrap("agent")),
        MakeToolDefinition(
            name: "on-prem-agent_get-app-config", group: "on-prem-agent", title: "Get an app's agent settings",
            description: "Returns the input fields an app needs to reach a system through this agent, for "
                + "connected-system_create.",
            scope: "agents:read", annotations: readOnly,
            method: "GET", path: "/agents/{agentId}/apps/{appName}/config",
            arguments: [
                organizationID(), agentID,
                required(
                    "appName", string(minLength: 1), .path,
                    "Name of the app. Find it with connected-system_list-apps."),
            ],
            result: .unwrap("inputs")),
    ]
}
