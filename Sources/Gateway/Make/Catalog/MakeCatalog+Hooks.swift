internal import MCPProtocol

extension MakeCatalog {
    /// make-catalog.md §6 "hooks" (5): webhooks and mailhooks.
    static let hooks: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "hooks_list", group: "hooks", title: "List webhooks and mailhooks",
            description: "Lists the hooks of a team: id, name, type, url, whether enabled, queue size and the "
                + "scenario each is attached to. Needs teamId (teams_list).",
            scope: "hooks:read", annotations: readOnly,
            method: "GET", path: "/hooks",
            arguments: [teamID()],
            result: .unwrap("hooks"),
            // Fix: make-api.md lists pg[…] for GET /hooks; the SDK tool exposed no paging.
            isPaginated: true, isInDefaultSelection: true),
        MakeToolDefinition(
            name: "hooks_get", group: "hooks", title: "Get a hook",
            description: "Returns one hook with its settings (data), its url and the scenario it is attached to.",
            scope: "hooks:read", annotations: readOnly,
            method: "GET", path: "/hooks/{hookId}",
            arguments: [hookID],
            result: .unwrap("hook"),
            isInDefaultSelection: true),
        MakeToolDefinition(
            name: "hooks_create", group: "hooks", title: "Create a hook",
            description: "Creates a webhook (typeName gateway-webhook), mailhook (gateway-mailhook) or app hook in a "
                + "team. Returns the hook with its id and url; put the id in a trigger module's parameters.",
            scope: "hooks:write", annotations: idempotentWrite,
            method: "POST", path: "/hooks", fixedQuery: [(name: "useDefaults", value: "requiredOnly")],
            arguments: [
                teamID(.body),
                required("name", string(minLength: 1, maxLength: 128), .body, "Name of the hook."),
                required(
                    "typeName", string(minLength: 1), .body,
                    "Hook type: gateway-webhook for a custom webhook, gateway-mailhook for a mailhook, or an "
                        + "app's own hook type."),
                optional(
                    "data", anyObject, .bodySpread,
                    "Type-specific settings merged into the request, such as {\"headers\": true, \"method\": "
                        + "true, \"stringify\": false} for a webhook or {\"__IMTCONN__\": connectionId} for an "
                        + "app hook."),
            ],
            result: .unwrap("hook"),
            isInDefaultSelection: true),
        MakeToolDefinition(
            name: "hooks_update", group: "hooks", title: "Change a hook's settings",
            description: "Replaces a hook's type-specific settings (the data of hooks_get). Returns a confirmation.",
            scope: "hooks:write", annotations: destructiveIdempotent,
            method: "POST", path: "/hooks/{hookId}/set-data",
            arguments: [
                hookID,
                required(
                    "data", anyObject, .wholeBody,
                    "The new settings, such as {\"headers\": true, \"method\": true} for a webhook."),
            ],
            result: .confirmation("Hook {hookId} settings updated."),
            isInDefaultSelection: true),
        MakeToolDefinition(
            name: "hooks_delete", group: "hooks", title: "Delete a hook",
            description: "Deletes a hook, even one attached to a scenario (that scenario then stops receiving "
                + "data). Returns a confirmation.",
            scope: "hooks:write", annotations: destructive,
            method: "DELETE", path: "/hooks/{hookId}", fixedQuery: confirmed,
            arguments: [hookID],
            result: .confirmation("Hook {hookId} deleted."),
            isInDefaultSelection: true),
    ]
}
