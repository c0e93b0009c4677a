internal import MCPProtocol

extension MakeCatalog {
    private static let keyID = required("keyId", id, .path, "ID of the key. Find it with keys_list.")

    /// make-catalog.md §6 "keys" (5): the keychain of a team.
    static let keys: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "keys_list", group: "keys", title: "List keychain keys",
            description: "Lists the keys in a team's keychain (API keys, basic auth, certificates, …) without their "
                + "secret values. Needs teamId (teams_list).",
            scope: "keys:read", annotations: readOnly,
            method: "GET", path: "/keys", fixedQuery: allColumns,
            arguments: [teamID()],
            result: .unwrap("keys")),
        MakeToolDefinition(
            name: "keys_get", group: "keys", title: "Get a keychain key",
            description: "Returns one keychain key's details: name, type and team.",
            scope: "keys:read", annotations: readOnly,
            method: "GET", path: "/keys/{keyId}", fixedQuery: allColumns,
            arguments: [keyID],
            result: .unwrap("key")),
        MakeToolDefinition(
            name: "keys_create", group: "keys", title: "Create a keychain key",
            description: "Adds a key to a team's keychain, for use by the HTTP and encryption apps. Returns the key "
                + "without its secret.",
            scope: "keys:write", annotations: idempotentWrite,
            method: "POST", path: "/keys",
            arguments: [
                teamID(.body),
                required("name", string(minLength: 1), .body, "Name of the key."),
                required(
                    "typeName", string(minLength: 1), .body,
                    "Key type, such as basicauth, apikeyauth, aes-key or clientcertauth."),
                required(
                    "parameters", anyObject, .body,
                    "The secret values for the type, such as {\"username\": \"…\", \"password\": \"…\"} for "
                        + "basicauth."),
            ],
            result: .unwrap("key")),
        MakeToolDefinition(
            name: "keys_update", group: "keys", title: "Update a keychain key",
            description: "Renames a keychain key or replaces its secret values. Returns a confirmation.",
            scope: "keys:write", annotations: destructiveIdempotent,
            method: "PATCH", path: "/keys/{keyId}",
            arguments: [
                keyID,
                optional("name", string(minLength: 1), .body, "New name."),
                optional("parameters", anyObject, .body, "New secret values for the key's type."),
            ],
            result: .confirmation("Key {keyId} updated.")),
        MakeToolDefinition(
            name: "keys_delete", group: "keys", title: "Delete a keychain key",
            description: "Deletes a keychain key, even one used in scenarios. Returns a confirmation.",
            scope: "keys:write", annotations: destructive,
            method: "DELETE", path: "/keys/{keyId}", fixedQuery: confirmed,
            arguments: [keyID],
            result: .confirmation("Key {keyId} deleted.")),
    ]
}
