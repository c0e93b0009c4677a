internal import MCPProtocol

extension MakeCatalog {
    /// make-catalog.md §6 "folders" (4): scenario folders.
    static let folders: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "folders_list", group: "folders", title: "List scenario folders",
            description: "Lists the scenario folders of a team with their ids, names and scenario counts. Needs "
                + "teamId (teams_list).",
            scope: "scenarios:read", annotations: readOnly,
            method: "GET", path: "/scenarios-folders", fixedQuery: allColumns,
            arguments: [
                teamID(),
                optional("parentId", id, .query, "Only the folders inside this folder."),
                optional(
                    "childrenDepth", enumeration(["all"]), .query,
                    "Set to all to include nested folders at every depth."),
            ],
            result: .unwrap("scenariosFolders"),
            isInDefaultSelection: true),
        MakeToolDefinition(
            name: "folders_create", group: "folders", title: "Create a scenario folder",
            description: "Creates a scenario folder in a team, optionally inside another folder. Returns the folder; "
                + "its id is the folderId scenarios_create and scenarios_update take.",
            scope: "scenarios:write", annotations: idempotentWrite,
            method: "POST", path: "/scenarios-folders",
            arguments: [
                teamID(.body),
                required("name", string(minLength: 1, maxLength: 100), .body, "Name of the folder."),
                optional(
                    "parentId", nullable(id), .body,
                    "Folder to create it in (folders_list); null or left out for the top level."),
            ],
            result: .unwrap("scenarioFolder"),
            isInDefaultSelection: true),
        MakeToolDefinition(
            name: "folders_update", group: "folders", title: "Rename or move a scenario folder",
            description: "Renames a scenario folder or moves it under another folder. Returns the updated folder.",
            scope: "scenarios:write", annotations: destructiveIdempotent,
            method: "PATCH", path: "/scenarios-folders/{folderId}", fixedQuery: allColumns,
            arguments: [
                required("folderId", id, .path, "ID of the folder. Find it with folders_list."),
                optional("name", string(minLength: 1, maxLength: 100), .body, "New name."),
                optional("parentId", nullable(id), .body, "New parent folder; null moves it to the top level."),
            ],
            result: .unwrap("scenarioFolder")),
        MakeToolDefinition(
            name: "folders_delete", group: "folders", title: "Delete a scenario folder",
            description: "Deletes a scenario folder. Returns a confirmation.",
            scope: "scenarios:write", annotations: destructive,
            method: "DELETE", path: "/scenarios-folders/{folderId}",
            arguments: [required("folderId", id, .path, "ID of the folder. Find it with folders_list.")],
            result: .confirmation("Folder {folderId} deleted.")),
    ]
}
