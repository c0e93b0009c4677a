import HTTPServer

/// Data stores, their records, and data structures (make-catalog.md §6: data-stores, data-store-records,
/// data-structures; make-api.md §5.6).
extension Routes {
    static func addDataStores(to table: inout RouteTable) {
        addStores(to: &table)
        addRecords(to: &table)
        addDataStructures(to: &table)
    }

    // MARK: - Data stores

    private static func addStores(to table: inout RouteTable) {
        table.add(.get, "/data-stores", scope: "datastores:read") { request in
            let items = try teamItems(.dataStore, request)
            let shown = try request.world.read { state in items.map { storeJSON($0, in: state) } }
            return try list("dataStores", shown, request)
        }
        table.add(.get, "/data-stores/{dataStoreId}", scope: "datastores:read") { request in
            let item = try request.world.read { state in
                storeJSON(try state.require(.dataStore, id: request.path("dataStoreId")), in: state)
            }
            return single("dataStore", item, request)
        }
        table.add(.post, "/data-stores", scope: "datastores:write") { request in
            let body = try request.body()
            let name = try body.requiredString("name")
            let teamID = try body.requiredInt("teamId")
            let maxSize = try body.requiredInt("maxSizeMB")
            guard maxSize >= 1 else { throw MakeError.invalidParameter("maxSizeMB", expected: "at least 1") }
            let structureID = try body.optionalInt("datastructureId")
            let item = try request.world.write { state -> JSON in
                try state.requireTeam(teamID)
                if let structureID { _ = try state.require(.dataStructure, id: structureID) }
                let store = state.add(
                    .dataStore,
                    [
                        "name": .string(name), "teamId": .int(teamID),
                        "datastructureId": JSON(structureID), "maxSizeMB": .int(maxSize),
                    ])
                state.records[store["id"]!.intValue!] = []
                return storeJSON(store, in: state)
            }
            return .json(["dataStore": item])
        }
        table.add(.patch, "/data-stores/{dataStoreId}", scope: "datastores:write") { request in
            let body = try request.body()
            let patch = body.selecting(["name", "maxSizeMB", "datastructureId"])
            let structureID = try body.optionalInt("datastructureId")
            _ = try body.optionalInt("maxSizeMB")
            let item = try request.world.write { state -> JSON in
                if let structureID { _ = try state.require(.dataStructure, id: structureID) }
                return storeJSON(try state.merge(.dataStore, id: request.path("dataStoreId"), patch), in: state)
            }
            return .json(["dataStore": item])
        }
        table.add(.delete, "/data-stores/{dataStoreId}", scope: "datastores:write") { request in
            try request.requireConfirmation()
            let id = try request.pathInt("dataStoreId")
            try request.world.write { state in
                try state.remove(.dataStore, id: String(id))
                state.records[id] = nil
            }
            return .json(["dataStore": .int(id)])
        }
    }

    /// A data store with its live `records` count and `size` in bytes.
    private static func storeJSON(_ store: JSON, in state: WorldState) -> JSON {
        let records = state.records[store["id"]?.intValue ?? 0] ?? []
        let bytes = records.reduce(0) { $0 + $1.data.encoded.count }
        return store.merging([
            "records": .int(records.count), "size": .string(String(bytes)),
            "maxSize": .string(String((store["maxSizeMB"]?.intValue ?? 1) * 1_048_576)),
        ])
    }

    // MARK: - Records

    private static func addRecords(to table: inout RouteTable) {
        let path = "/data-stores/{dataStoreId}/data"
        table.add(.get, path, scope: "datastores:read") { request in
            let id = try request.pathInt("dataStoreId")
            let page = try request.page(.records)
            let (records, spec, strict) = try request.world.read { state -> ([JSON], JSON, Bool) in
                let store = try state.require(.dataStore, id: id)
                let (spec, strict) = structure(of: store, in: state)
                return ((state.records[id] ?? []).map(\.json), .array(spec), strict)
            }
            return .json([
                "records": .array(page.apply(to: records)), "spec": spec, "strict": .bool(strict),
                "count": .int(records.count), "pg": ["limit": .int(page.limit), "offset": .int(page.offset)],
            ])
        }
        table.add(.post, path, scope: "datastores:write") { request in
            let id = try request.pathInt("dataStoreId")
            let body = try request.body()
            let data = try body.requiredObject("data")
            let key = try body.optionalString("key") ?? RandomID.hex(12)
            let record = try request.world.write { state -> JSON in
                try checkRecord(data, store: id, in: state)
                guard !(state.records[id] ?? []).contains(where: { $0.key == key }) else {
                    throw MakeError.conflict("A record with the key '\(key)' already exists.")
                }
                let record = DataStoreRecord(key: key, data: data)
                state.records[id, default: []].append(record)
                return record.json
            }
            return .json(record)
        }
        table.add(.put, path + "/{key}", scope: "datastores:write") { request in
            try writeRecord(request, replacing: true)
        }
        table.add(.patch, path + "/{key}", scope: "datastores:write") { request in
            try writeRecord(request, replacing: false)
        }
        // Body `{keys: [...]}`, or `{all: true, exceptKeys: [...]}`; always with `confirmed=true`.
        table.add(.delete, path, scope: "datastores:write") { request in
            try request.requireConfirmation()
            let id = try request.pathInt("dataStoreId")
            let body = try request.body()
            let deleted = try request.world.write { state -> [String] in
                _ = try state.require(.dataStore, id: id)
                let keys: Set<String>
                if body["all"] == true {
                    let except = Set(body["exceptKeys"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                    keys = Set((state.records[id] ?? []).map(\.key)).subtracting(except)
                } else {
                    keys = Set(try body.requiredArray("keys").compactMap(\.stringValue))
                }
                let present = (state.records[id] ?? []).map(\.key).filter(keys.contains)
                state.records[id]?.removeAll { keys.contains($0.key) }
                return present
            }
            return .json(["keys": .array(deleted.map(JSON.string))])
        }
    }

    /// PUT replaces (and creates) a record; PATCH changes the named fields of an existing one. The body is the data.
    private static func writeRecord(_ request: APIRequest, replacing: Bool) throws -> HTTPResponse {
        let id = try request.pathInt("dataStoreId")
        let key = request.path("key")
        let data = try request.body()
        let record = try request.world.write { state -> JSON in
            _ = try state.require(.dataStore, id: id)
            let index = state.records[id]?.firstIndex { $0.key == key }
            let merged: JSON
            if replacing {
                merged = data
            } else {
                guard let index else { throw MakeError.notFound("Record") }
                merged = state.records[id]![index].data.merging(data)
            }
            try checkRecord(merged, store: id, in: state)
            let record = DataStoreRecord(key: key, data: merged)
            if let index { state.records[id]![index] = record } else { state.records[id, default: []].append(record) }
            return record.json
        }
        return .json(record)
    }

    /// Records must fit the store's data structure (unknown fields refused when it is strict) and its size limit.
    private static func checkRecord(_ data: JSON, store id: Int, in state: WorldState) throws {
        let store = try state.require(.dataStore, id: id)
        let (spec, strict) = structure(of: store, in: state)
        let problems = FieldValidator.problems(in: data, fields: spec, strict: strict)
        guard problems.isEmpty else { throw MakeError.validation(problems) }
        let used = (state.records[id] ?? []).reduce(0) { $0 + $1.data.encoded.count }
        if used + data.encoded.count > (store["maxSizeMB"]?.intValue ?? 1) * 1_048_576 {
            throw MakeError.badRequest("The data store is full.", code: "IM003")
        }
    }

    private static func structure(of store: JSON, in state: WorldState) -> ([JSON], Bool) {
        guard let structureID = store["datastructureId"]?.intValue,
            let structure = state.item(.dataStructure, id: String(structureID))
        else { return ([], false) }
        return (structure["spec"]?.arrayValue ?? [], structure["strict"]?.boolValue ?? false)
    }

    // MARK: - Data structures

    private static func addDataStructures(to table: inout RouteTable) {
        table.add(.get, "/data-structures", scope: "udts:read") { request in
            try list("dataStructures", try teamItems(.dataStructure, request), request)
        }
        table.add(.get, "/data-structures/{dataStructureId}", scope: "udts:read") { request in
            let item = try request.world.read { try $0.require(.dataStructure, id: request.path("dataStructureId")) }
            return single("dataStructure", item, request)
        }
        table.add(.post, "/data-structures", scope: "udts:write") { request in
            let body = try request.body()
            let teamID = try body.requiredInt("teamId")
            let name = try body.requiredString("name")
            let strict = try body.requiredBool("strict")
            let spec = try checkedSpec(try body.requiredArray("spec"))
            let item = try request.world.write { state -> JSON in
                try state.requireTeam(teamID)
                return state.add(
                    .dataStructure,
                    [
                        "name": .string(name), "teamId": .int(teamID),
                        "strict": .bool(strict), "spec": .array(spec),
                    ])
            }
            return .json(["dataStructure": item])
        }
        table.add(.patch, "/data-structures/{dataStructureId}", scope: "udts:write") { request in
            let body = try request.body()
            if let spec = body["spec"]?.arrayValue { _ = try checkedSpec(spec) }
            if let strict = body["strict"], strict.boolValue == nil {
                throw MakeError.invalidParameter("strict", expected: "boolean")
            }
            let patch = body.selecting(["name", "strict", "spec"])
            let item = try request.world.write {
                try $0.merge(.dataStructure, id: request.path("dataStructureId"), patch)
            }
            return .json(["dataStructure": item])
        }
        table.add(.delete, "/data-structures/{dataStructureId}", scope: "udts:write") { request in
            try request.requireConfirmation()
            let id = try request.pathInt("dataStructureId")
            try request.world.write { _ = try $0.remove(.dataStructure, id: String(id)) }
            return .json(["dataStructure": .int(id)])
        }
        table.add(.post, "/data-structures/{dataStructureId}/clone", scope: "udts:write") { request in
            let body = try request.body()
            let name = try body.requiredString("name")
            let targetTeamID = try body.requiredInt("targetTeamId")
            let item = try request.world.write { state -> JSON in
                let source = try state.require(.dataStructure, id: request.path("dataStructureId"))
                try state.requireTeam(targetTeamID)
                let copy = source.removing(["id"]).merging(["name": .string(name), "teamId": .int(targetTeamID)])
                return state.add(.dataStructure, copy)
            }
            return .json(["dataStructure": item])
        }
    }

    private static func checkedSpec(_ spec: [JSON]) throws -> [JSON] {
        let problems = FieldValidator.definitionProblems(spec)
        guard problems.isEmpty else { throw MakeError.validation(problems) }
        return spec
    }
}
