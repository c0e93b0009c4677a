internal import MCPProtocol

extension MakeCatalog {
    private static let sdkModuleName = required(
        "moduleName", string(minLength: 1), .path, "Name of the module. Find it with sdk-modules_list.")

    private static let sdkModuleSection = required(
        "section", enumeration(["api", "epoch", "parameters", "expect", "interface", "samples", "scope"]), .path,
        "Which part: api (the call), epoch (trigger start options), parameters, expect (mappable parameters), "
            + "interface (output), samples or scope.")

    /// make-catalog.md §6 "sdk-modules" (9): modules of custom apps.
    static let sdkModules: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "sdk-modules_list", group: "sdk-modules", title: "List a custom app's modules",
            description: "Lists the modules of a custom app with their names, labels, types and visibility.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/{appName}/{appVersion}/modules",
            arguments: [sdkAppNameArgument, sdkAppVersionArgument],
            result: .unwrap("appModules")),
        MakeToolDefinition(
            name: "sdk-modules_get", group: "sdk-modules", title: "Get a custom app module",
            description: "Returns one module of a custom app: label, description, type, connection and visibility.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/{appName}/{appVersion}/modules/{moduleName}",
            arguments: [sdkAppNameArgument, sdkAppVersionArgument, sdkModuleName],
            result: .unwrap("appModule")),
        MakeToolDefinition(
            name: "sdk-modules_create", group: "sdk-modules", title: "Create a custom app module",
            description: "Adds a module (action, search, trigger, …) to a custom app. Returns the module; fill in "
                + "its sections with sdk-modules_set-section.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "POST", path: "/sdk/apps/{appName}/{appVersion}/modules",
            arguments: [
                sdkAppNameArgument, sdkAppVersionArgument,
                required("name", string(minLength: 1), .body, "Identifier of the module, such as createContact."),
                required(
                    "typeId", id, .body,
                    "Module type number: 1 polling trigger, 4 action, 9 search, 10 instant trigger, 11 "
                        + "responder, 12 universal."),
                required("label", string(minLength: 1), .body, "Label shown to users."),
                required("description", string(minLength: 1), .body, "Short description shown to users."),
                optional(
                    "moduleInitMode", enumeration(["blank", "example", "module"]), .body,
                    "Start from an empty module (blank), Make's example (example), or a copy (module)."),
            ],
            result: .unwrap("appModule")),
        MakeToolDefinition(
            name: "sdk-modules_update", group: "sdk-modules", title: "Update a custom app module",
            description: "Changes a module's label, description or the connection it uses. Returns the module.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "PATCH", path: "/sdk/apps/{appName}/{appVersion}/modules/{moduleName}",
            arguments: [
                sdkAppNameArgument, sdkAppVersionArgument, sdkModuleName,
                optional("label", string(minLength: 1), .body, "New label."),
                optional("description", string(minLength: 1), .body, "New description."),
                optional(
                    "connection", string(minLength: 1), .body,
                    "Name of the app connection the module uses (sdk-connections_list)."),
            ],
            result: .unwrap("appModule")),
        MakeToolDefinition(
            name: "sdk-modules_delete", group: "sdk-modules", title: "Delete a custom app module",
            description: "Deletes a module from a custom app. Returns a confirmation.",
            scope: "sdk-apps:write", annotations: destructive,
            method: "DELETE", path: "/sdk/apps/{appName}/{appVersion}/modules/{moduleName}",
            arguments: [sdkAppNameArgument, sdkAppVersionArgument, sdkModuleName],
            result: .confirmation("Module {moduleName} of custom app {appName} deleted.")),
        MakeToolDefinition(
            name: "sdk-modules_get-section", group: "sdk-modules", title: "Get a custom app module section",
            description: "Returns one section of a custom app's module, as JSON or as JSONC text.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/{appName}/{appVersion}/modules/{moduleName}/{section}",
            arguments: [sdkAppNameArgument, sdkAppVersionArgument, sdkModuleName, sdkModuleSection],
            result: .wholeBody),
        MakeToolDefinition(
            name: "sdk-modules_set-public", group: "sdk-modules", title: "Make a custom app module public",
            description: "Makes a module of a custom app visible to the app's users. Returns a confirmation.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "POST", path: "/sdk/apps/{appName}/{appVersion}/modules/{moduleName}/public",
            arguments: [sdkAppNameArgument, sdkAppVersionArgument, sdkModuleName],
            result: .confirmation("Module {moduleName} of custom app {appName} is public.")),
        MakeToolDefinition(
            name: "sdk-modules_set-private", group: "sdk-modules", title: "Make a custom app module private",
            description: "Hides a module of a custom app from the app's users. Returns a confirmation.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "POST", path: "/sdk/apps/{appName}/{appVersion}/modules/{moduleName}/private",
            arguments: [sdkAppNameArgument, sdkAppVersionArgument, sdkModuleName],
            result: .confirmation("Module {moduleName} of custom app {appName} is private.")),
        MakeToolDefinition(
            name: "sdk-modules_set-section", group: "sdk-modules", title: "Set a custom app module section",
            description: "Replaces one section of a custom app's module with new JSONC. Returns a confirmation.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "PUT", path: "/sdk/apps/{appName}/{appVersion}/modules/{moduleName}/{section}",
            arguments: [
                sdkAppNameArgument, sdkAppVersionArgument, sdkModuleName, sdkModuleSection, sectionBody("module"),
            ],
            result: .confirmation("Section {section} of module {moduleName} of custom app {appName} saved.")),
    ]
}
