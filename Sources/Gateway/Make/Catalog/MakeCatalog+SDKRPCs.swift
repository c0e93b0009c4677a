internal import MCPProtocol

extension MakeCatalog {
    private static let sdkRPCName = required(
        "rpcName", string(minLength: 1), .path, "Name of the remote procedure. Find it with sdk-rpcs_list.")

    private static let sdkRPCSection = required(
        "section", enumeration(["api", "parameters"]), .path, "Which part: api (the call) or parameters.")

    /// make-catalog.md §6 "sdk-rpcs" (8): remote procedures of custom apps (dynamic options and fields).
    static let sdkRPCs: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "sdk-rpcs_list", group: "sdk-rpcs", title: "List a custom app's RPCs",
            description: "Lists the remote procedures of a custom app, which load dynamic options and fields for "
                + "its modules.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/{appName}/{appVersion}/rpcs",
            arguments: [sdkAppNameArgument, sdkAppVersionArgument],
            result: .unwrap("appRpcs")),
        MakeToolDefinition(
            name: "sdk-rpcs_get", group: "sdk-rpcs", title: "Get a custom app RPC",
            description: "Returns one remote procedure of a custom app: label and connections.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/{appName}/{appVersion}/rpcs/{rpcName}",
            arguments: [sdkAppNameArgument, sdkAppVersionArgument, sdkRPCName],
            result: .unwrap("appRpc")),
        MakeToolDefinition(
            name: "sdk-rpcs_create", group: "sdk-rpcs", title: "Create a custom app RPC",
            description: "Adds a remote procedure to a custom app. Returns it; write its api section with "
                + "sdk-rpcs_set-section.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "POST", path: "/sdk/apps/{appName}/{appVersion}/rpcs",
            arguments: [
                sdkAppNameArgument, sdkAppVersionArgument,
                required("name", string(minLength: 1), .body, "Identifier of the RPC, such as listProjects."),
                required("label", string(minLength: 1), .body, "Label of the RPC."),
            ],
            result: .unwrap("appRpc")),
        MakeToolDefinition(
            name: "sdk-rpcs_update", group: "sdk-rpcs", title: "Update a custom app RPC",
            description: "Changes a remote procedure's label or the connections it uses. Returns it.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "PATCH", path: "/sdk/apps/{appName}/{appVersion}/rpcs/{rpcName}",
            arguments: [
                sdkAppNameArgument, sdkAppVersionArgument, sdkRPCName,
                optional("label", string(minLength: 1), .body, "New label."),
                optional(
                    "connection", string(minLength: 1), .body,
                    "Name of the app connection it uses (sdk-connections_list)."),
                optional("altConnection", string(minLength: 1), .body, "Name of an alternative app connection."),
            ],
            result: .unwrap("appRpc")),
        MakeToolDefinition(
            name: "sdk-rpcs_delete", group: "sdk-rpcs", title: "Delete a custom app RPC",
            description: "Deletes a remote procedure from a custom app. Returns a confirmation.",
            scope: "sdk-apps:write", annotations: destructive,
            method: "DELETE", path: "/sdk/apps/{appName}/{appVersion}/rpcs/{rpcName}",
            arguments: [sdkAppNameArgument, sdkAppVersionArgument, sdkRPCName],
            result: .confirmation("RPC {rpcName} of custom app {appName} deleted.")),
        MakeToolDefinition(
            name: "sdk-rpcs_test", group: "sdk-rpcs", title: "Test a custom app RPC",
            description: "Runs a remote procedure of a custom app against the real service with test input, and "
                + "returns what it produced.",
            scope: "sdk-apps:write", annotations: openWorld(destructive),
            method: "POST", path: "/sdk/apps/{appName}/{appVersion}/rpcs/{rpcName}",
            arguments: [
                sdkAppNameArgument, sdkAppVersionArgument, sdkRPCName,
                required("data", anyObject, .body, "Input values for the RPC's parameters."),
                required(
                    "schema",
                    array(
                        of: object(
                            [
                                property("name", string(minLength: 1), "Parameter name."),
                                property("type", string(minLength: 1), "Parameter type, such as text or number."),
                                property("required", boolean, "Whether the parameter is required."),
                            ], required: ["name", "type", "required"])), .body, "The parameters the test input follows."
                ),
            ],
            result: .wholeBody),
        MakeToolDefinition(
            name: "sdk-rpcs_get-section", group: "sdk-rpcs", title: "Get a custom app RPC section",
            description: "Returns one section of a custom app's remote procedure, as JSON or as JSONC text.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/{appName}/{appVersion}/rpcs/{rpcName}/{section}",
            arguments: [sdkAppNameArgument, sdkAppVersionArgument, sdkRPCName, sdkRPCSection],
            result: .wholeBody),
        MakeToolDefinition(
            name: "sdk-rpcs_set-section", group: "sdk-rpcs", title: "Set a custom app RPC section",
            description: "Replaces one section of a custom app's remote procedure with new JSONC. Returns a "
                + "confirmation.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "PUT", path: "/sdk/apps/{appName}/{appVersion}/rpcs/{rpcName}/{section}",
            arguments: [sdkAppNameArgument, sdkAppVersionArgument, sdkRPCName, sdkRPCSection, sectionBody("RPC")],
            result: .confirmation("Section {section} of RPC {rpcName} of custom app {appName} saved.")),
    ]
}
