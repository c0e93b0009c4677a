import Foundation
import HTTPServer

/// Scenarios, their blueprints, interfaces, runs and custom properties, and scenario folders
/// (make-catalog.md §6: scenarios, folders, scenario-custom-properties).
extension Routes {
    static func addScenarios(to table: inout RouteTable) {
        table.add(.get, "/scenarios", scope: "scenarios:read", listScenarios)
        table.add(.post, "/scenarios", scope: "scenarios:write", createScenario)
        table.add(.get, "/scenarios/{scenarioId}", scope: "scenarios:read") { request in
            let id = try request.pathInt("scenarioId")
            return single("scenario", try request.world.read { try $0.json(for: $0.scenario(id)) }, request)
        }
        table.add(.patch, "/scenarios/{scenarioId}", scope: "scenarios:write", updateScenario)
        table.add(.delete, "/scenarios/{scenarioId}", scope: "scenarios:write") { request in
            let id = try request.pathInt("scenarioId")
            try request.world.write { state in
                _ = try state.scenario(id)
                state.scenarios.removeAll { $0.id == id }
            }
            return .json(["scenario": .int(id)])
        }
        table.add(.post, "/scenarios/{scenarioId}/start", scope: "scenarios:write") { request in
            try setActive(true, request)
        }
        table.add(.post, "/scenarios/{scenarioId}/stop", scope: "scenarios:write") { request in
            try setActive(false, request)
        }
        table.add(.post, "/scenarios/{scenarioId}/run", scope: "scenarios:run", runScenario)
        table.add(.get, "/scenarios/{scenarioId}/blueprint", scope: "scenarios:read") { request in
            let id = try request.pathInt("scenarioId")
            let response = try request.world.read { try $0.scenario(id).blueprintResponse }
            return .json(["code": "OK", "response": response])
        }
        table.add(.get, "/scenarios/{scenarioId}/blueprints", scope: "scenarios:read") { request in
            let id = try request.pathInt("scenarioId")
            let scenario = try request.world.read { try $0.scenario(id) }
            return .json([
                "scenariosBlueprints": [
                    [
                        "version": 1, "created": .date(scenario.lastEdit),
                        "scenarioId": .int(id), "draft": false,
                    ]
                ]
            ])
        }
        table.add(.get, "/scenarios/{scenarioId}/interface", scope: "scenarios:read") { request in
            let id = try request.pathInt("scenarioId")
            return .json(["interface": try request.world.read { try $0.scenario(id).interfaceJSON }])
        }
        table.add(.patch, "/scenarios/{scenarioId}/interface", scope: "scenarios:write", setInterface)
        table.add(.get, "/scenarios/{scenarioId}/usage", scope: "scenarios:read") { request in
            let id = try request.pathInt("scenarioId")
            _ = try request.world.read { try $0.scenario(id) }
            let days = (0..<30).map { offset -> JSON in
                let day = Date().addingTimeInterval(-Double(offset) * 86_400)
                return [
                    "date": .string(String(JSON.date(day).stringValue!.prefix(10))), "operations": 0,
                    "dataTransfer": 0, "centicredits": 0,
                ]
            }
            return .json(["data": .array(days)])
        }
        addCustomProperties(to: &table)
        addFolders(to: &table)
    }

    // MARK: - Scenarios

    /// `teamId` xor `organizationId` (make-api.md §4), plus the `folderId`, `isActive` and `id[]` filters.
    private static func listScenarios(_ request: APIRequest) throws -> HTTPResponse {
        let teamID = try request.optionalQueryInt("teamId")
        let organizationID = try request.optionalQueryInt("organizationId")
        switch (teamID, organizationID) {
        case (nil, nil): throw MakeError.badRequest("Missing required parameter teamId or organizationId")
        case (.some, .some): throw MakeError.badRequest("teamId and organizationId cannot be used together")
        default: break
        }
        let folderID = try request.optionalQueryInt("folderId")
        let isActive = request.query.bool("isActive")
        let ids = Set(request.query.values("id").compactMap(Int.init))
        let items = try request.world.read { state -> [JSON] in
            let teams =
                organizationID.map { organization in
                    Set(
                        state.items(.team).filter { $0["organizationId"]?.intValue == organization }
                            .compactMap { $0["id"]?.intValue })
                } ?? [teamID!]
            return state.scenarios.filter { scenario in
                teams.contains(scenario.teamID) && (folderID == nil || scenario.folderID == folderID)
                    && (isActive == nil || scenario.isActive == isActive) && (ids.isEmpty || ids.contains(scenario.id))
            }.map(state.json(for:))
        }
        return try list("scenarios", items, request, defaults: .scenarios)
    }

    /// `POST /scenarios`: `teamId`, `blueprint` and `scheduling` (JSON strings), `folderId?`, `basedon?`,
    /// `metadata: {input_spec, output_spec}`. New scenarios start inactive, as on Make.
    private static func createScenario(_ request: APIRequest) throws -> HTTPResponse {
        let body = try request.body()
        let teamID = try body.requiredInt("teamId")
        guard let blueprint = try embeddedJSON(body, "blueprint") else { throw MakeError.missingParameter("blueprint") }
        guard let scheduling = try embeddedJSON(body, "scheduling") else {
            throw MakeError.missingParameter("scheduling")
        }
        try validate(blueprint: blueprint, scheduling: scheduling)
        let (input, output) = try interface(fromMetadata: body["metadata"])
        let folderID = try body.optionalInt("folderId")
        let json = try request.world.write { state -> JSON in
            try state.requireTeam(teamID)
            if let folderID { _ = try state.require(.folder, id: folderID) }
            let now = Date()
            let scenario = Scenario(
                id: state.nextScenarioID, teamID: teamID, folderID: folderID, hookID: nil,
                name: blueprint["name"]?.stringValue ?? "New scenario", isActive: false, scheduling: scheduling,
                blueprint: blueprint, input: input, output: output, created: now, lastEdit: now, run: .init())
            state.scenarios.append(scenario)
            return state.json(for: scenario).merging(["blueprint": blueprint])
        }
        return single("scenario", json, request)
    }

    /// `PATCH /scenarios/{id}`: any of `name`, `description`, `folderId`, `blueprint`, `scheduling`. The interface in
    /// `metadata` travels with a blueprint and is applied only together with one, so the empty `metadata` the SDK
    /// sends on a rename does not wipe the interface.
    private static func updateScenario(_ request: APIRequest) throws -> HTTPResponse {
        let id = try request.pathInt("scenarioId")
        let body = try request.body()
        let blueprint = try embeddedJSON(body, "blueprint")
        let scheduling = try embeddedJSON(body, "scheduling")
        if let blueprint { try validate(blueprint: blueprint, scheduling: nil) }
        if let scheduling { try validate(blueprint: nil, scheduling: scheduling) }
        let name = try body.optionalString("name")
        let description = try body.optionalString("description")
        if let description, description.count > 240 {
            throw MakeError.invalidParameter("description", expected: "at most 240 characters")
        }
        let folder = body["folderId"]
        let folderID = try body.optionalInt("folderId")
        let interface = blueprint == nil ? nil : try Self.interface(fromMetadata: body["metadata"])
        let json = try request.world.write { state -> JSON in
            if let folderID { _ = try state.require(.folder, id: folderID) }
            let scenario = try state.updateScenario(id) { scenario in
                if let blueprint {
                    scenario.blueprint = blueprint
                    if name == nil, let blueprintName = blueprint["name"]?.stringValue { scenario.name = blueprintName }
                }
                if let interface, interface.input != nil || interface.output != nil {
                    scenario.input = interface.input
                    scenario.output = interface.output
                }
                if let scheduling { scenario.scheduling = scheduling }
                if let name { scenario.name = name }
                if let description { scenario.description = description }
                if folder != nil { scenario.folderID = folderID }
                scenario.lastEdit = Date()
            }
            return state.json(for: scenario)
        }
        return single("scenario", json, request)
    }

    private static func validate(blueprint: JSON?, scheduling: JSON?) throws {
        if let blueprint {
            guard blueprint["name"]?.stringValue != nil, blueprint["flow"]?.arrayValue != nil else {
                throw MakeError.invalidParameter("blueprint", expected: "a blueprint with name and flow")
            }
        }
        if let scheduling {
            guard let type = scheduling["type"]?.stringValue, Scenario.schedulingTypes.contains(type) else {
                throw MakeError.invalidParameter(
                    "scheduling", expected: "type one of \(Scenario.schedulingTypes.sorted().joined(separator: ", "))")
            }
            if type == "indefinitely", let interval = scheduling["interval"]?.intValue, interval < 60 {
                throw MakeError.invalidParameter("scheduling.interval", expected: "at least 60 seconds")
            }
        }
    }

    /// The interface carried in `metadata: {input_spec, output_spec}`; empty lists mean none.
    private static func interface(fromMetadata metadata: JSON?) throws -> (input: [JSON]?, output: [JSON]?) {
        guard let metadata, !metadata.isNull else { return (nil, nil) }
        let input = metadata["input_spec"]?.arrayValue ?? []
        let output = metadata["output_spec"]?.arrayValue ?? []
        let problems = FieldValidator.definitionProblems(input) + FieldValidator.definitionProblems(output)
        guard problems.isEmpty else { throw MakeError.validation(problems) }
        return (input.isEmpty ? nil : input, output.isEmpty ? nil : output)
    }

    /// Start and stop. Starting an interval-scheduled scenario also runs it at once (make-api.md §5.1).
    private static func setActive(_ isActive: Bool, _ request: APIRequest) throws -> HTTPResponse {
        let id = try request.pathInt("scenarioId")
        try request.world.write { state in
            let scenario = try state.updateScenario(id) { $0.isActive = isActive }
            if isActive, scenario.scheduling["type"]?.stringValue == "indefinitely" {
                _ = try state.startRun(scenarioID: id, data: [:], type: "auto")
            }
        }
        return .json(["scenario": ["id": .int(id), "isActive": .bool(isActive)]])
    }

    /// `PATCH /scenarios/{id}/interface`: only on-demand scenarios take inputs (IM016, HTTP 422).
    private static func setInterface(_ request: APIRequest) throws -> HTTPResponse {
        let id = try request.pathInt("scenarioId")
        let interface = try request.body().requiredObject("interface")
        let input = interface["input"]?.arrayValue
        let output = interface["output"]?.arrayValue
        let problems = FieldValidator.definitionProblems(input ?? []) + FieldValidator.definitionProblems(output ?? [])
        guard problems.isEmpty else { throw MakeError.validation(problems) }
        let json = try request.world.write { state -> JSON in
            let scenario = try state.scenario(id)
            if let input, !input.isEmpty, !scenario.isOnDemand {
                throw MakeError.blockedByDependencies("Scenario inputs can be set only on on-demand scenarios.")
            }
            return try state.updateScenario(id) { scenario in
                if interface["input"] != nil { scenario.input = input?.isEmpty == false ? input : nil }
                if interface["output"] != nil { scenario.output = output?.isEmpty == false ? output : nil }
                scenario.lastEdit = Date()
            }.interfaceJSON
        }
        return .json(["interface": json])
    }

    // MARK: - Run

    /// `POST /scenarios/{id}/run` with `{data, responsive, callbackUrl}` (make-api.md §5.1, "Run semantics"):
    /// `responsive: false` answers `{executionId}` at once; `responsive: true` waits for the run up to the
    /// responsive limit and answers `{executionId, status, outputs}`, or just `{executionId}` when the run takes
    /// longer (it goes on, and the executions endpoints report it).
    private static func runScenario(_ request: APIRequest) async throws -> HTTPResponse {
        let id = try request.pathInt("scenarioId")
        let body = try request.body()
        let data = body["data"] ?? [:]
        guard data.objectValue != nil else { throw MakeError.invalidParameter("data", expected: "object") }
        if let responsive = body["responsive"], !responsive.isNull, responsive.boolValue == nil {
            throw MakeError.invalidParameter("responsive", expected: "boolean")
        }
        _ = try body.optionalString("callbackUrl")
        let responsive = body["responsive"]?.boolValue ?? false
        let execution = try request.world.write { try $0.startRun(scenarioID: id, data: data, type: "manual") }
        guard responsive else { return .json(["executionId": .string(execution.id)]) }
        guard execution.duration <= request.settings.responsiveLimit else {
            try? await Task.sleep(for: request.settings.responsiveLimit)
            return .json(["executionId": .string(execution.id)])
        }
        if execution.duration > .zero { try? await Task.sleep(until: execution.started + execution.duration) }
        return .json(execution.finishedRunJSON(at: .now))
    }

    // MARK: - Custom properties

    private static func addCustomProperties(to table: inout RouteTable) {
        let path = "/scenarios/{scenarioId}/custom-properties"
        table.add(.get, path, scope: "scenarios:read") { request in
            let id = try request.pathInt("scenarioId")
            return .json(["customProperties": try request.world.read { try $0.scenario(id).customProperties }])
        }
        table.add(.post, path, scope: "scenarios:write") { request in
            try writeCustomProperties(request) { current, new in
                guard current.objectValue?.isEmpty ?? true else {
                    throw MakeError.conflict("The scenario already has custom properties; use PUT or PATCH.")
                }
                return new
            }
        }
        table.add(.put, path, scope: "scenarios:write") { request in
            try writeCustomProperties(request) { _, new in new }
        }
        table.add(.patch, path, scope: "scenarios:write") { request in
            try writeCustomProperties(request) { current, new in
                var merged = current.objectValue ?? [:]
                for (key, value) in new.objectValue ?? [:] { merged[key] = value.isNull ? nil : value }
                return .object(merged)
            }
        }
        table.add(.delete, path, scope: "scenarios:write") { request in
            let id = try request.pathInt("scenarioId")
            try request.world.write { try $0.updateScenario(id) { $0.customProperties = [:] } }
            return .json(["customProperties": [:]])
        }
    }

    /// Checks the body against the organization's custom property structure items, then stores `combine`'s result.
    private static func writeCustomProperties(
        _ request: APIRequest, combine: (JSON, JSON) throws -> JSON
    ) throws -> HTTPResponse {
        let id = try request.pathInt("scenarioId")
        let properties = try request.body()
        let json = try request.world.write { state -> JSON in
            let items = state.items(.customPropertyItem)
            var problems: [String] = []
            for (name, value) in properties.objectValue ?? [:] where !value.isNull {
                guard let item = items.first(where: { $0["name"]?.stringValue == name }) else {
                    problems.append("Unknown custom property '\(name)'.")
                    continue
                }
                if !customPropertyAccepts(item, value) {
                    problems.append("Invalid value of custom property '\(name)'.")
                }
            }
            guard problems.isEmpty else { throw MakeError.validation(problems) }
            return try state.updateScenario(id) { scenario in
                scenario.customProperties = try combine(scenario.customProperties, properties)
            }.customProperties
        }
        return .json(["customProperties": json])
    }

    private static func customPropertyAccepts(_ item: JSON, _ value: JSON) -> Bool {
        let options = item["options"]?.arrayValue?.compactMap { $0["value"] } ?? []
        switch item["type"]?.stringValue {
        case "number": return value.doubleValue != nil
        case "boolean": return value.boolValue != nil
        case "dropdown": return options.contains(value)
        case "multiselect": return value.arrayValue?.allSatisfy { options.contains($0) } ?? false
        default: return value.stringValue != nil
        }
    }

    // MARK: - Folders

    private static func addFolders(to table: inout RouteTable) {
        table.add(.get, "/scenarios-folders", scope: "scenarios:read") { request in
            let teamID = try request.requiredQueryInt("teamId")
            let parentID = try request.optionalQueryInt("parentId")
            let nested = request.query["childrenDepth"] == "all"
            let items = try request.world.read { state -> [JSON] in
                let folders = state.items(.folder).filter { $0["teamId"]?.intValue == teamID }
                    .map { folderJSON($0, in: state) }
                guard nested else {
                    return parentID == nil ? folders : folders.filter { $0["parentId"]?.intValue == parentID }
                }
                func children(of parent: Int?) -> [JSON] {
                    folders.filter { $0["parentId"]?.intValue == parent }.map { folder in
                        folder.merging(["children": .array(children(of: folder["id"]?.intValue))])
                    }
                }
                return children(of: parentID)
            }
            return try list("scenariosFolders", items, request, defaults: .byName)
        }
        table.add(.post, "/scenarios-folders", scope: "scenarios:write") { request in
            let body = try request.body()
            let teamID = try body.requiredInt("teamId")
            let name = try body.requiredString("name")
            let parentID = try body.optionalInt("parentId")
            let folder = try request.world.write { state -> JSON in
                try state.requireTeam(teamID)
                if let parentID { _ = try state.require(.folder, id: parentID) }
                try requireUniqueFolderName(name, teamID: teamID, parentID: parentID, except: nil, in: state)
                let position = state.items(.folder).filter { $0["teamId"]?.intValue == teamID }.count + 1
                let added = state.add(
                    .folder,
                    [
                        "name": .string(name), "teamId": .int(teamID),
                        "parentId": JSON(parentID), "position": .int(position),
                    ])
                return folderJSON(added, in: state)
            }
            return .json(["scenarioFolder": folder])
        }
        table.add(.patch, "/scenarios-folders/{folderId}", scope: "scenarios:write") { request in
            let id = try request.pathInt("folderId")
            let body = try request.body()
            let name = try body.optionalString("name")
            let parentID = try body.optionalInt("parentId")
            let folder = try request.world.write { state -> JSON in
                let current = try state.require(.folder, id: id)
                let teamID = current["teamId"]?.intValue ?? 0
                if let parentID {
                    _ = try state.require(.folder, id: parentID)
                    guard parentID != id else { throw MakeError.badRequest("A folder cannot be its own parent.") }
                }
                let newParent = body["parentId"] == nil ? current["parentId"]?.intValue : parentID
                try requireUniqueFolderName(
                    name ?? current["name"]?.stringValue ?? "", teamID: teamID,
                    parentID: newParent, except: id, in: state)
                var patch: JSON = [:]
                if let name { patch["name"] = .string(name) }
                if body["parentId"] != nil { patch["parentId"] = JSON(parentID) }
                return folderJSON(try state.merge(.folder, id: String(id), patch), in: state)
            }
            return single("scenarioFolder", folder, request)
        }
        table.add(.delete, "/scenarios-folders/{folderId}", scope: "scenarios:write") { request in
            let id = try request.pathInt("folderId")
            try request.world.write { state in
                try state.remove(.folder, id: String(id))
                for index in state.scenarios.indices where state.scenarios[index].folderID == id {
                    state.scenarios[index].folderID = nil
                }
            }
            return .json(["scenarioFolder": .int(id)])
        }
    }

    /// Two folders of one parent cannot share a name (409).
    private static func requireUniqueFolderName(
        _ name: String, teamID: Int, parentID: Int?, except: Int?,
        in state: WorldState
    ) throws {
        let clash = state.items(.folder).contains {
            $0["teamId"]?.intValue == teamID && $0["parentId"]?.intValue == parentID
                && $0["name"]?.stringValue == name && $0["id"]?.intValue != except
        }
        if clash { throw MakeError.conflict("A folder named '\(name)' already exists here.") }
    }

    /// A folder with its `path` and `scenariosTotal`.
    private static func folderJSON(_ folder: JSON, in state: WorldState) -> JSON {
        let id = folder["id"]?.intValue
        var names: [String] = []
        var current: JSON? = folder
        while let node = current, names.count < 32 {
            names.insert(node["name"]?.stringValue ?? "", at: 0)
            current = node["parentId"]?.intValue.flatMap { state.item(.folder, id: String($0)) }
        }
        return folder.merging([
            "path": .string(names.joined(separator: "/")),
            "scenariosTotal": .int(state.scenarios.filter { $0.folderID == id }.count),
        ])
    }
}
