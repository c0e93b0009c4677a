internal import MCPProtocol

extension MakeCatalog {
    /// make-catalog.md §6 "users" (1).
    static let users: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "users_me", group: "users", title: "Who am I",
            description: "Returns the user the credentials belong to: id, name, email, language, time zone and "
                + "locale. It does not list teams; use organizations_list for those.",
            scope: nil, annotations: readOnly,
            method: "GET", path: "/users/me",
            arguments: [],
            result: .unwrap("authUser"),
            isInDefaultSelection: true)
    ]
}
