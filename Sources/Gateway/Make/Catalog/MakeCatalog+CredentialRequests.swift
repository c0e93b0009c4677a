internal import MCPProtocol

extension MakeCatalog {
    private static let credentialRequestID = required(
        "requestId", string(minLength: 1), .path,
        "ID of the credential request. Find it with credential-requests_list.")

    private static let credentialID = required(
        "credentialId", string(minLength: 1), .path,
        "ID of one credential within a request, as listed by credential-requests_get.")

    /// make-catalog.md §6 "credential-requests" (9): asking someone else to connect their accounts.
    static let credentialRequests: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "credential-requests_list", group: "credential-requests", title: "List credential requests",
            description: "Lists the credential requests of a team, optionally filtered by user, provider, status or "
                + "name. Needs teamId (teams_list).",
            scope: "credential-requests:read", annotations: readOnly,
            method: "GET", path: "/credential-requests/requests", fixedQuery: allColumns,
            arguments: [
                teamID(),
                optional("userId", id, .query, "Only requests created by this user."),
                optional(
                    "makeProviderId", anyOf([id, string(minLength: 1)]), .query,
                    "Only requests addressed to this provider."),
                optional(
                    "status", string(minLength: 1), .query,
                    "Only requests in this state, such as pending, authorized, partially_authorized, "
                        + "declined, invalid or incomplete."),
                optional("name", string(minLength: 1, maxLength: 255), .query, "Only requests with this name."),
            ],
            result: .unwrap("requests")),
        MakeToolDefinition(
            name: "credential-requests_get", group: "credential-requests", title: "Get a credential request",
            description: "Returns one credential request in detail, including each requested credential with its "
                + "id and state.",
            scope: "credential-requests:read", annotations: readOnly,
            method: "GET", path: "/credential-requests/requests/{requestId}/detail",
            arguments: [credentialRequestID],
            result: .unwrap("requestDetail")),
        MakeToolDefinition(
            name: "credential-requests_delete", group: "credential-requests", title: "Delete a credential request",
            description: "Deletes a credential request. Returns a confirmation.",
            scope: "credential-requests:write", annotations: destructive,
            method: "DELETE", path: "/credential-requests/requests/{requestId}", fixedQuery: confirmed,
            arguments: [credentialRequestID],
            result: .confirmation("Credential request {requestId} deleted.")),
        MakeToolDefinition(
            name: "credential-requests_credential-decline", group: "credential-requests",
            title: "Decline a requested credential",
            description: "Declines one credential of a request, optionally saying why. Returns the credential.",
            scope: "credential-requests:write", annotations: destructiveIdempotent,
            method: "POST", path: "/credential-requests/credentials/{credentialId}/decline",
            arguments: [
                credentialID,
                optional("reason", string(minLength: 1), .body, "Why the credential is declined."),
            ],
            result: .unwrap("credential")),
        MakeToolDefinition(
            name: "credential-requests_credential-delete", group: "credential-requests",
            title: "Delete a provided credential",
            description: "Deletes the connection or key that was created for one credential of a request. Returns "
                + "the credential.",
            scope: "credential-requests:write", annotations: destructiveIdempotent,
            method: "POST", path: "/credential-requests/credentials/{credentialId}/delete-remote",
            arguments: [credentialID],
            result: .unwrap("credential")),
        MakeToolDefinition(
            name: "credential-requests_create", group: "credential-requests", title: "Request credentials for apps",
            description: "Creates a credential request asking someone to connect accounts for the given apps. "
                + "Returns the request and the publicUri to send them.",
            scope: "credential-requests:write", annotations: idempotentWrite,
            method: "POST", path: "/credential-requests/actions/create",
            arguments: [
                optional(
                    "name", string(minLength: 1, maxLength: 255), .body,
                    "Title shown to the person who opens the request."),
                optional("description", string(), .body, "Explanation shown with the request."),
                teamID(.body),
                required(
                    "credentials", array(of: credentialSelection, minItems: 1, maxItems: 64), .body,
                    "The apps to connect (1 to 64), such as [{\"appName\": \"google-sheets\"}]."),
            ],
            result: .wholeBody),
        MakeToolDefinition(
            name: "credential-requests_create-by-credentials", group: "credential-requests",
            title: "Request specific connections and keys",
            description: "Creates a credential request for connections and keys given by type. Returns the request, "
                + "its credentials and the publicUri to send to the person.",
            scope: "credential-requests:write", annotations: idempotentWrite,
            method: "POST", path: "/credential-requests/actions/create-by-credentials",
            arguments: [
                optional(
                    "name", string(minLength: 1, maxLength: 255), .body,
                    "Title shown to the person who opens the request."),
                optional("description", string(), .body, "Explanation shown with the request."),
                teamID(.body),
                optional(
                    "connections", array(of: connectionCredential, maxItems: 32), .body,
                    "Connections to ask for (at most 32), such as [{\"type\": \"slack2\"}]."),
                optional(
                    "keys", array(of: keyCredential, maxItems: 32), .body,
                    "Keychain keys to ask for (at most 32), such as [{\"type\": \"apikeyauth\"}]."),
            ],
            result: .wholeBody),
        MakeToolDefinition(
            name: "credential-requests_extend-connection", group: "credential-requests",
            title: "Request more scopes for a connection",
            description: "Creates a credential request asking the connection's owner to grant it more OAuth scopes. "
                + "Returns the request and its publicUri.",
            scope: "credential-requests:write", annotations: idempotentWrite,
            method: "POST", path: "/credential-requests/actions/extend",
            arguments: [
                required("connectionId", id, .body, "ID of the connection to extend. Find it with connections_list."),
                required(
                    "scopes", array(of: string(minLength: 1), minItems: 1), .body,
                    "The additional scopes to ask for."),
            ],
            result: .wholeBody),
        MakeToolDefinition(
            name: "credential-requests_list-app-modules-with-creds", group: "credential-requests",
            title: "List an app's modules that need credentials",
            description: "Lists the modules of an app that need a connection or key, to choose appModules for "
                + "credential-requests_create.",
            scope: "apps:read", annotations: readOnly,
            method: "GET", path: "/credential-requests/apps/{appName}/{appVersion}/modules-with-credentials",
            arguments: [
                required("appName", string(minLength: 1), .path, "Name of the app, such as google-sheets."),
                required(
                    "appVersion", anyOf([id, ["const": "latest"]]), .path,
                    "Version of the app as a number, or \"latest\"."),
            ],
            result: .unwrap("appModules")),
    ]
}
