internal import MCPProtocol

extension MakeCatalog {
    /// make-catalog.md §6 "roles" (3): user roles and their permissions.
    static let roles: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "roles_list", group: "roles", title: "List user roles",
            description: "Lists the user roles (built-in and custom) with their ids, categories and permissions, "
                + "optionally only organization or team roles.",
            scope: "user:read", annotations: readOnly,
            method: "GET", path: "/users/roles", fixedQuery: allColumns,
            arguments: [
                optional("category", roleCategory, .query, "Only organization roles or only team roles."),
                optional("excludeRole", array(of: id), .query, "Role ids to leave out."),
                optional("roleId", id, .query, "Only the role with this id."),
                optional(
                    "organizationId", id, .query,
                    "Include the custom roles of this organization (organizations_list)."),
                optional("teamId", id, .query, "Only roles that apply to this team (teams_list)."),
            ],
            result: .unwrap("usersRoles")),
        MakeToolDefinition(
            name: "roles_get", group: "roles", title: "Get a user role",
            description: "Returns one user role with its category and permissions.",
            scope: "user:read", annotations: readOnly,
            method: "GET", path: "/users/roles/{roleId}",
            arguments: [required("roleId", id, .path, "ID of the role. Find it with roles_list.")],
            result: .unwrap("usersRole")),
        MakeToolDefinition(
            name: "roles_permissions", group: "roles", title: "List role permissions",
            description: "Lists the permissions roles can grant, with the ids custom-roles_create takes, optionally "
                + "for organization or team roles only.",
            scope: "user:read", annotations: readOnly,
            method: "GET", path: "/users/roles/permissions",
            arguments: [optional("roleCategory", roleCategory, .query, "Only permissions of this role category.")],
            result: .unwrap("usersRolesPermissions")),
    ]
}
