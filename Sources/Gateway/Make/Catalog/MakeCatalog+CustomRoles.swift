internal import MCPProtocol

extension MakeCatalog {
    private static let customRoleID = required(
        "id", id, .path, "ID of the custom role, as custom-roles_create returned it or roles_list lists it.")

    /// make-catalog.md §6 "custom-roles" (3).
    static let customRoles: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "custom-roles_create", group: "custom-roles", title: "Create a custom role",
            description: "Creates an organization or team role in an organization from a set of permissions "
                + "(roles_permissions). Returns the role.",
            scope: "user:write", annotations: additiveWrite,
            method: "POST", path: "/users/custom-roles",
            arguments: [
                required("name", string(minLength: 1, maxLength: 50), .body, "Name of the role, 1 to 50 characters."),
                required("category", roleCategory, .body, "Whether it is an organization role or a team role."),
                organizationID(.body),
                optional("description", nullable(string()), .body, "What the role is for."),
                optional("permissions", array(of: id), .body, "IDs of the permissions it grants (roles_permissions)."),
            ],
            result: .unwrap("role")),
        MakeToolDefinition(
            name: "custom-roles_update", group: "custom-roles", title: "Update a custom role",
            description: "Changes a custom role's name, description or permissions. Returns the role.",
            scope: "user:write", annotations: destructiveIdempotent,
            method: "PATCH", path: "/users/custom-roles/{id}",
            arguments: [
                customRoleID,
                organizationID(.body),
                optional("name", string(minLength: 1, maxLength: 50), .body, "New name, 1 to 50 characters."),
                optional("description", nullable(string()), .body, "New description; null clears it."),
                optional("permissions", array(of: id), .body, "The complete new list of permission ids."),
            ],
            result: .unwrap("role")),
        MakeToolDefinition(
            name: "custom-roles_delete", group: "custom-roles", title: "Delete a custom role",
            description: "Deletes a custom role of an organization. Returns the deleted role's id.",
            scope: "user:write", annotations: destructive,
            method: "DELETE", path: "/users/custom-roles/{id}",
            arguments: [customRoleID, organizationID(.body)],
            result: .unwrap("roleId")),
    ]
}
