/// Make's list paging (make-api.md §4): `pg[offset]`, `pg[limit]`, `pg[sortBy]` and `pg[sortDir]` in the query,
/// echoed back as the response's `pg` object. Defaults differ per endpoint, as they do on Make.
struct Page: Sendable {
    var offset: Int
    var limit: Int
    var sortBy: String
    var sortDir: String

    /// The largest `pg[limit]` accepted; larger values are clamped.
    static let maximumLimit = 10_000

    /// Scenarios: `{"sortBy":"proprietal","limit":10,"sortDir":"desc"}` per the SDK's mock of Make.
    static let scenarios = Page(offset: 0, limit: 10, sortBy: "proprietal", sortDir: "desc")
    /// Execution logs: newest first by `imtId`, 50 at a time.
    static let logs = Page(offset: 0, limit: 50, sortBy: "imtId", sortDir: "desc")
    /// Data-store records: 10 at a time.
    static let records = Page(offset: 0, limit: 10, sortBy: "key", sortDir: "asc")
    /// Teams and most other collections: everything, by name.
    static let byName = Page(offset: 0, limit: 10_000, sortBy: "name", sortDir: "asc")
    static let byID = Page(offset: 0, limit: 10_000, sortBy: "id", sortDir: "asc")

    /// The page a request asks for, starting from an endpoint's defaults.
    init(query: QueryItems, defaults: Page) throws(MakeError) {
        self = defaults
        if let text = query["pg[offset]"] {
            guard let value = Int(text), value >= 0 else { throw .invalidParameter("pg[offset]", expected: "number") }
            offset = value
        }
        if let text = query["pg[limit]"] {
            guard let value = Int(text), value >= 1 else { throw .invalidParameter("pg[limit]", expected: "number") }
            limit = min(value, Self.maximumLimit)
        }
        if let text = query["pg[sortBy]"], !text.isEmpty { sortBy = text }
        if let text = query["pg[sortDir]"] {
            guard text == "asc" || text == "desc" else {
                throw .invalidParameter("pg[sortDir]", expected: "one of asc, desc")
            }
            sortDir = text
        }
    }

    private init(offset: Int, limit: Int, sortBy: String, sortDir: String) {
        self.offset = offset
        self.limit = limit
        self.sortBy = sortBy
        self.sortDir = sortDir
    }

    /// Sorts `items` by `sortBy` (`proprietal`, Make's own order, is creation order here), then cuts the page.
    func apply(to items: [JSON]) -> [JSON] {
        let key = sortBy == "proprietal" ? "id" : sortBy
        let sorted = items.sorted { lhs, rhs in
            let order = Self.compare(lhs[key] ?? .null, rhs[key] ?? .null)
            if order != 0 { return sortDir == "asc" ? order < 0 : order > 0 }
            return Self.compare(lhs["id"] ?? .null, rhs["id"] ?? .null) < 0
        }
        guard offset < sorted.count else { return [] }
        return Array(sorted[offset..<min(sorted.count, offset + limit)])
    }

    var json: JSON {
        ["offset": .int(offset), "limit": .int(limit), "sortBy": .string(sortBy), "sortDir": .string(sortDir)]
    }

    /// -1, 0 or 1: nulls first, numbers by value, strings case-insensitively, anything else equal.
    private static func compare(_ lhs: JSON, _ rhs: JSON) -> Int {
        switch (lhs, rhs) {
        case (.null, .null): return 0
        case (.null, _): return -1
        case (_, .null): return 1
        default: break
        }
        if let left = lhs.doubleValue, let right = rhs.doubleValue {
            return left < right ? -1 : (left > right ? 1 : 0)
        }
        if let left = lhs.stringValue?.lowercased(), let right = rhs.stringValue?.lowercased() {
            return left < right ? -1 : (left > right ? 1 : 0)
        }
        if let left = lhs.boolValue, let right = rhs.boolValue {
            return left == right ? 0 : (left ? 1 : -1)
        }
        return 0
    }
}

/// Column selection (make-api.md §4): `cols[]=*` or no `cols` means every column; `cols[]=id&cols[]=name` keeps
/// those. This stand-in has no per-endpoint default subset, so an absent `cols` returns everything too.
struct Columns: Sendable {
    private let names: [String]?

    init(query: QueryItems) {
        let values = query.values("cols")
        names = values.isEmpty || values.contains("*") ? nil : values
    }

    func apply(to item: JSON) -> JSON {
        guard let names else { return item }
        return item.selecting(names)
    }
}
