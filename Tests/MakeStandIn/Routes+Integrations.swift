import Foundation
import HTTPServer

/// What scenarios connect through: connections, keys, hooks, devices, custom IML functions and credential
/// requests (make-catalog.md §6: connections, keys, hooks, devices, functions, credential-requests).
extension Routes {
    static func addIntegrations(to table: inout RouteTable) {
        addConnections(to: &table)
        addKeys(to: &table)
        addHooks(to: &table)
        addFunctions(to: &table)
        addCredentialRequests(to: &table)
        table.add(.get, "/devices", scope: "devices:read") { request in
            let teamID = try request.requiredQueryInt("teamId")
            let items = try request.world.read { $0.items(.device).filter { $0["teamId"]?.intValue == teamID } }
            return try list("devices", items, request)
        }
    }

    /// Items of a kind that belong to the `teamId` in the query (required, and the team must exist).
    static func teamItems(_ kind: Kind, _ request: APIRequest) throws -> [JSON] {
        let teamID = try request.requiredQueryInt("teamId")
        return try request.world.read { state in
            try state.requireTeam(teamID)
            return state.items(kind).filter { $0["teamId"]?.intValue == teamID }
        }
    }

    // MARK: - Connections

    private static func addConnections(to table: inout RouteTable) {
        table.add(.get, "/connections", scope: "connections:read") { request in
            let types = Set(request.query.values("type"))
            let items = try teamItems(.connection, request).filter {
                types.isEmpty || types.contains($0["accountName"]?.stringValue ?? "")
            }
            return try list("connections", items.map { $0.removing(["data"]) }, request)
        }
        table.add(.get, "/connections/{connectionId}", scope: "connections:read") { request in
            let item = try request.world.read { try $0.require(.connection, id: request.path("connectionId")) }
            return single("connection", item.removing(["data"]), request)
        }
        // Body: `accountName` is the display name and `accountType` the connection type (make-catalog.md §6).
        table.add(.post, "/connections", scope: "connections:write") { request in
            let teamID = try request.requiredQueryInt("teamId")
            let body = try request.body()
            let name = try body.requiredString("accountName")
            let type = try body.requiredString("accountType")
            var data = body.objectValue ?? [:]
            data["accountName"] = nil
            data["accountType"] = nil
            let connection = try request.world.write { state -> JSON in
                try state.requireTeam(teamID)
                return state.add(
                    .connection,
                    [
                        "name": .string(name), "accountName": .string(type), "accountLabel": .string(type),
                        "packageName": nil, "expire": nil, "metadata": [:], "teamId": .int(teamID),
                        "organizationId": .int(state.organizationID), "theme": "#6b7280", "upgradeable": false,
                        "scopesCnt": 0, "scoped": false, "accountType": "basic", "editable": true, "uid": nil,
                        "scopes": [], "data": .object(data),
                    ])
            }
            return single("connection", connection.removing(["data"]), request)
        }
        table.add(.patch, "/connections/{connectionId}", scope: "connections:write") { request in
            let name = try request.body().requiredString("name")
            let item = try request.world.write {
                try $0.merge(.connection, id: request.path("connectionId"), ["name": .string(name)])
            }
            return .json(["connection": item.removing(["data"]), "newName": .string(name)])
        }
        table.add(.post, "/connections/{connectionId}/set-data", scope: "connections:write") { request in
            let data = try request.body()
            try request.world.write { state in
                try state.update(.connection, id: request.path("connectionId")) { connection in
                    connection["data"] = (connection["data"] ?? [:]).merging(data)
                }
            }
            return .json(["changed": true])
        }
        table.add(.post, "/connections/{connectionId}/test", scope: "connections:write") { request in
            let id = try request.pathInt("connectionId")
            let verified = try request.world.read { state in
                _ = try state.require(.connection, id: id)
                return !state.unverifiableConnections.contains(id)
            }
            return .json(["verified": .bool(verified)])
        }
        table.add(.post, "/connections/{connectionId}/scoped", scope: "connections:write") { request in
            let scopes = try request.body().requiredArray("scope").compactMap(\.stringValue)
            let item = try request.world.read { try $0.require(.connection, id: request.path("connectionId")) }
            let granted = Set(item["scopes"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? [])
            return .json(["connection": ["scoped": .bool(scopes.allSatisfy(granted.contains))]])
        }
        table.add(.get, "/connections/{connectionId}/editable-data-schema", scope: "connections:read") { request in
            _ = try request.world.read { try $0.require(.connection, id: request.path("connectionId")) }
            return .json([
                "editableParameters": [
                    [
                        "name": "apiKey", "type": "password", "label": "API key",
                        "required": true,
                    ]
                ]
            ])
        }
        table.add(.delete, "/connections/{connectionId}", scope: "connections:write") { request in
            try request.requireConfirmation()
            let id = try request.pathInt("connectionId")
            try request.world.write { _ = try $0.remove(.connection, id: String(id)) }
            return .json(["connection": .int(id)])
        }
    }

    // MARK: - Keys

    private static func addKeys(to table: inout RouteTable) {
        // Key parameters are secrets: stored, never shown.
        @Sendable func shown(_ key: JSON) -> JSON { key.removing(["parameters"]) }
        table.add(.get, "/keys", scope: "keys:read") { request in
            try list("keys", try teamItems(.key, request).map(shown), request)
        }
        table.add(.get, "/keys/types", scope: "keys:read") { _ in
            .json([
                "keysTypes": [
                    [
                        "name": "apikeyauth", "label": "API Key Auth",
                        "parameters": [["name": "key", "type": "password", "label": "API key", "required": true]],
                    ],
                    [
                        "name": "basicauth", "label": "HTTP Basic Auth",
                        "parameters": [
                            ["name": "username", "type": "text", "required": true],
                            ["name": "password", "type": "password", "required": true],
                        ],
                    ],
                ]
            ])
        }
        table.add(.get, "/keys/{keyId}", scope: "keys:read") { request in
            let key = try request.world.read { try $0.require(.key, id: request.path("keyId")) }
            return single("key", shown(key), request)
        }
        table.add(.post, "/keys", scope: "keys:write") { request in
            let body = try request.body()
            let teamID = try body.requiredInt("teamId")
            let name = try body.requiredString("name")
            let typeName = try body.requiredString("typeName")
            let parameters = try body.requiredObject("parameters")
            guard ["apikeyauth", "basicauth"].contains(typeName) else {
                throw MakeError.badRequest("Unknown key type '\(typeName)'.", code: "IM005")
            }
            let key = try request.world.write { state -> JSON in
                try state.requireTeam(teamID)
                return state.add(
                    .key,
                    [
                        "name": .string(name), "teamId": .int(teamID), "typeName": .string(typeName),
                        "packageName": nil, "theme": "#3f4c6b", "parameters": parameters,
                    ])
            }
            return .json(["key": shown(key)])
        }
        table.add(.patch, "/keys/{keyId}", scope: "keys:write") { request in
            let patch = try request.body().selecting(["name", "parameters"])
            let key = try request.world.write { try $0.merge(.key, id: request.path("keyId"), patch) }
            return .json(["key": shown(key)])
        }
        table.add(.delete, "/keys/{keyId}", scope: "keys:write") { request in
            try request.requireConfirmation()
            let id = try request.pathInt("keyId")
            try request.world.write { _ = try $0.remove(.key, id: String(id)) }
            return .json(["key": .int(id)])
        }
    }

    // MARK: - Hooks

    private static func addHooks(to table: inout RouteTable) {
        table.add(.get, "/hooks", scope: "hooks:read") { request in
            let typeName = request.query["typeName"]
            let assigned = request.query.bool("assigned")
            let items = try teamItems(.hook, request).filter { hook in
                (typeName == nil || hook["typeName"]?.stringValue == typeName)
                    && (assigned == nil || (hook["scenarioId"]?.isNull == false) == assigned)
            }
            return try list("hooks", items, request)
        }
        // Body: `name`, `teamId`, `typeName`, and the type's data keys beside them (make-catalog.md §6).
        table.add(.post, "/hooks", scope: "hooks:write") { request in
            let body = try request.body()
            let name = try body.requiredString("name")
            guard name.count <= 128 else {
                throw MakeError.invalidParameter("name", expected: "at most 128 characters")
            }
            let teamID = try body.requiredInt("teamId")
            let typeName = try body.requiredString("typeName")
            guard ["gateway-webhook", "gateway-mailhook"].contains(typeName) else {
                throw MakeError.badRequest("Invalid hook type '\(typeName)'.", code: "IM005")
            }
            var data = body.objectValue ?? [:]
            for key in ["name", "teamId", "typeName"] { data[key] = nil }
            let hook = try request.world.write { state -> JSON in
                try state.requireTeam(teamID)
                let template = WorldState.hook(
                    id: state.nextID(.hook), name: name, teamID: teamID,
                    typeName: typeName, udid: RandomID.alphanumeric(32),
                    zone: state.zone, scenarioID: nil)
                return state.add(
                    .hook,
                    template.merging([
                        "data": (template["data"] ?? [:])
                            .merging(.object(data))
                    ]))
            }
            return .json(["hook": hook])
        }
        table.add(.get, "/hooks/{hookId}", scope: "hooks:read") { request in
            let hook = try request.world.read { try $0.require(.hook, id: request.path("hookId")) }
            return single("hook", hook, request)
        }
        table.add(.patch, "/hooks/{hookId}", scope: "hooks:write") { request in
            let name = try request.body().requiredString("name")
            let hook = try request.world.write {
                try $0.merge(.hook, id: request.path("hookId"), ["name": .string(name)])
            }
            return .json(["hook": hook])
        }
        table.add(.post, "/hooks/{hookId}/set-data", scope: "hooks:write") { request in
            let data = try request.body()
            try request.world.write { state in
                try state.update(.hook, id: request.path("hookId")) { hook in
                    hook["data"] = (hook["data"] ?? [:]).merging(data)
                }
            }
            return .json(["changed": true])
        }
        // Deleting a hook a scenario uses needs `confirmed=true` (make-api.md §4).
        table.add(.delete, "/hooks/{hookId}", scope: "hooks:write") { request in
            let id = try request.pathInt("hookId")
            try request.world.write { state in
                let hook = try state.require(.hook, id: id)
                if hook["scenarioId"]?.isNull == false, request.query.bool("confirmed") != true {
                    throw MakeError.confirmationRequired
                }
                try state.remove(.hook, id: String(id))
            }
            return .json(["hook": .int(id)])
        }
        table.add(.get, "/hooks/{hookId}/ping", scope: "hooks:read") { request in
            let hook = try request.world.read { try $0.require(.hook, id: request.path("hookId")) }
            return .json([
                "address": hook["url"] ?? nil, "attached": .bool(hook["scenarioId"]?.isNull == false),
                "learning": hook["learning"] ?? false, "gone": hook["gone"] ?? false,
            ])
        }
        for (action, field, value) in [
            ("enable", "enabled", true), ("disable", "enabled", false),
            ("learn-start", "learning", true), ("learn-stop", "learning", false),
        ] {
            table.add(.post, "/hooks/{hookId}/\(action)", scope: "hooks:write") { request in
                let hook = try request.world.write {
                    try $0.merge(.hook, id: request.path("hookId"), [field: .bool(value)])
                }
                return .json(["hook": ["id": hook["id"] ?? nil, field: .bool(value)]])
            }
        }
    }

    // MARK: - Functions

    private static func addFunctions(to table: inout RouteTable) {
        table.add(.get, "/functions", scope: "functions:read") { request in
            try list("functions", try teamItems(.function, request), request, defaults: .byName)
        }
        table.add(.get, "/functions/{functionId}", scope: "functions:read") { request in
            let item = try request.world.read { try $0.require(.function, id: request.path("functionId")) }
            return single("function", item, request)
        }
        table.add(.post, "/functions", scope: "functions:write") { request in
            let teamID = try request.requiredQueryInt("teamId")
            let body = try request.body()
            let name = try body.requiredString("name")
            let code = try body.requiredString("code")
            try checkFunction(code: code, name: name)
            let item = try request.world.write { state -> JSON in
                try state.requireTeam(teamID)
                if state.items(.function).contains(where: {
                    $0["teamId"]?.intValue == teamID && $0["name"]?.stringValue == name
                }) {
                    throw MakeError.conflict("A function named '\(name)' already exists in this team.")
                }
                return state.add(
                    .function,
                    [
                        "name": .string(name), "description": .string(try body.optionalString("description") ?? ""),
                        "code": .string(code), "args": .string(arguments(of: code)), "teamId": .int(teamID),
                        "createdByUser": ["id": state.user["id"] ?? 1, "name": state.user["name"] ?? ""],
                        "created": .date(Date()), "updated": .date(Date()),
                    ])
            }
            return .json(["function": item])
        }
        table.add(.patch, "/functions/{functionId}", scope: "functions:write") { request in
            var patch = try request.body().selecting(["name", "code", "description"])
            let item = try request.world.write { state -> JSON in
                let current = try state.require(.function, id: request.path("functionId"))
                let merged = current.merging(patch)
                try checkFunction(code: merged["code"]?.stringValue ?? "", name: merged["name"]?.stringValue ?? "")
                patch["args"] = .string(arguments(of: merged["code"]?.stringValue ?? ""))
                patch["updated"] = .date(Date())
                return try state.merge(.function, id: request.path("functionId"), patch)
            }
            return .json(["function": item])
        }
        table.add(.delete, "/functions/{functionId}", scope: "functions:write") { request in
            let id = try request.pathInt("functionId")
            try request.world.write { _ = try $0.remove(.function, id: String(id)) }
            return .json(["function": .int(id)])
        }
        table.add(.post, "/functions/eval", scope: "functions:write") { request in
            _ = try request.requiredQueryInt("teamId")
            let code = try request.body().requiredString("code")
            if let problem = syntaxProblem(in: code) {
                return .json(["success": false, "error": .string(problem)])
            }
            return .json(["success": true])
        }
    }

    /// Make's custom functions are one JavaScript function named like the function (IM005 otherwise).
    private static func checkFunction(code: String, name: String) throws {
        if let problem = syntaxProblem(in: code) { throw MakeError.badRequest(problem, code: "IM005") }
        guard code.contains("function \(name)(") || code.contains("function \(name) (") else {
            throw MakeError.badRequest("The code must declare function '\(name)'.", code: "IM005")
        }
    }

    /// A rough JavaScript check: a function declaration and balanced brackets outside strings.
    private static func syntaxProblem(in code: String) -> String? {
        guard code.contains("function") else { return "SyntaxError: the code declares no function" }
        var stack: [Character] = []
        var quote: Character?
        var previous: Character = " "
        for character in code {
            if let open = quote {
                if character == open && previous != "\\" { quote = nil }
            } else if "\"'`".contains(character) {
                quote = character
            } else if "({[".contains(character) {
                stack.append(character)
            } else if let close = [")": "(", "}": "{", "]": "["][character] {
                guard stack.popLast() == Character(close) else { return "SyntaxError: Unexpected token '\(character)'" }
            }
            previous = character
        }
        return stack.isEmpty && quote == nil ? nil : "SyntaxError: Unexpected end of input"
    }

    /// `(a, b)` from `function name(a, b) {…}`.
    private static func arguments(of code: String) -> String {
        guard let open = code.firstIndex(of: "("), let close = code[open...].firstIndex(of: ")") else { return "()" }
        return String(code[open...close])
    }

    // MARK: - Credential requests

    private static func addCredentialRequests(to table: inout RouteTable) {
        table.add(.get, "/credential-requests/requests", scope: "credential-requests:read") { request in
            let userID = try request.optionalQueryInt("userId")
            let filters = ["makeProviderId", "status", "name"].compactMap { key in request.query[key].map { (key, $0) }
            }
            let items = try teamItems(.credentialRequest, request).filter { item in
                (userID == nil || item["userId"]?.intValue == userID)
                    && filters.allSatisfy { key, value in
                        let field = item[key]
                        return field?.stringValue == value || field?.intValue.map(String.init) == value
                    }
            }
            return try list("requests", items, request)
        }
        table.add(.get, "/credential-requests/requests/{requestId}/detail", scope: "credential-requests:read") {
            request in
            let detail = try request.world.read { state -> JSON in
                let item = try state.require(.credentialRequest, id: request.path("requestId"))
                let credentials = state.items(.credential).filter { $0["requestId"] == item["id"] }
                return item.merging(["credentials": .array(credentials)])
            }
            return .json(["requestDetail": detail])
        }
        table.add(.delete, "/credential-requests/requests/{requestId}", scope: "credential-requests:write") {
            request in
            try request.requireConfirmation()
            let id = request.path("requestId")
            try request.world.write { state in
                try state.remove(.credentialRequest, id: id)
                state.tables[.credential]?.removeAll { $0["requestId"]?.stringValue == id }
            }
            return .json(["request": .string(id)])
        }
        table.add(
            .post, "/credential-requests/credentials/{credentialId}/decline",
            scope: "credential-requests:write"
        ) { request in
            let reason = try request.body().optionalString("reason")
            let credential = try request.world.write {
                try $0.merge(
                    .credential, id: request.path("credentialId"),
                    ["status": "declined", "reason": JSON(reason)])
            }
            return .json(["credential": credential])
        }
        table.add(
            .post, "/credential-requests/credentials/{credentialId}/delete-remote",
            scope: "credential-requests:write"
        ) { request in
            let credential = try request.world.write {
                try $0.merge(.credential, id: request.path("credentialId"), ["status": "deleted"])
            }
            return .json(["credential": credential])
        }
        table.add(.post, "/credential-requests/actions/create", scope: "credential-requests:write") { request in
            let body = try request.body()
            let selections = try body.requiredArray("credentials")
            guard (1...64).contains(selections.count) else {
                throw MakeError.invalidParameter("credentials", expected: "1 to 64 items")
            }
            let credentials = try selections.map { selection -> JSON in
                [
                    "type": "connection", "appName": .string(try selection.requiredString("appName")),
                    "appModules": selection["appModules"] ?? [], "nameOverride": selection["nameOverride"] ?? nil,
                    "description": selection["description"] ?? nil,
                ]
            }
            let (created, _) = try createCredentialRequest(body, credentials: credentials, request: request)
            return .json(created.selecting(["request", "publicUri"]))
        }
        table.add(
            .post, "/credential-requests/actions/create-by-credentials",
            scope: "credential-requests:write"
        ) { request in
            let body = try request.body()
            let connections = body["connections"]?.arrayValue ?? []
            let keys = body["keys"]?.arrayValue ?? []
            guard connections.count <= 32, keys.count <= 32 else {
                throw MakeError.invalidParameter("connections", expected: "at most 32 connections and 32 keys")
            }
            guard !(connections.isEmpty && keys.isEmpty) else { throw MakeError.missingParameter("connections") }
            let credentials =
                try connections.map { item -> JSON in
                    [
                        "type": "connection", "appName": .string(try item.requiredString("type")),
                        "scope": item["scope"] ?? [], "nameOverride": item["nameOverride"] ?? nil,
                        "description": item["description"] ?? nil,
                    ]
                }
                + keys.map { item -> JSON in
                    [
                        "type": "key", "appName": .string(try item.requiredString("type")),
                        "nameOverride": item["nameOverride"] ?? nil, "description": item["description"] ?? nil,
                    ]
                }
            let (created, _) = try createCredentialRequest(body, credentials: credentials, request: request)
            return .json(created)
        }
        table.add(.post, "/credential-requests/actions/extend", scope: "credential-requests:write") { request in
            let body = try request.body()
            let connectionID = try body.requiredInt("connectionId")
            let scopes = try body.requiredArray("scopes")
            guard !scopes.isEmpty else { throw MakeError.invalidParameter("scopes", expected: "at least 1 item") }
            let connection = try request.world.read { try $0.require(.connection, id: connectionID) }
            var extended: JSON = [
                "teamId": connection["teamId"] ?? 1,
                "name": .string("Extend \(connection["name"]?.stringValue ?? "connection")"),
            ]
            extended["description"] = "Grant more scopes to an existing connection."
            let credentials: [JSON] = [
                [
                    "type": "connection", "appName": connection["accountName"] ?? nil,
                    "connectionId": .int(connectionID), "scope": .array(scopes),
                ]
            ]
            let (created, _) = try createCredentialRequest(extended, credentials: credentials, request: request)
            return .json(created.selecting(["request", "publicUri"]))
        }
        table.add(
            .get, "/credential-requests/apps/{appName}/{appVersion}/modules-with-credentials",
            scope: "apps:read"
        ) { request in
            let appName = request.path("appName")
            let version = request.path("appVersion")
            guard version == "latest" || Int(version) != nil else {
                throw MakeError.invalidParameter("appVersion", expected: "a number or latest")
            }
            return .json([
                "appModules": [
                    [
                        "name": .string("\(appName):ActionCreate"), "label": "Create a record",
                        "credentials": ["connection"],
                    ],
                    [
                        "name": .string("\(appName):SearchRecords"), "label": "Search records",
                        "credentials": ["connection"],
                    ],
                ]
            ])
        }
    }

    /// Stores a credential request and its credentials; returns `{request, credentials, publicUri}`.
    private static func createCredentialRequest(_ body: JSON, credentials: [JSON], request: APIRequest) throws
        -> (JSON, String)
    {
        let teamID = try body.requiredInt("teamId")
        let name = try body.optionalString("name") ?? "Credential request"
        let description = try body.optionalString("description") ?? ""
        return try request.world.write { state -> (JSON, String) in
            try state.requireTeam(teamID)
            let id = RandomID.uuid()
            let publicURI = "http://\(state.zone)/credential-requests/\(id)"
            let created = state.add(
                .credentialRequest,
                [
                    "id": .string(id), "name": .string(name), "description": .string(description),
                    "teamId": .int(teamID),
                    "userId": state.user["id"] ?? 1, "status": "pending", "makeProviderId": nil,
                    "created": .date(Date()),
                    "publicUri": .string(publicURI),
                ])
            let stored = credentials.map { credential in
                state.add(
                    .credential,
                    credential.merging([
                        "id": .string(RandomID.uuid()), "requestId": .string(id),
                        "status": "pending",
                    ]))
            }
            return (["request": created, "credentials": .array(stored), "publicUri": .string(publicURI)], id)
        }
    }
}

extension JSON {
    /// The object without the given keys.
    func removing(_ keys: [String]) -> JSON {
        guard case .object(var object) = self else { return self }
        for key in keys { object[key] = nil }
        return .object(object)
    }
}
