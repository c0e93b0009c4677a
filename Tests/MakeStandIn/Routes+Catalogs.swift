import HTTPServer

/// Read-only lookups: enums and public templates (make-catalog.md §6: enums, public-templates).
extension Routes {
    static func addCatalogs(to table: inout RouteTable) {
        table.add(.get, "/enums/countries", scope: nil) { _ in .json(["countries": .array(Catalogs.countries)]) }
        table.add(.get, "/enums/imt-regions", scope: nil) { _ in .json(["imtRegions": .array(Catalogs.regions)]) }
        table.add(.get, "/enums/timezones", scope: nil) { _ in .json(["timezones": .array(Catalogs.timezones)]) }
        table.add(.get, "/enums/connected-system-apps", scope: "agents:read") { _ in
            .json(["connectedSystemApps": .array(Catalogs.connectedSystemApps)])
        }
        table.add(.get, "/ping", scope: nil) { _ in .text(.ok, "pong") }

        // `name` is a substring filter, `usedApps[]` keeps templates using every listed app, `includeEn` adds
        // English templates to another language's list (all are English here).
        table.add(.get, "/templates/public", scope: "templates:read") { request in
            let name = request.query["name"]?.lowercased()
            let apps = Set(request.query.values("usedApps"))
            let items = try request.world.read { $0.items(.publicTemplate) }.filter { template in
                let used = Set(template["usedApps"]?.arrayValue?.compactMap(\.stringValue) ?? [])
                return (name == nil || template["name"]?.stringValue?.lowercased().contains(name!) == true)
                    && apps.isSubset(of: used)
            }
            return try list("templatesPublic", items, request, defaults: .byName)
        }
        table.add(.get, "/templates/public/{templateUrl}", scope: "templates:read") { request in
            let template = try publicTemplate(request)
            return single("templatePublic", template.merging(["controller": ["steps": []], "teamId": nil]), request)
        }
        table.add(.get, "/templates/public/{templateUrl}/blueprint", scope: "templates:read") { request in
            let template = try publicTemplate(request)
            let modules = (template["usedApps"]?.arrayValue ?? []).compactMap(\.stringValue).map { "\($0):Action" }
            return .json([
                "blueprint": Scenario.blueprint(named: template["name"]?.stringValue ?? "", modules: modules),
                "controller": ["steps": []], "scheduling": ["type": "indefinitely", "interval": 900],
                "language": template["language"] ?? "en", "metadata": ["instant": false, "version": 1],
            ])
        }
    }

    private static func publicTemplate(_ request: APIRequest) throws -> JSON {
        let url = request.path("templateUrl")
        guard
            let template = try request.world.read({ state in
                state.items(.publicTemplate).first { $0["url"]?.stringValue == url || $0["id"]?.matchesID(url) == true }
            })
        else { throw MakeError.notFound("Template") }
        return template
    }
}
