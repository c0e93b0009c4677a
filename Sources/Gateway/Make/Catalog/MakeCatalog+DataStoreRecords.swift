internal import MCPProtocol

extension MakeCatalog {
    private static let recordKey = required(
        "key", string(minLength: 1), .path, "Key of the record. Find it with data-store-records_list.")

    /// make-catalog.md §6 "data-store-records" (5).
    static let dataStoreRecords: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "data-store-records_list", group: "data-store-records", title: "List data store records",
            description: "Lists records of a data store as {key, data}, a page at a time, with the store's field "
                + "spec and record count.",
            scope: "datastores:read", annotations: readOnly,
            method: "GET", path: "/data-stores/{dataStoreId}/data",
            arguments: [dataStoreID],
            result: .unwrap("records"),
            // The SDK's own `limit` → pg[limit] argument is the `limit` that paging adds, with offset and sorting.
            isPaginated: true, isInDefaultSelection: true),
        MakeToolDefinition(
            name: "data-store-records_create", group: "data-store-records", title: "Add a data store record",
            description: "Adds a record to a data store; its fields must fit the store's data structure. Returns the "
                + "record with its key.",
            scope: "datastores:write", annotations: idempotentWrite,
            method: "POST", path: "/data-stores/{dataStoreId}/data",
            arguments: [
                dataStoreID,
                optional("key", string(minLength: 1), .body, "Key of the new record; Make generates one if left out."),
                required("data", anyObject, .body, "The record's fields, such as {\"email\": \"a@example.com\"}."),
            ],
            result: .wholeBody,
            isInDefaultSelection: true),
        MakeToolDefinition(
            name: "data-store-records_update", group: "data-store-records", title: "Update a data store record",
            description: "Changes the given fields of a record and keeps the others. Returns the record.",
            scope: "datastores:write", annotations: destructiveIdempotent,
            method: "PATCH", path: "/data-stores/{dataStoreId}/data/{key}",
            arguments: [
                dataStoreID, recordKey,
                required("data", anyObject, .wholeBody, "The fields to change and their new values."),
            ],
            result: .wholeBody,
            isInDefaultSelection: true),
        MakeToolDefinition(
            name: "data-store-records_replace", group: "data-store-records", title: "Replace a data store record",
            description: "Replaces all fields of a record (fields left out are cleared), creating it if the key is "
                + "new. Returns the record.",
            scope: "datastores:write", annotations: destructiveIdempotent,
            method: "PUT", path: "/data-stores/{dataStoreId}/data/{key}",
            arguments: [
                dataStoreID, recordKey,
                required("data", anyObject, .wholeBody, "All fields of the record."),
            ],
            result: .wholeBody),
        MakeToolDefinition(
            name: "data-store-records_delete", group: "data-store-records", title: "Delete data store records",
            description: "Deletes the records with the given keys from a data store. Returns a confirmation.",
            scope: "datastores:write", annotations: destructive,
            method: "DELETE", path: "/data-stores/{dataStoreId}/data", fixedQuery: confirmed,
            arguments: [
                dataStoreID,
                required(
                    "keys", array(of: string(minLength: 1), minItems: 1), .body,
                    "Keys of the records to delete (data-store-records_list)."),
            ],
            result: .confirmation("Records deleted from data store {dataStoreId}."),
            isInDefaultSelection: true),
    ]
}
