internal import MCPProtocol

extension MakeCatalog {
    private static let sdkWebhookName = required(
        "webhookName", string(minLength: 1), .path, "Name of the app's webhook. Find it with sdk-webhooks_list.")

    private static let sdkWebhookSection = required(
        "section", enumeration(["api", "parameters", "attach", "detach", "scope"]), .path,
        "Which part: api (incoming data handling), parameters, attach, detach or scope.")

    /// make-catalog.md §6 "sdk-webhooks" (7): webhook definitions of custom apps.
    static let sdkWebhooks: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "sdk-webhooks_list", group: "sdk-webhooks", title: "List a custom app's webhooks",
            description: "Lists the webhook definitions of a custom app with their names, labels and types.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/{appName}/webhooks",
            arguments: [sdkAppNameArgument],
            result: .unwrap("appWebhooks")),
        MakeToolDefinition(
            name: "sdk-webhooks_get", group: "sdk-webhooks", title: "Get a custom app webhook",
            description: "Returns one webhook definition of a custom app: name, label and type.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/webhooks/{webhookName}",
            arguments: [sdkWebhookName],
            result: .unwrap("appWebhook")),
        MakeToolDefinition(
            name: "sdk-webhooks_create", group: "sdk-webhooks", title: "Create a custom app webhook",
            description: "Adds a webhook definition to a custom app; Make names it after the app. Returns it; set "
                + "its sections with sdk-webhooks_set-section.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "POST", path: "/sdk/apps/{appName}/webhooks",
            arguments: [
                sdkAppNameArgument,
                required(
                    "type", string(minLength: 1), .body,
                    "Kind of webhook: web (one per connection) or web-shared (one shared URL)."),
                required("label", string(minLength: 1), .body, "Label shown to users."),
            ],
            result: .unwrap("appWebhook")),
        MakeToolDefinition(
            name: "sdk-webhooks_update", group: "sdk-webhooks", title: "Relabel a custom app webhook",
            description: "Changes the label of a custom app's webhook definition. Returns it.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "PATCH", path: "/sdk/apps/webhooks/{webhookName}",
            arguments: [sdkWebhookName, optional("label", string(minLength: 1), .body, "New label.")],
            result: .unwrap("appWebhook")),
        MakeToolDefinition(
            name: "sdk-webhooks_delete", group: "sdk-webhooks", title: "Delete a custom app webhook",
            description: "Deletes a webhook definition from a custom app. Returns a confirmation.",
            scope: "sdk-apps:write", annotations: destructive,
            method: "DELETE", path: "/sdk/apps/webhooks/{webhookName}",
            arguments: [sdkWebhookName],
            result: .confirmation("App webhook {webhookName} deleted.")),
        MakeToolDefinition(
            name: "sdk-webhooks_get-section", group: "sdk-webhooks", title: "Get a custom app webhook section",
            description: "Returns one section of a custom app's webhook definition, as JSON or as JSONC text.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/webhooks/{webhookName}/{section}",
            arguments: [sdkWebhookName, sdkWebhookSection],
            result: .wholeBody),
        MakeToolDefinition(
            name: "sdk-webhooks_set-section", group: "sdk-webhooks", title: "Set a custom app webhook section",
            description: "Replaces one section of a custom app's webhook definition with new JSONC. Returns a "
                + "confirmation.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "PUT", path: "/sdk/apps/webhooks/{webhookName}/{section}",
            arguments: [sdkWebhookName, sdkWebhookSection, sectionBody("webhook")],
            result: .confirmation("Section {section} of app webhook {webhookName} saved.")),
    ]
}
