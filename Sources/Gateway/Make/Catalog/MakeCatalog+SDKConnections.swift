internal import MCPProtocol

extension MakeCatalog {
    private static let sdkConnectionName = required(
        "connectionName", string(minLength: 1), .path,
        "Name of the app's connection, such as my-crm or my-crm2. Find it with sdk-connections_list.")

    private static let sdkConnectionSection = required(
        "section", enumeration(["api", "parameters", "scopes", "scope", "install", "installSpec"]), .path,
        "Which part: api (the communication), parameters, scopes (all available), scope (default), install or "
            + "installSpec.")

    /// make-catalog.md §6 "sdk-connections" (9): connection definitions of custom apps.
    static let sdkConnections: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "sdk-connections_list", group: "sdk-connections", title: "List a custom app's connections",
            description: "Lists the connection definitions of a custom app with their names, labels and types.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/{appName}/connections",
            arguments: [sdkAppNameArgument],
            result: .unwrap("appConnections")),
        MakeToolDefinition(
            name: "sdk-connections_get", group: "sdk-connections", title: "Get a custom app connection",
            description: "Returns one connection definition of a custom app: name, label and type.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/connections/{connectionName}",
            arguments: [sdkConnectionName],
            result: .unwrap("appConnection")),
        MakeToolDefinition(
            name: "sdk-connections_create", group: "sdk-connections", title: "Create a custom app connection",
            description: "Adds a connection definition to a custom app; Make names it after the app. Returns it; "
                + "set its api and parameters sections with sdk-connections_set-section.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "POST", path: "/sdk/apps/{appName}/connections",
            arguments: [
                sdkAppNameArgument,
                required(
                    "type", string(minLength: 1), .body,
                    "Kind of connection: basic, apikey, oauth, oauth-refresh, oauth-resowncre, oauth-clicre, "
                        + "oauth-1 or other."),
                required("label", string(minLength: 1), .body, "Label shown to users."),
            ],
            result: .unwrap("appConnection")),
        MakeToolDefinition(
            name: "sdk-connections_update", group: "sdk-connections", title: "Relabel a custom app connection",
            description: "Changes the label of a custom app's connection definition. Returns it.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "PATCH", path: "/sdk/apps/connections/{connectionName}",
            arguments: [sdkConnectionName, optional("label", string(minLength: 1), .body, "New label.")],
            result: .unwrap("appConnection")),
        MakeToolDefinition(
            name: "sdk-connections_delete", group: "sdk-connections", title: "Delete a custom app connection",
            description: "Deletes a connection definition from a custom app. Returns a confirmation.",
            scope: "sdk-apps:write", annotations: destructive,
            method: "DELETE", path: "/sdk/apps/connections/{connectionName}",
            arguments: [sdkConnectionName],
            result: .confirmation("App connection {connectionName} deleted.")),
        MakeToolDefinition(
            name: "sdk-connections_get-section", group: "sdk-connections",
            title: "Get a custom app connection section",
            description: "Returns one section of a custom app's connection definition, as JSON or as JSONC text.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/connections/{connectionName}/{section}",
            arguments: [sdkConnectionName, sdkConnectionSection],
            result: .wholeBody),
        MakeToolDefinition(
            name: "sdk-connections_set-section", group: "sdk-connections",
            title: "Set a custom app connection section",
            description: "Replaces one section of a custom app's connection definition with new JSONC. Returns a "
                + "confirmation.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "PUT", path: "/sdk/apps/connections/{connectionName}/{section}",
            arguments: [sdkConnectionName, sdkConnectionSection, sectionBody("connection")],
            result: .confirmation("Section {section} of app connection {connectionName} saved.")),
        MakeToolDefinition(
            name: "sdk-connections_get-common", group: "sdk-connections",
            title: "Get a custom app connection's common data",
            description: "Returns the common data of a custom app's connection definition, such as OAuth client "
                + "credentials.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/connections/{connectionName}/common",
            arguments: [sdkConnectionName],
            result: .wholeBody),
        MakeToolDefinition(
            name: "sdk-connections_set-common", group: "sdk-connections",
            title: "Set a custom app connection's common data",
            description: "Replaces the common data of a custom app's connection definition, such as "
                + "{\"clientId\": …, \"clientSecret\": …}. Returns a confirmation.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "PUT", path: "/sdk/apps/connections/{connectionName}/common",
            arguments: [
                sdkConnectionName,
                required("common", anyObject, .wholeBody, "The common data of the connection."),
            ],
            result: .confirmation("Common data of app connection {connectionName} saved.")),
    ]
}
