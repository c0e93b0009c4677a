import HTTPServer

/// Custom apps of Make's app SDK and their parts (make-catalog.md §6: sdk-apps, sdk-connections, sdk-functions,
/// sdk-modules, sdk-rpcs, sdk-webhooks, sdk-endpoints). Sections are JSONC text and come back as
/// `application/jsonc`, docs as `text/markdown`, code as `text/plain`, icons as `image/png`.
extension Routes {
    static func addSDKApps(to table: inout RouteTable) {
        addApps(to: &table)
        for spec in ComponentSpec.all { addComponents(spec, to: &table) }
        addSharedComponents(connections: true, to: &table)
        addSharedComponents(connections: false, to: &table)
    }

    // MARK: - Apps

    private static func addApps(to table: inout RouteTable) {
        let app = "/sdk/apps/{name}/{version}"
        table.add(.get, "/sdk/apps", scope: "sdk-apps:read") { request in
            try list("apps", try request.world.read { $0.sdkApps.map(\.json) }, request, defaults: .byName)
        }
        table.add(.post, "/sdk/apps", scope: "sdk-apps:write") { request in
            let body = try request.body()
            let name = try body.requiredString("name")
            guard name.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }), name.first?.isLetter == true else {
                throw MakeError.invalidParameter("name", expected: "lowercase letters, digits and hyphens")
            }
            var info = body.selecting([
                "label", "description", "theme", "language", "countries", "private",
                "audience",
            ])
            for field in ["label", "theme", "language", "audience"] { _ = try body.requiredString(field) }
            info = info.merging(["public": false, "approved": false])
            let created = try request.world.write { state -> JSON in
                guard !state.sdkApps.contains(where: { $0.name == name }) else {
                    throw MakeError.conflict("An app named '\(name)' already exists.")
                }
                let app = SDKApp(
                    name: name, version: 1, info: info,
                    sections: [
                        "base": "{}", "groups": "[]", "install": "{}", "installSpec": "[]",
                    ])
                state.sdkApps.append(app)
                return app.json
            }
            return .json(["app": created])
        }
        table.add(.get, app, scope: "sdk-apps:read") { request in
            single("app", try withApp(request) { $0.json }, request)
        }
        table.add(.patch, app, scope: "sdk-apps:write") { request in
            let patch = try request.body().selecting([
                "label", "description", "theme", "language", "countries",
                "audience",
            ])
            return .json(["app": try changeApp(request) { app in app.info = app.info.merging(patch) }.json])
        }
        table.add(.delete, app, scope: "sdk-apps:write") { request in
            let (name, version) = try appKey(request)
            try request.world.write { state in
                guard state.sdkApps.contains(where: { $0.name == name && $0.version == version }) else {
                    throw MakeError.notFound("App")
                }
                state.sdkApps.removeAll { $0.name == name && $0.version == version }
                state.sdkConnections.removeAll { $0.info["appName"]?.stringValue == name }
                state.sdkWebhooks.removeAll { $0.info["appName"]?.stringValue == name }
            }
            return .json(["app": .string(name)])
        }
        table.add(.get, app + "/{section}", scope: "sdk-apps:read") { request in
            let section = try sectionName(request.path("section"), allowed: SDKApp.sectionNames)
            return .text(try withApp(request) { $0.sections[section] ?? "{}" }, contentType: "application/jsonc")
        }
        table.add(.put, app + "/{section}", scope: "sdk-apps:write") { request in
            let section = try sectionName(request.path("section"), allowed: SDKApp.sectionNames)
            let text = request.bodyText
            try changeApp(request) { $0.sections[section] = text }
            return .json(["changed": true])
        }
        table.add(.get, app + "/readme", scope: "sdk-apps:read") { request in
            .text(try withApp(request) { $0.readme }, contentType: "text/markdown")
        }
        table.add(.put, app + "/readme", scope: "sdk-apps:write") { request in
            let text = request.bodyText
            try changeApp(request) { $0.readme = text }
            return .json(["changed": true])
        }
        table.add(.get, app + "/common", scope: "sdk-apps:read") { request in
            .json(try withApp(request) { $0.common })
        }
        table.add(.put, app + "/common", scope: "sdk-apps:write") { request in
            let common = try request.body()
            try changeApp(request) { $0.common = common }
            return .json(["changed": true])
        }
        // The SDK checks the PNG client-side; the stand-in checks the signature and 512×512 size too.
        table.add(.put, app + "/icon", scope: "sdk-apps:write") { request in
            let png = request.http.body
            guard png.starts(with: PNG.signature), png.count >= 24,
                PNG.bigEndian(png[16..<20]) == 512, PNG.bigEndian(png[20..<24]) == 512
            else { throw MakeError.badRequest("The icon must be a 512×512 PNG image.", code: "IM005") }
            try changeApp(request) { $0.icon = png }
            return .json(["changed": true])
        }
        table.add(.get, app + "/icon/{size}", scope: "sdk-apps:read") { request in
            guard let size = Int(request.path("size")), [32, 64, 128, 256, 512].contains(size) else {
                throw MakeError.invalidParameter("size", expected: "one of 32, 64, 128, 256, 512")
            }
            let icon = try withApp(request) { $0.icon } ?? PNG.placeholder
            return HTTPResponse(status: .ok, headers: ["Content-Type": "image/png"], body: icon)
        }
        for (visibility, isPublic) in [("public", true), ("private", false)] {
            table.add(.post, app + "/" + visibility, scope: "sdk-apps:write") { request in
                try changeApp(request) { $0.info["public"] = .bool(isPublic) }
                return .json(["changed": true])
            }
        }
    }

    /// `name` and `version` from the path; a version that is not a number cannot exist.
    private static func appKey(_ request: APIRequest, name: String = "name", version: String = "version") throws
        -> (String, Int)
    {
        guard let number = Int(request.path(version)) else { throw MakeError.notFound("App") }
        return (request.path(name), number)
    }

    private static func withApp<T: Sendable>(
        _ request: APIRequest, name: String = "name",
        version: String = "version", _ body: (SDKApp) throws -> T
    ) throws -> T {
        let (appName, number) = try appKey(request, name: name, version: version)
        return try request.world.read { state in
            guard let app = state.sdkApps.first(where: { $0.name == appName && $0.version == number }) else {
                throw MakeError.notFound("App")
            }
            return try body(app)
        }
    }

    @discardableResult
    private static func changeApp(
        _ request: APIRequest, name: String = "name", version: String = "version",
        _ change: (inout SDKApp) throws -> Void
    ) throws -> SDKApp {
        let (appName, number) = try appKey(request, name: name, version: version)
        return try request.world.write { state in
            guard let index = state.sdkApps.firstIndex(where: { $0.name == appName && $0.version == number }) else {
                throw MakeError.notFound("App")
            }
            try change(&state.sdkApps[index])
            return state.sdkApps[index]
        }
    }

    private static func sectionName(_ name: String, allowed: Set<String>) throws -> String {
        guard allowed.contains(name) else {
            throw MakeError.invalidParameter("section", expected: "one of \(allowed.sorted().joined(separator: ", "))")
        }
        return name
    }

    // MARK: - Functions, modules, RPCs and endpoints of an app version

    /// What differs between the four kinds of parts that live inside an app version.
    private struct ComponentSpec: Sendable {
        var kind: SDKComponent.Kind
        /// The name "not found" messages use.
        var noun: String
        var plural: String
        var parameter: String
        var listKey: String
        var itemKey: String
        var sections: Set<String>
        var requiredOnCreate: [String]
        var optionalOnCreate: [String]
        var updatable: [String]

        static let all: [ComponentSpec] = [
            ComponentSpec(
                kind: .function, noun: "Function", plural: "functions", parameter: "functionName",
                listKey: "appFunctions",
                itemKey: "appFunction", sections: [], requiredOnCreate: ["name"], optionalOnCreate: [],
                updatable: []),
            ComponentSpec(
                kind: .module, noun: "Module", plural: "modules", parameter: "moduleName", listKey: "appModules",
                itemKey: "appModule",
                sections: ["api", "epoch", "parameters", "expect", "interface", "samples", "scope"],
                requiredOnCreate: ["name", "typeId", "label", "description"],
                optionalOnCreate: ["moduleInitMode"], updatable: ["label", "description", "connection"]),
            ComponentSpec(
                kind: .rpc, noun: "RPC", plural: "rpcs", parameter: "rpcName", listKey: "appRpcs", itemKey: "appRpc",
                sections: ["api", "parameters"], requiredOnCreate: ["name", "label"], optionalOnCreate: [],
                updatable: ["label", "connection", "altConnection"]),
            ComponentSpec(
                kind: .endpoint, noun: "Endpoint", plural: "endpoints", parameter: "endpointName",
                listKey: "appEndpoints",
                itemKey: "appEndpoint", sections: ["api", "scope", "inputParameters", "outputParameters"],
                requiredOnCreate: ["name", "label"], optionalOnCreate: ["description", "attachedAccounts"],
                updatable: ["label", "description", "context", "annotations", "attachedAccounts"]),
        ]
    }

    private static func addComponents(_ spec: ComponentSpec, to table: inout RouteTable) {
        let collection = "/sdk/apps/{appName}/{appVersion}/\(spec.plural)"
        let item = collection + "/{\(spec.parameter)}"
        @Sendable func appChange<T: Sendable>(_ request: APIRequest, _ change: (inout SDKApp) throws -> T) throws -> T {
            var result: T?
            try changeApp(request, name: "appName", version: "appVersion") { app in result = try change(&app) }
            return result!
        }
        @Sendable func index(of name: String, in app: SDKApp) throws -> Int {
            guard let index = app.components[spec.kind, default: []].firstIndex(where: { $0.name == name }) else {
                throw MakeError.notFound(spec.noun)
            }
            return index
        }
        @Sendable func component(_ request: APIRequest) throws -> SDKComponent {
            let name = request.path(spec.parameter)
            return try withApp(request, name: "appName", version: "appVersion") { app in
                app.components[spec.kind, default: []][try index(of: name, in: app)]
            }
        }
        @discardableResult
        @Sendable func changeComponent(_ request: APIRequest, _ change: (inout SDKComponent) throws -> Void) throws
            -> SDKComponent
        {
            let name = request.path(spec.parameter)
            return try appChange(request) { app in
                let position = try index(of: name, in: app)
                try change(&app.components[spec.kind]![position])
                return app.components[spec.kind]![position]
            }
        }

        table.add(.get, collection, scope: "sdk-apps:read") { request in
            let items = try withApp(request, name: "appName", version: "appVersion") { app in
                app.components[spec.kind, default: []].map(\.json)
            }
            return .json([spec.listKey: .array(items)])
        }
        table.add(.post, collection, scope: "sdk-apps:write") { request in
            let body = try request.body()
            for field in spec.requiredOnCreate where body[field] == nil || body[field]!.isNull {
                throw MakeError.missingParameter(field)
            }
            let name = try body.requiredString("name")
            if spec.kind == .module {
                guard let typeID = try body.optionalInt("typeId"), [1, 4, 9, 10, 11, 12].contains(typeID) else {
                    throw MakeError.invalidParameter("typeId", expected: "one of 1, 4, 9, 10, 11, 12")
                }
            }
            let info = body.selecting(spec.requiredOnCreate + spec.optionalOnCreate).removing(["name"])
            let created = try appChange(request) { app -> JSON in
                guard !app.components[spec.kind, default: []].contains(where: { $0.name == name }) else {
                    throw MakeError.conflict("'\(name)' already exists in this app.")
                }
                let sections = Dictionary(uniqueKeysWithValues: spec.sections.map { ($0, "{}") })
                let component = SDKComponent(name: name, info: info.merging(["public": false]), sections: sections)
                app.components[spec.kind, default: []].append(component)
                return component.json
            }
            return .json([spec.itemKey: created])
        }
        table.add(.get, item, scope: "sdk-apps:read") { request in
            .json([spec.itemKey: try component(request).json])
        }
        if !spec.updatable.isEmpty {
            table.add(.patch, item, scope: "sdk-apps:write") { request in
                let patch = try request.body().selecting(spec.updatable)
                return .json([spec.itemKey: try changeComponent(request) { $0.info = $0.info.merging(patch) }.json])
            }
        }
        table.add(.delete, item, scope: "sdk-apps:write") { request in
            let name = request.path(spec.parameter)
            try appChange(request) { app in
                _ = try index(of: name, in: app)
                app.components[spec.kind]!.removeAll { $0.name == name }
            }
            return .json([spec.itemKey: .string(name)])
        }
        if !spec.sections.isEmpty {
            table.add(.get, item + "/{section}", scope: "sdk-apps:read") { request in
                let section = try sectionName(request.path("section"), allowed: spec.sections)
                return .text(try component(request).sections[section] ?? "{}", contentType: "application/jsonc")
            }
            table.add(.put, item + "/{section}", scope: "sdk-apps:write") { request in
                let section = try sectionName(request.path("section"), allowed: spec.sections)
                let text = request.bodyText
                try changeComponent(request) { $0.sections[section] = text }
                return .json(["changed": true])
            }
        }
        switch spec.kind {
        case .function:
            for part in ["code", "test"] {
                table.add(.get, item + "/" + part, scope: "sdk-apps:read") { request in
                    let function = try component(request)
                    return .text(part == "code" ? function.code : function.test, contentType: "text/plain")
                }
                table.add(.put, item + "/" + part, scope: "sdk-apps:write") { request in
                    let text = request.bodyText
                    try changeComponent(request) { if part == "code" { $0.code = text } else { $0.test = text } }
                    return .json(["changed": true])
                }
            }
        case .module, .endpoint:
            for (visibility, isPublic) in [("public", true), ("private", false)] {
                table.add(.post, item + "/" + visibility, scope: "sdk-apps:write") { request in
                    try changeComponent(request) { $0.info["public"] = .bool(isPublic) }
                    return .json(["changed": true])
                }
            }
        case .rpc:
            // Testing an RPC posts to the RPC itself with `{data, schema}`: each schema entry names a field of
            // `data`, its type, and whether it is required.
            table.add(.post, item, scope: "sdk-apps:write") { request in
                let body = try request.body()
                let data = try body.requiredObject("data")
                let schema = try body.requiredArray("schema")
                let problems =
                    FieldValidator.definitionProblems(schema)
                    + FieldValidator.problems(in: data, fields: schema)
                guard problems.isEmpty else { throw MakeError.validation(problems) }
                let rpc = try component(request)
                return .json(["response": [["label": .string("\(rpc.name) sample"), "value": "sample"]]])
            }
        }
    }

    // MARK: - Connections and webhooks of an app

    /// Connections and webhooks are listed and created under their app (`/sdk/apps/{appName}/connections`) but
    /// addressed by their own generated name (`/sdk/apps/connections/{connectionName}`): the app's name, then 2, 3…
    private static func addSharedComponents(connections: Bool, to table: inout RouteTable) {
        let plural = connections ? "connections" : "webhooks"
        let itemKey = connections ? "appConnection" : "appWebhook"
        let listKey = connections ? "appConnections" : "appWebhooks"
        let parameter = connections ? "connectionName" : "webhookName"
        let types: Set<String> = connections ? ["basic", "oauth", "oauth1", "apikey", "other"] : ["web", "web-shared"]
        let sections: Set<String> =
            connections
            ? ["api", "parameters", "scopes", "scope", "install", "installSpec"]
            : ["api", "parameters", "attach", "detach", "scope"]
        let item = "/sdk/apps/\(plural)/{\(parameter)}"
        let noun = connections ? "Connection" : "Webhook"

        @Sendable func list(_ state: WorldState) -> [SDKComponent] {
            connections ? state.sdkConnections : state.sdkWebhooks
        }
        @discardableResult
        @Sendable func change(_ request: APIRequest, _ body: (inout SDKComponent) throws -> Void) throws -> SDKComponent
        {
            let name = request.path(parameter)
            return try request.world.write { state in
                var all = list(state)
                guard let index = all.firstIndex(where: { $0.name == name }) else { throw MakeError.notFound(noun) }
                try body(&all[index])
                if connections { state.sdkConnections = all } else { state.sdkWebhooks = all }
                return all[index]
            }
        }
        @Sendable func find(_ request: APIRequest) throws -> SDKComponent {
            let name = request.path(parameter)
            return try request.world.read { state in
                guard let found = list(state).first(where: { $0.name == name }) else { throw MakeError.notFound(noun) }
                return found
            }
        }

        table.add(.get, "/sdk/apps/{appName}/\(plural)", scope: "sdk-apps:read") { request in
            let appName = request.path("appName")
            let items = try request.world.read { state -> [JSON] in
                guard state.sdkApps.contains(where: { $0.name == appName }) else { throw MakeError.notFound("App") }
                return list(state).filter { $0.info["appName"]?.stringValue == appName }.map(\.json)
            }
            return .json([listKey: .array(items)])
        }
        table.add(.post, "/sdk/apps/{appName}/\(plural)", scope: "sdk-apps:write") { request in
            let appName = request.path("appName")
            let body = try request.body()
            let type = try body.requiredString("type")
            guard types.contains(type) else {
                throw MakeError.invalidParameter("type", expected: "one of \(types.sorted().joined(separator: ", "))")
            }
            let label = try body.requiredString("label")
            let created = try request.world.write { state -> JSON in
                guard state.sdkApps.contains(where: { $0.name == appName }) else { throw MakeError.notFound("App") }
                var all = list(state)
                var name = appName
                var suffix = 2
                while all.contains(where: { $0.name == name }) {
                    name = appName + String(suffix)
                    suffix += 1
                }
                let component = SDKComponent(
                    name: name, info: ["appName": .string(appName), "type": .string(type), "label": .string(label)],
                    sections: Dictionary(uniqueKeysWithValues: sections.map { ($0, "{}") }))
                all.append(component)
                if connections { state.sdkConnections = all } else { state.sdkWebhooks = all }
                return component.json
            }
            return .json([itemKey: created])
        }
        table.add(.get, item, scope: "sdk-apps:read") { request in
            .json([itemKey: try find(request).json])
        }
        table.add(.patch, item, scope: "sdk-apps:write") { request in
            let patch = try request.body().selecting(["label"])
            return .json([itemKey: try change(request) { $0.info = $0.info.merging(patch) }.json])
        }
        table.add(.delete, item, scope: "sdk-apps:write") { request in
            let name = request.path(parameter)
            try request.world.write { state in
                guard list(state).contains(where: { $0.name == name }) else { throw MakeError.notFound(noun) }
                if connections {
                    state.sdkConnections.removeAll { $0.name == name }
                } else {
                    state.sdkWebhooks.removeAll { $0.name == name }
                }
            }
            return .json([itemKey: .string(name)])
        }
        table.add(.get, item + "/{section}", scope: "sdk-apps:read") { request in
            let section = try sectionName(request.path("section"), allowed: sections)
            return .text(try find(request).sections[section] ?? "{}", contentType: "application/jsonc")
        }
        table.add(.put, item + "/{section}", scope: "sdk-apps:write") { request in
            let section = try sectionName(request.path("section"), allowed: sections)
            let text = request.bodyText
            try change(request) { $0.sections[section] = text }
            return .json(["changed": true])
        }
        if connections {
            table.add(.get, item + "/common", scope: "sdk-apps:read") { request in
                .json(try find(request).common)
            }
            table.add(.put, item + "/common", scope: "sdk-apps:write") { request in
                let common = try request.body()
                try change(request) { $0.common = common }
                return .json(["changed": true])
            }
        }
    }
}
