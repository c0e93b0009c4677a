internal import MCPProtocol

extension MakeCatalog {
    /// make-catalog.md §6 "data-stores" (5).
    static let dataStores: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "data-stores_list", group: "data-stores", title: "List data stores",
            description: "Lists the data stores of a team with their size, record count and data structure. Needs "
                + "teamId (teams_list).",
            scope: "datastores:read", annotations: readOnly,
            method: "GET", path: "/data-stores", fixedQuery: allColumns,
            arguments: [teamID()],
            result: .unwrap("dataStores"),
            // Fix: the endpoint answers with `pg` and honours pg[…]; the SDK tool exposed no paging.
            isPaginated: true, isInDefaultSelection: true),
        MakeToolDefinition(
            name: "data-stores_get", group: "data-stores", title: "Get a data store",
            description: "Returns one data store with all its columns: name, data structure, size limit and usage.",
            scope: "datastores:read", annotations: readOnly,
            method: "GET", path: "/data-stores/{dataStoreId}", fixedQuery: allColumns,
            arguments: [dataStoreID],
            result: .unwrap("dataStore"),
            isInDefaultSelection: true),
        MakeToolDefinition(
            name: "data-stores_create", group: "data-stores", title: "Create a data store",
            description: "Creates a data store in a team, usually with a data structure (data-structures_create) "
                + "describing its records. Returns the data store.",
            scope: "datastores:write", annotations: idempotentWrite,
            method: "POST", path: "/data-stores",
            arguments: [
                required("name", string(minLength: 1), .body, "Name of the data store."),
                teamID(.body),
                required(
                    "maxSizeMB", integer(minimum: 1), .body,
                    "Storage limit in megabytes, taken from the organization's data store allowance."),
                optional(
                    "datastructureId", id, .body,
                    "Data structure of the records. Find it with data-structures_list."),
            ],
            result: .unwrap("dataStore"),
            isInDefaultSelection: true),
        MakeToolDefinition(
            name: "data-stores_update", group: "data-stores", title: "Update a data store",
            description: "Renames a data store, changes its size limit or its data structure. Returns the updated "
                + "data store.",
            scope: "datastores:write", annotations: destructiveIdempotent,
            method: "PATCH", path: "/data-stores/{dataStoreId}",
            arguments: [
                dataStoreID,
                optional("name", string(minLength: 1), .body, "New name."),
                optional("maxSizeMB", integer(minimum: 1), .body, "New storage limit in megabytes."),
                optional("datastructureId", id, .body, "New data structure (data-structures_list)."),
            ],
            result: .unwrap("dataStore")),
        MakeToolDefinition(
            name: "data-stores_delete", group: "data-stores", title: "Delete a data store",
            description: "Deletes a data store and every record in it. Returns a confirmation.",
            scope: "datastores:write", annotations: destructive,
            method: "DELETE", path: "/data-stores/{dataStoreId}", fixedQuery: confirmed,
            arguments: [dataStoreID],
            result: .confirmation("Data store {dataStoreId} deleted.")),
    ]
}
