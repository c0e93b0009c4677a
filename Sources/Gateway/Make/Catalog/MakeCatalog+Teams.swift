internal import MCPProtocol

extension MakeCatalog {
    /// make-catalog.md §6 "teams" (4).
    static let teams: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "teams_list", group: "teams", title: "List teams",
            description: "Lists the teams of an organization with their ids, which most other tools need as "
                + "teamId. Needs organizationId (organizations_list).",
            scope: "teams:read", annotations: readOnly,
            method: "GET", path: "/teams", fixedQuery: allColumns,
            arguments: [
                organizationID(),
                optional("includePrivateSpaces", boolean, .query, "Also list the members' private spaces."),
            ],
            result: .unwrap("teams"),
            // Fix: the endpoint answers with `pg` and honours pg[…]; the SDK tool exposed no paging.
            isPaginated: true, isInDefaultSelection: true),
        MakeToolDefinition(
            name: "teams_get", group: "teams", title: "Get a team",
            description: "Returns one team: name, organization, and operations and transfer limits and usage.",
            scope: "teams:read", annotations: readOnly,
            method: "GET", path: "/teams/{teamId}",
            arguments: [teamID(.path)],
            result: .unwrap("team"),
            isInDefaultSelection: true),
        MakeToolDefinition(
            name: "teams_create", group: "teams", title: "Create a team",
            description: "Creates a team in an organization, optionally with operations and transfer limits. "
                + "Returns the team.",
            scope: "teams:write", annotations: idempotentWrite,
            method: "POST", path: "/teams",
            arguments: [
                required("name", string(minLength: 1), .body, "Name of the team."),
                organizationID(.body),
                optional("operationsLimit", integer(minimum: 0), .body, "Most operations the team may use."),
                optional("transferLimit", integer(minimum: 0), .body, "Most data transfer the team may use, in bytes."),
            ],
            result: .unwrap("team")),
        MakeToolDefinition(
            name: "teams_delete", group: "teams", title: "Delete a team",
            description: "Deletes a team with all its scenarios, hooks, data stores and other data. Returns a "
                + "confirmation.",
            scope: "teams:write", annotations: destructive,
            method: "DELETE", path: "/teams/{teamId}", fixedQuery: confirmed,
            arguments: [teamID(.path)],
            result: .confirmation("Team {teamId} deleted.")),
    ]
}
