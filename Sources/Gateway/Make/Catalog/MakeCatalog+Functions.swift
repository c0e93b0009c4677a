internal import MCPProtocol

extension MakeCatalog {
    private static let functionID = required(
        "functionId", id, .path, "ID of the custom function. Find it with functions_list.")

    /// make-catalog.md §6 "functions" (6): a team's custom IML functions.
    static let functions: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "functions_list", group: "functions", title: "List custom functions",
            description: "Lists the custom functions of a team (id, name, arguments, description, last change). "
                + "Needs teamId (teams_list); the organization's plan must include custom functions.",
            scope: "functions:read", annotations: readOnly,
            method: "GET", path: "/functions", fixedQuery: allColumns,
            arguments: [teamID()],
            result: .unwrap("functions")),
        MakeToolDefinition(
            name: "functions_get", group: "functions", title: "Get a custom function",
            description: "Returns one custom function, including its code.",
            scope: "functions:read", annotations: readOnly,
            method: "GET", path: "/functions/{functionId}",
            arguments: [functionID],
            result: .unwrap("function")),
        MakeToolDefinition(
            name: "functions_create", group: "functions", title: "Create a custom function",
            description: "Creates a custom function in a team from JavaScript code; Make checks the code first "
                + "(functions_check does the same without saving). Returns the function.",
            scope: "functions:write", annotations: idempotentWrite,
            method: "POST", path: "/functions",
            arguments: [
                teamID(),
                required(
                    "name", string(minLength: 1), .body,
                    "Name of the function; must match the function name in the code and not be a JavaScript "
                        + "reserved word."),
                required(
                    "code", string(minLength: 1), .body,
                    "JavaScript source defining the function, such as function double(x) { return x * 2; }."),
                // Fix: Make requires a description on create; the SDK papers over it by sending "" when none is
                // given. The catalog format has no defaults, so the argument is required (an empty string is fine).
                required("description", string(), .body, "What the function does; may be empty."),
            ],
            result: .unwrap("function")),
        MakeToolDefinition(
            name: "functions_update", group: "functions", title: "Update a custom function",
            description: "Changes a custom function's name, code or description; Make checks new code first. "
                + "Returns the updated function.",
            scope: "functions:write", annotations: destructiveIdempotent,
            method: "PATCH", path: "/functions/{functionId}",
            arguments: [
                functionID,
                optional("name", string(minLength: 1), .body, "New name; must match the name in the code."),
                optional("code", string(minLength: 1), .body, "New JavaScript source."),
                optional("description", string(), .body, "New description."),
            ],
            result: .unwrap("function")),
        MakeToolDefinition(
            name: "functions_delete", group: "functions", title: "Delete a custom function",
            description: "Deletes a custom function; scenarios that call it will fail. Returns a confirmation.",
            scope: "functions:write", annotations: destructive,
            method: "DELETE", path: "/functions/{functionId}",
            arguments: [functionID],
            result: .confirmation("Custom function {functionId} deleted.")),
        MakeToolDefinition(
            name: "functions_check", group: "functions", title: "Check custom function code",
            description: "Checks JavaScript code for a custom function without saving anything. Returns "
                + "{success: true} when the code is valid, or success false with the error Make found.",
            scope: "functions:write", annotations: readOnly,
            method: "POST", path: "/functions/eval",
            arguments: [
                teamID(),
                required("code", string(minLength: 1), .body, "JavaScript source of the function to check."),
            ],
            // The SDK turns {success, error} into a sentence; the body itself says the same and keeps the error.
            result: .wholeBody),
    ]
}
