internal import MCPProtocol

extension MakeCatalog {
    private static let customPropertyValues = required(
        "customProperties", anyObject, .wholeBody,
        "Values keyed by property name (custom-property-structure-items_list), such as {\"priority\": \"high\"}.")

    /// make-catalog.md §6 "scenario-custom-properties" (5): a scenario's values for the custom properties.
    static let scenarioCustomProperties: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "scenario-custom-properties_get", group: "scenario-custom-properties",
            title: "Get a scenario's custom properties",
            description: "Returns the scenario's values for the organization's custom scenario properties.",
            scope: "scenarios:read", annotations: readOnly,
            method: "GET", path: "/scenarios/{scenarioId}/custom-properties",
            arguments: [scenarioID()],
            result: .unwrap("customProperties")),
        MakeToolDefinition(
            name: "scenario-custom-properties_create", group: "scenario-custom-properties",
            title: "Set a scenario's first custom properties",
            description: "Gives a scenario that has no custom property values yet its values. Returns them.",
            scope: "scenarios:write", annotations: additiveWrite,
            method: "POST", path: "/scenarios/{scenarioId}/custom-properties",
            arguments: [scenarioID(), customPropertyValues],
            result: .unwrap("customProperties")),
        MakeToolDefinition(
            name: "scenario-custom-properties_replace", group: "scenario-custom-properties",
            title: "Replace a scenario's custom properties",
            description: "Replaces all of a scenario's custom property values; properties left out are cleared. "
                + "Returns the values.",
            scope: "scenarios:write", annotations: destructiveIdempotent,
            method: "PUT", path: "/scenarios/{scenarioId}/custom-properties",
            arguments: [scenarioID(), customPropertyValues],
            result: .unwrap("customProperties")),
        MakeToolDefinition(
            name: "scenario-custom-properties_update", group: "scenario-custom-properties",
            title: "Update a scenario's custom properties",
            description: "Changes the given custom property values of a scenario and keeps the others. Returns the "
                + "values.",
            scope: "scenarios:write", annotations: idempotentWrite,
            method: "PATCH", path: "/scenarios/{scenarioId}/custom-properties",
            arguments: [scenarioID(), customPropertyValues],
            result: .unwrap("customProperties")),
        MakeToolDefinition(
            name: "scenario-custom-properties_delete", group: "scenario-custom-properties",
            title: "Clear a scenario's custom properties",
            description: "Removes all custom property values from a scenario. Returns a confirmation.",
            scope: "scenarios:write", annotations: destructiveIdempotent,
            method: "DELETE", path: "/scenarios/{scenarioId}/custom-properties",
            arguments: [scenarioID()],
            result: .confirmation("Custom properties of scenario {scenarioId} cleared.")),
    ]
}
