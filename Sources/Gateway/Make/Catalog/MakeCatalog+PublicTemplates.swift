internal import MCPProtocol

extension MakeCatalog {
    private static let templateURL = required(
        "templateUrl", string(minLength: 1), .path,
        "URL name of the template, the url field of public-templates_list entries.")

    /// make-catalog.md §6 "public-templates" (3).
    static let publicTemplates: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "public-templates_list", group: "public-templates", title: "Search public templates",
            description: "Lists Make's public scenario templates, optionally filtered by name or by the apps they "
                + "use, with id, name, description, url and usage.",
            scope: "templates:read", annotations: readOnly,
            method: "GET", path: "/templates/public", fixedQuery: allColumns,
            arguments: [
                optional("name", string(minLength: 1), .query, "Only templates whose name contains this text."),
                optional(
                    "usedApps", array(of: string(minLength: 1)), .query,
                    "Only templates that use these apps, such as [\"google-sheets\", \"slack\"]."),
                optional("includeEn", boolean, .query, "Also include English templates when another language is set."),
            ],
            result: .unwrap("templatesPublic"),
            // Fix: the endpoint honours pg[…]; the SDK tool exposed no paging.
            isPaginated: true),
        MakeToolDefinition(
            name: "public-templates_get", group: "public-templates", title: "Get a public template",
            description: "Returns one public template's details: name, description, apps used and usage.",
            scope: "templates:read", annotations: readOnly,
            method: "GET", path: "/templates/public/{templateUrl}", fixedQuery: allColumns,
            arguments: [templateURL],
            result: .unwrap("templatePublic")),
        MakeToolDefinition(
            name: "public-templates_get-blueprint", group: "public-templates",
            title: "Get a public template's blueprint",
            description: "Returns a public template's blueprint, scheduling and metadata, a starting point for "
                + "scenarios_create.",
            scope: "templates:read", annotations: readOnly,
            method: "GET", path: "/templates/public/{templateUrl}/blueprint",
            arguments: [templateURL],
            result: .wholeBody),
    ]
}
