internal import MCPProtocol

extension MakeCatalog {
    private static let privateSpaceID = required(
        "privateSpaceId", id, .path, "ID of the private space. Find it with private-spaces_list.")

    /// make-catalog.md §6 "private-spaces" (3): per-user teams.
    static let privateSpaces: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "private-spaces_list", group: "private-spaces", title: "List private spaces",
            description: "Lists the private spaces (personal teams) of an organization with their owners and "
                + "limits. Needs organizationId (organizations_list).",
            scope: "private-spaces:read", annotations: readOnly,
            method: "GET", path: "/private-spaces", fixedQuery: allColumns,
            arguments: [
                organizationID(),
                optional("externalId", string(minLength: 1), .query, "Only the private space with this external id."),
            ],
            result: .unwrap("privateSpaces")),
        MakeToolDefinition(
            name: "private-spaces_get", group: "private-spaces", title: "Get a private space",
            description: "Returns one private space with its owner, operations limit and usage.",
            scope: "private-spaces:read", annotations: readOnly,
            method: "GET", path: "/private-spaces/{privateSpaceId}", fixedQuery: allColumns,
            arguments: [privateSpaceID],
            result: .unwrap("privateSpace")),
        MakeToolDefinition(
            name: "private-spaces_update", group: "private-spaces", title: "Set a private space's limit",
            description: "Sets or removes the operations limit of a private space. Returns the private space.",
            scope: "private-spaces:write", annotations: destructiveIdempotent,
            method: "PATCH", path: "/private-spaces/{privateSpaceId}",
            arguments: [
                privateSpaceID,
                optional(
                    "operationsLimit", nullable(integer(minimum: 0)), .body,
                    "Most operations the space may use; null removes the limit."),
                optional("confirmed", boolean, .query, "Set true to confirm the change when Make asks (IM004)."),
            ],
            result: .unwrap("privateSpace")),
    ]
}
