internal import MCPProtocol

extension MakeCatalog {
    /// make-catalog.md §6 "connections" (6): a team's app connections.
    static let connections: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "connections_list", group: "connections", title: "List connections",
            description: "Lists the app connections of a team (id, name, app type, expiry, granted scopes); the ids "
                + "go into scenario modules' parameters. Needs teamId (teams_list).",
            scope: "connections:read", annotations: readOnly,
            method: "GET", path: "/connections", fixedQuery: allColumns,
            // The SDK's `scopes` filter ({connectionType: [scope, …]} sent as `<connectionType>[]=scope`) is left
            // out: no placement sends an object's members as top-level query keys, and `.query` would send
            // `scopes[type]` instead, which Make ignores.
            arguments: [
                teamID(),
                optional(
                    "type", array(of: string(minLength: 1)), .query,
                    "Only connections of these types (the accountName of a connection, such as google or "
                        + "slack2)."),
            ],
            result: .unwrap("connections"),
            isInDefaultSelection: true),
        MakeToolDefinition(
            name: "connections_get", group: "connections", title: "Get a connection",
            description: "Returns one connection with all its columns, including the OAuth scopes it was granted.",
            scope: "connections:read", annotations: readOnly,
            method: "GET", path: "/connections/{connectionId}", fixedQuery: allColumns,
            arguments: [connectionID],
            result: .unwrap("connection"),
            isInDefaultSelection: true),
        MakeToolDefinition(
            name: "connections_create", group: "connections", title: "Create a connection",
            description: "Creates an app connection in a team from credentials (API keys, basic auth, …). "
                + "Connections that need a browser OAuth consent cannot be finished here; use a credential "
                + "request instead. Returns the connection.",
            scope: "connections:write", annotations: idempotentWrite,
            method: "POST", path: "/connections",
            arguments: [
                required(
                    "name", string(minLength: 1, maxLength: 128), .bodyKey("accountName"),
                    "Display name of the new connection."),
                required(
                    "accountName", string(minLength: 1), .bodyKey("accountType"),
                    "Connection type of the app, such as airtable2 or slack2 (the accountName of existing "
                        + "connections of that app in connections_list)."),
                teamID(),
                optional(
                    "data", anyObject, .bodySpread,
                    "Type-specific credential fields merged into the request, such as {\"apiKey\": \"…\"}."),
                // Fix: the SDK tool accepts `scope` but never sends it; Make reads the requested scopes from the
                // body's `scopes`.
                optional(
                    "scope", array(of: string(minLength: 1)), .bodyKey("scopes"),
                    "OAuth scopes the connection should have; the values depend on the app."),
            ],
            result: .unwrap("connection")),
        MakeToolDefinition(
            name: "connections_update", group: "connections", title: "Rename a connection",
            description: "Renames a connection. Returns a confirmation.",
            scope: "connections:write", annotations: destructiveIdempotent,
            method: "PATCH", path: "/connections/{connectionId}",
            // The SDK tool makes two calls (this rename, then POST /connections/{id}/set-data with `data.data`, a
            // bug that posts nothing for a flat object). A definition is one request, so this entry renames only
            // and `name` is required; setting data needs a second request the format cannot express yet.
            arguments: [
                connectionID,
                required("name", string(minLength: 1, maxLength: 128), .body, "New display name."),
            ],
            result: .confirmation("Connection {connectionId} renamed to {name}.")),
        MakeToolDefinition(
            name: "connections_verify", group: "connections", title: "Test a connection",
            description: "Asks Make to test a connection against its app's service and returns {verified: true} "
                + "when the stored credentials still work, verified false otherwise.",
            scope: "connections:write", annotations: openWorld(idempotentWrite),
            method: "POST", path: "/connections/{connectionId}/test",
            arguments: [connectionID],
            // A fixed confirmation would claim success for a failed test; the body states the outcome.
            result: .wholeBody,
            isInDefaultSelection: true),
        MakeToolDefinition(
            name: "connections_delete", group: "connections", title: "Delete a connection",
            description: "Deletes a connection, even one used in scenarios (they then fail). Returns a "
                + "confirmation.",
            scope: "connections:write", annotations: destructive,
            method: "DELETE", path: "/connections/{connectionId}", fixedQuery: confirmed,
            arguments: [connectionID],
            result: .confirmation("Connection {connectionId} deleted.")),
    ]
}
