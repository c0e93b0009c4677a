internal import MCPProtocol

extension MakeCatalog {
    /// make-catalog.md §6 "data-structures" (5): the record shapes of data stores and webhooks.
    static let dataStructures: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "data-structures_list", group: "data-structures", title: "List data structures",
            description: "Lists the data structures of a team with their fields. Needs teamId (teams_list).",
            scope: "udts:read", annotations: readOnly,
            method: "GET", path: "/data-structures", fixedQuery: allColumns,
            arguments: [teamID()],
            result: .unwrap("dataStructures"),
            // Fix: the endpoint answers with `pg` and honours pg[…]; the SDK tool exposed no paging.
            isPaginated: true, isInDefaultSelection: true),
        MakeToolDefinition(
            name: "data-structures_get", group: "data-structures", title: "Get a data structure",
            description: "Returns one data structure: its name, whether it is strict, and its field specification.",
            scope: "udts:read", annotations: readOnly,
            method: "GET", path: "/data-structures/{dataStructureId}",
            arguments: [dataStructureID],
            result: .unwrap("dataStructure"),
            isInDefaultSelection: true),
        MakeToolDefinition(
            name: "data-structures_create", group: "data-structures", title: "Create a data structure",
            description: "Creates a data structure in a team from a list of fields. Returns it; its id is the "
                + "datastructureId that data-stores_create takes.",
            scope: "udts:write", annotations: idempotentWrite,
            method: "POST", path: "/data-structures",
            arguments: [
                teamID(.body),
                required("name", string(minLength: 1), .body, "Name of the data structure."),
                required(
                    "strict", boolean, .body,
                    "true rejects data with fields the structure does not define; false lets them through."),
                required(
                    "spec", array(of: dataStructureField), .body,
                    "The fields, such as [{\"name\": \"email\", \"type\": \"text\", \"required\": true}]."),
            ],
            result: .unwrap("dataStructure"),
            isInDefaultSelection: true),
        MakeToolDefinition(
            name: "data-structures_update", group: "data-structures", title: "Update a data structure",
            description: "Changes a data structure's name, strictness or fields; a new field list replaces the old "
                + "one. Returns the updated data structure.",
            scope: "udts:write", annotations: destructiveIdempotent,
            method: "PATCH", path: "/data-structures/{dataStructureId}",
            arguments: [
                dataStructureID,
                optional("name", string(minLength: 1), .body, "New name."),
                optional("strict", boolean, .body, "Whether data with undefined fields is rejected."),
                optional("spec", array(of: dataStructureField), .body, "The complete new list of fields."),
            ],
            result: .unwrap("dataStructure")),
        MakeToolDefinition(
            name: "data-structures_delete", group: "data-structures", title: "Delete a data structure",
            description: "Deletes a data structure, even one in use. Returns a confirmation.",
            scope: "udts:write", annotations: destructive,
            method: "DELETE", path: "/data-structures/{dataStructureId}", fixedQuery: confirmed,
            arguments: [dataStructureID],
            result: .confirmation("Data structure {dataStructureId} deleted.")),
    ]
}
