internal import MCPProtocol

extension MakeCatalog {
    /// make-catalog.md §6 "custom-property-structures" (2).
    static let customPropertyStructures: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "custom-property-structures_list", group: "custom-property-structures",
            title: "List custom property structures",
            description: "Lists the custom property structures of an organization (normally one, for scenarios). "
                + "Needs organizationId (organizations_list).",
            scope: "custom-property-structures:read", annotations: readOnly,
            method: "GET", path: "/custom-property-structures",
            arguments: [organizationID()],
            result: .unwrap("customPropertyStructures")),
        MakeToolDefinition(
            name: "custom-property-structures_create", group: "custom-property-structures",
            title: "Create a custom property structure",
            description: "Creates the structure that holds an organization's custom scenario properties (one per "
                + "organization); add properties with custom-property-structure-items_create. Returns the structure.",
            scope: "custom-property-structures:write", annotations: additiveWrite,
            method: "POST", path: "/custom-property-structures",
            arguments: [
                required("associatedType", enumeration(["scenario"]), .body, "What the properties describe: scenario."),
                required("belongerType", enumeration(["organization"]), .body, "Who owns the structure: organization."),
                required("belongerId", id, .body, "ID of the organization. Find it with organizations_list."),
            ],
            result: .unwrap("customPropertyStructure")),
    ]
}
