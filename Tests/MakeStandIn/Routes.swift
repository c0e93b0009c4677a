import HTTPServer

/// Every Make API endpoint of make-catalog.md §6 (and a few neighbours from make-api.md §5), registered by
/// concern in the `Routes+…` files. Scopes follow the catalog's Scope column.
enum Routes {
    static func all() -> RouteTable {
        var table = RouteTable()
        addScenarios(to: &table)
        addExecutions(to: &table)
        addIntegrations(to: &table)
        addDataStores(to: &table)
        addOrganizations(to: &table)
        addCatalogs(to: &table)
        addSDKApps(to: &table)
        return table
    }

    /// A list response: the page of `items` under `key`, columns selected, and the `pg` object echoed.
    static func list(_ key: String, _ items: [JSON], _ request: APIRequest, defaults: Page = .byID) throws
        -> HTTPResponse
    {
        let page = try request.page(defaults)
        let columns = request.columns
        return .json([key: .array(page.apply(to: items).map { columns.apply(to: $0) }), "pg": page.json])
    }

    /// One resource under `key`, columns selected.
    static func single(_ key: String, _ item: JSON, _ request: APIRequest) -> HTTPResponse {
        .json([key: request.columns.apply(to: item)])
    }

    /// A value that must be a JSON object encoded as a string inside the JSON body (Make's `blueprint` and
    /// `scheduling`, make-api.md §4); an object sent as such is refused, as Make expects a string.
    static func embeddedJSON(_ body: JSON, _ name: String) throws -> JSON? {
        guard let value = body[name], !value.isNull else { return nil }
        guard let text = value.stringValue else {
            throw MakeError.invalidParameter(name, expected: "a JSON-encoded string")
        }
        guard let parsed = JSON.parse(text), parsed.objectValue != nil else {
            throw MakeError.invalidParameter(name, expected: "a JSON-encoded object")
        }
        return parsed
    }
}
