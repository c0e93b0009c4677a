internal import MCPProtocol

extension MakeCatalog {
    private static let customPropertyStructureID = required(
        "customPropertyStructureId", id, .path,
        "ID of the custom property structure. Find it with custom-property-structures_list.")

    private static let customPropertyStructureItemID = required(
        "customPropertyStructureItemId", id, .path,
        "ID of the custom property. Find it with custom-property-structure-items_list.")

    /// make-catalog.md §6 "custom-property-structure-items" (4): the custom scenario properties themselves.
    static let customPropertyStructureItems: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "custom-property-structure-items_list", group: "custom-property-structure-items",
            title: "List custom scenario properties",
            description: "Lists the properties defined in a custom property structure, optionally filtered, with "
                + "their names, labels, types and options.",
            scope: "custom-property-structures:read", annotations: readOnly,
            method: "GET",
            path: "/custom-property-structures/{customPropertyStructureId}/custom-property-structure-items",
            fixedQuery: allColumns,
            arguments: [
                customPropertyStructureID,
                optional("id", id, .query, "Only the property with this id."),
                optional("name", string(minLength: 1), .query, "Only properties with this name."),
                optional("label", string(minLength: 1), .query, "Only properties with this label."),
                optional("description", string(minLength: 1), .query, "Only properties with this description."),
                optional("type", customPropertyType, .query, "Only properties of this type."),
                optional("required", boolean, .query, "Only required (true) or optional (false) properties."),
            ],
            result: .unwrap("customPropertyStructureItems"),
            // Fix: the endpoint documents pg[…] paging; the SDK tool exposed none.
            isPaginated: true),
        MakeToolDefinition(
            name: "custom-property-structure-items_create", group: "custom-property-structure-items",
            title: "Add a custom scenario property",
            description: "Adds a property, such as a priority dropdown or an owner text, to a custom property "
                + "structure; scenarios then carry a value for it (scenario-custom-properties_*). Returns it.",
            scope: "custom-property-structures:write", annotations: additiveWrite,
            method: "POST",
            path: "/custom-property-structures/{customPropertyStructureId}/custom-property-structure-items",
            arguments: [
                customPropertyStructureID,
                required("name", string(minLength: 1), .body, "Key of the property, used in scenario values."),
                required("label", string(minLength: 1), .body, "Label shown in Make."),
                required("type", customPropertyType, .body, "Type of the values."),
                optional("description", string(), .body, "Explanation shown in Make."),
                optional(
                    "options", customPropertyOptions, .body,
                    "Choices for dropdown and multiselect types, such as [{\"value\": \"high\"}]."),
                required("required", boolean, .body, "Whether every scenario must have a value."),
            ],
            result: .unwrap("customPropertyStructureItem")),
        MakeToolDefinition(
            name: "custom-property-structure-items_update", group: "custom-property-structure-items",
            title: "Update a custom scenario property",
            description: "Changes a custom property's label, description, options or whether it is required. "
                + "Returns it.",
            scope: "custom-property-structures:write", annotations: destructiveIdempotent,
            method: "PATCH",
            path: "/custom-property-structures/custom-property-structure-items/{customPropertyStructureItemId}",
            arguments: [
                customPropertyStructureItemID,
                optional("label", string(minLength: 1), .body, "New label."),
                optional("description", string(), .body, "New description."),
                optional("options", customPropertyOptions, .body, "New list of choices (dropdown, multiselect)."),
                optional("required", boolean, .body, "Whether every scenario must have a value."),
            ],
            result: .unwrap("customPropertyStructureItem")),
        MakeToolDefinition(
            name: "custom-property-structure-items_delete", group: "custom-property-structure-items",
            title: "Delete a custom scenario property",
            description: "Deletes a custom property and the values scenarios have for it. Returns a confirmation.",
            scope: "custom-property-structures:write", annotations: destructiveIdempotent,
            method: "DELETE",
            path: "/custom-property-structures/custom-property-structure-items/{customPropertyStructureItemId}",
            arguments: [
                customPropertyStructureItemID,
                optional(
                    "confirmed", boolean, .query,
                    "Set true to delete a property scenarios still have values for; Make asks with IM004."),
            ],
            result: .confirmation("Custom property {customPropertyStructureItemId} deleted.")),
    ]
}
