internal import MCPProtocol

extension MakeCatalog {
    private static let sdkEndpointName = required(
        "endpointName", string(minLength: 1), .path, "Name of the endpoint. Find it with sdk-endpoints_list.")

    private static let sdkEndpointSection = required(
        "section", enumeration(["api", "scope", "inputParameters", "outputParameters"]), .path,
        "Which part: api (the call), scope, inputParameters or outputParameters.")

    /// MCP-style hints an endpoint of a custom app declares about itself.
    private static let endpointAnnotations: JSONValue = object(
        [
            property("readOnlyHint", boolean, "The endpoint only reads."),
            property("destructiveHint", boolean, "The endpoint may delete or overwrite data."),
            property("idempotentHint", boolean, "Repeating a call has no further effect."),
            property("openWorldHint", boolean, "The endpoint reaches outside systems."),
        ],
        closed: true)

    /// make-catalog.md §6 "sdk-endpoints" (9): endpoints of custom apps.
    static let sdkEndpoints: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "sdk-endpoints_list", group: "sdk-endpoints", title: "List a custom app's endpoints",
            description: "Lists the endpoints of a custom app with their names, labels and visibility.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/{appName}/{appVersion}/endpoints",
            arguments: [sdkAppNameArgument, sdkAppVersionArgument],
            result: .unwrap("appEndpoints")),
        MakeToolDefinition(
            name: "sdk-endpoints_get", group: "sdk-endpoints", title: "Get a custom app endpoint",
            description: "Returns one endpoint of a custom app: label, description, context, hints and attached "
                + "accounts.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}",
            arguments: [sdkAppNameArgument, sdkAppVersionArgument, sdkEndpointName],
            result: .unwrap("appEndpoint")),
        MakeToolDefinition(
            name: "sdk-endpoints_create", group: "sdk-endpoints", title: "Create a custom app endpoint",
            description: "Adds an endpoint to a custom app. Returns it; write its sections with "
                + "sdk-endpoints_set-section.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "POST", path: "/sdk/apps/{appName}/{appVersion}/endpoints",
            arguments: [
                sdkAppNameArgument, sdkAppVersionArgument,
                required("name", string(minLength: 1), .body, "Identifier of the endpoint."),
                required("label", string(minLength: 1), .body, "Label of the endpoint."),
                optional("description", string(), .body, "What the endpoint does."),
                optional(
                    "attachedAccounts", array(of: string(minLength: 1)), .body,
                    "Names of the app connections the endpoint can use (sdk-connections_list)."),
            ],
            result: .unwrap("appEndpoint")),
        MakeToolDefinition(
            name: "sdk-endpoints_update", group: "sdk-endpoints", title: "Update a custom app endpoint",
            description: "Changes an endpoint's label, description, context, hints or attached connections. "
                + "Returns it.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "PATCH", path: "/sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}",
            arguments: [
                sdkAppNameArgument, sdkAppVersionArgument, sdkEndpointName,
                optional("label", string(minLength: 1), .body, "New label."),
                optional("description", string(), .body, "New description."),
                optional("context", string(), .body, "Extra guidance on when and how to use the endpoint."),
                optional("annotations", endpointAnnotations, .body, "Behaviour hints of the endpoint."),
                optional(
                    "attachedAccounts", array(of: string(minLength: 1)), .body,
                    "Names of the app connections the endpoint can use."),
            ],
            result: .unwrap("appEndpoint")),
        MakeToolDefinition(
            name: "sdk-endpoints_delete", group: "sdk-endpoints", title: "Delete a custom app endpoint",
            description: "Deletes an endpoint from a custom app. Returns a confirmation.",
            scope: "sdk-apps:write", annotations: destructive,
            method: "DELETE", path: "/sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}",
            arguments: [sdkAppNameArgument, sdkAppVersionArgument, sdkEndpointName],
            result: .confirmation("Endpoint {endpointName} of custom app {appName} deleted.")),
        MakeToolDefinition(
            name: "sdk-endpoints_set-public", group: "sdk-endpoints", title: "Make a custom app endpoint public",
            description: "Makes an endpoint of a custom app visible to the app's users. Returns a confirmation.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "POST", path: "/sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}/public",
            arguments: [sdkAppNameArgument, sdkAppVersionArgument, sdkEndpointName],
            result: .confirmation("Endpoint {endpointName} of custom app {appName} is public.")),
        MakeToolDefinition(
            name: "sdk-endpoints_set-private", group: "sdk-endpoints", title: "Make a custom app endpoint private",
            description: "Hides an endpoint of a custom app from the app's users. Returns a confirmation.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "POST", path: "/sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}/private",
            arguments: [sdkAppNameArgument, sdkAppVersionArgument, sdkEndpointName],
            result: .confirmation("Endpoint {endpointName} of custom app {appName} is private.")),
        MakeToolDefinition(
            name: "sdk-endpoints_get-section", group: "sdk-endpoints", title: "Get a custom app endpoint section",
            description: "Returns one section of a custom app's endpoint, as JSON or as JSONC text.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}/{section}",
            arguments: [sdkAppNameArgument, sdkAppVersionArgument, sdkEndpointName, sdkEndpointSection],
            result: .wholeBody),
        MakeToolDefinition(
            name: "sdk-endpoints_set-section", group: "sdk-endpoints", title: "Set a custom app endpoint section",
            description: "Replaces one section of a custom app's endpoint with new JSONC. Returns a confirmation.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "PUT", path: "/sdk/apps/{appName}/{appVersion}/endpoints/{endpointName}/{section}",
            arguments: [
                sdkAppNameArgument, sdkAppVersionArgument, sdkEndpointName, sdkEndpointSection,
                sectionBody("endpoint"),
            ],
            result: .confirmation("Section {section} of endpoint {endpointName} of custom app {appName} saved.")),
    ]
}
