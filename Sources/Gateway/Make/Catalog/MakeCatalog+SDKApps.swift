internal import MCPProtocol

extension MakeCatalog {
    private static let appSection = required(
        "section", enumeration(["base", "groups", "install", "installSpec"]), .path,
        "Which part of the app: base (shared API settings), groups (module groups), install or installSpec.")

    /// make-catalog.md §6 "sdk-apps" (15): custom apps built with Make's app SDK.
    static let sdkApps: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "sdk-apps_list", group: "sdk-apps", title: "List custom apps",
            description: "Lists the custom apps the user can develop, with their names, versions, labels and "
                + "visibility.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps", fixedQuery: allColumns,
            arguments: [],
            result: .unwrap("apps")),
        MakeToolDefinition(
            name: "sdk-apps_get", group: "sdk-apps", title: "Get a custom app",
            description: "Returns one version of a custom app with all its columns.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/{name}/{version}", fixedQuery: allColumns,
            arguments: [sdkAppName, sdkAppVersion],
            result: .unwrap("app")),
        MakeToolDefinition(
            name: "sdk-apps_create", group: "sdk-apps", title: "Create a custom app",
            description: "Creates a custom app (version 1). Returns the app; add connections, modules and RPCs with "
                + "the other sdk-* tools.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "POST", path: "/sdk/apps",
            arguments: [
                required(
                    "name", string(pattern: "^[a-z0-9][a-z0-9-]*$"), .body,
                    "Identifier of the app: lowercase letters, digits and dashes, such as my-crm."),
                required("label", string(minLength: 1), .body, "Display name of the app."),
                optional("description", string(), .body, "What the app does."),
                required("theme", string(pattern: "^#[0-9a-fA-F]{6}$"), .body, "Brand color as #RRGGBB."),
                required("language", string(minLength: 2), .body, "Language code of the app's texts, such as en."),
                optional(
                    "countries", array(of: string(minLength: 2)), .body,
                    "Country codes the app is meant for, when its audience is limited to countries."),
                optional("private", boolean, .body, "Whether only its author can use the app."),
                required("audience", string(minLength: 1), .body, "Who the app is meant for, such as global."),
            ],
            result: .unwrap("app")),
        MakeToolDefinition(
            name: "sdk-apps_update", group: "sdk-apps", title: "Update a custom app",
            description: "Changes a custom app's label, description, color, language, countries or audience. "
                + "Returns the app.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "PATCH", path: "/sdk/apps/{name}/{version}",
            arguments: [
                sdkAppName, sdkAppVersion,
                optional("label", string(minLength: 1), .body, "New display name."),
                optional("description", string(), .body, "New description."),
                optional("theme", string(pattern: "^#[0-9a-fA-F]{6}$"), .body, "New brand color as #RRGGBB."),
                optional("language", string(minLength: 2), .body, "New language code, such as en."),
                optional("countries", array(of: string(minLength: 2)), .body, "New list of country codes."),
                optional("audience", string(minLength: 1), .body, "New audience, such as global."),
            ],
            result: .unwrap("app")),
        MakeToolDefinition(
            name: "sdk-apps_delete", group: "sdk-apps", title: "Delete a custom app",
            description: "Deletes a version of a custom app with all its modules, connections and code. Returns a "
                + "confirmation.",
            scope: "sdk-apps:write", annotations: destructive,
            method: "DELETE", path: "/sdk/apps/{name}/{version}",
            arguments: [sdkAppName, sdkAppVersion],
            result: .confirmation("Custom app {name} version {version} deleted.")),
        MakeToolDefinition(
            name: "sdk-apps_get-section", group: "sdk-apps", title: "Get a custom app section",
            description: "Returns one configuration section of a custom app (base, groups, install or installSpec), "
                + "as JSON or as JSONC text.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/{name}/{version}/{section}",
            arguments: [sdkAppName, sdkAppVersion, appSection],
            result: .wholeBody),
        MakeToolDefinition(
            name: "sdk-apps_set-section", group: "sdk-apps", title: "Set a custom app section",
            description: "Replaces one configuration section of a custom app with new JSONC. Returns a "
                + "confirmation.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "PUT", path: "/sdk/apps/{name}/{version}/{section}",
            arguments: [sdkAppName, sdkAppVersion, appSection, sectionBody("app")],
            result: .confirmation("Section {section} of custom app {name} version {version} saved.")),
        MakeToolDefinition(
            name: "sdk-apps_get-docs", group: "sdk-apps", title: "Get a custom app's documentation",
            description: "Returns the Markdown documentation (readme) of a custom app.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/{name}/{version}/readme",
            arguments: [sdkAppName, sdkAppVersion],
            result: .wholeBody),
        MakeToolDefinition(
            name: "sdk-apps_set-docs", group: "sdk-apps", title: "Set a custom app's documentation",
            description: "Replaces the Markdown documentation (readme) of a custom app. Returns a confirmation.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "PUT", path: "/sdk/apps/{name}/{version}/readme",
            arguments: [
                sdkAppName, sdkAppVersion,
                required("docs", string(), .rawBody(contentType: "text/markdown"), "The documentation, in Markdown."),
            ],
            result: .confirmation("Documentation of custom app {name} version {version} saved.")),
        MakeToolDefinition(
            name: "sdk-apps_get-common", group: "sdk-apps", title: "Get a custom app's common data",
            description: "Returns the common data of a custom app: values, such as client secrets, that every module "
                + "and connection of the app can read.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/{name}/{version}/common",
            arguments: [sdkAppName, sdkAppVersion],
            result: .wholeBody),
        MakeToolDefinition(
            name: "sdk-apps_set-icon", group: "sdk-apps", title: "Set a custom app's icon",
            description: "Uploads the icon of a custom app: a 512×512 PNG image, base64-encoded. Returns a "
                + "confirmation.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "PUT", path: "/sdk/apps/{name}/{version}/icon",
            arguments: [
                sdkAppName, sdkAppVersion,
                // The .pngIcon special decodes the base64 and sends the bytes as image/png.
                required(
                    "dataBase64", string(minLength: 1), .rawBody(contentType: "image/png"),
                    "The icon as base64-encoded PNG data, exactly 512×512 pixels."),
            ],
            result: .confirmation("Icon of custom app {name} version {version} saved."),
            special: .pngIcon),
        MakeToolDefinition(
            name: "sdk-apps_get-icon", group: "sdk-apps", title: "Get a custom app's icon",
            description: "Returns the icon of a custom app at the given size, as base64-encoded PNG data.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/{name}/{version}/icon/{size}",
            arguments: [
                sdkAppName, sdkAppVersion,
                // The SDK makes `size` optional with a default of 512; a path value cannot be left out here and
                // the format has no defaults, so it is required.
                required(
                    "size", integer(minimum: 1, maximum: 512), .path,
                    "Edge length of the icon in pixels; 512 is the full size."),
            ],
            // The answer is image/png; it needs the binary-as-base64 handling the executor does for icons.
            result: .wholeBody),
        MakeToolDefinition(
            name: "sdk-apps_set-public", group: "sdk-apps", title: "Make a custom app public",
            description: "Makes a custom app public, so others can install it through its link. Returns a "
                + "confirmation.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "POST", path: "/sdk/apps/{name}/{version}/public",
            arguments: [sdkAppName, sdkAppVersion],
            result: .confirmation("Custom app {name} version {version} is public.")),
        MakeToolDefinition(
            name: "sdk-apps_set-private", group: "sdk-apps", title: "Make a custom app private",
            description: "Makes a custom app private again, usable only by its owner. Returns a confirmation.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "POST", path: "/sdk/apps/{name}/{version}/private",
            arguments: [sdkAppName, sdkAppVersion],
            result: .confirmation("Custom app {name} version {version} is private.")),
        MakeToolDefinition(
            name: "sdk-apps_set-common", group: "sdk-apps", title: "Set a custom app's common data",
            description: "Replaces the common data of a custom app, values every module and connection can read "
                + "(such as an OAuth client secret). Returns a confirmation.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "PUT", path: "/sdk/apps/{name}/{version}/common",
            arguments: [
                sdkAppName, sdkAppVersion,
                required("common", anyObject, .wholeBody, "The common data, such as {\"clientSecret\": \"…\"}."),
            ],
            result: .confirmation("Common data of custom app {name} version {version} saved.")),
    ]
}
