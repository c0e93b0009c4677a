/// Which catalog tools a session offers, from a selection such as `default,hooks,-scenarios_delete`: entries are
/// `default` (the 40 of make-catalog.md §4), `all`, a group (`data-stores`, `sdk-apps`, `sdk` for every custom-app
/// group), or a tool name; a leading `-` removes instead of adding. Entries apply left to right.
///
/// The server's `MAKE_TOOLS` is the selection unless a session's endpoint URL carries `?tools=`, as Make's hosted
/// server takes its choices from the URL; clients cap the tools they accept (Cursor at 40), so the default stays there.
struct MakeToolSelection: Sendable, Hashable {
    /// Tool names, in catalog order.
    let names: [String]

    init(_ text: String) {
        var chosen = Set<String>()
        for entry in Self.entries(text) {
            let removes = entry.hasPrefix("-")
            let word = removes ? String(entry.dropFirst()) : entry
            let tools = Self.tools(for: word) ?? []
            if removes { chosen.subtract(tools) } else { chosen.formUnion(tools) }
        }
        names = MakeCatalog.all.map(\.name).filter(chosen.contains)
    }

    /// Why `text` is not a selection (an unknown entry, or nothing), or nil when it is one.
    static func problem(in text: String) -> String? {
        let entries = entries(text)
        guard !entries.isEmpty else { return "one or more of default, all, a group or a tool name, comma-separated" }
        for entry in entries {
            let word = entry.hasPrefix("-") ? String(entry.dropFirst()) : entry
            if tools(for: word) == nil {
                return "default, all, a group (such as scenarios or data-stores) or a tool name (such as "
                    + "hooks_list), not \(word)"
            }
        }
        return nil
    }

    private static func entries(_ text: String) -> [String] {
        text.split(separator: ",").map { String($0).filter { $0 != " " } }.filter { !$0.isEmpty }
    }

    /// The tool names one entry stands for; nil when it names nothing.
    private static func tools(for word: String) -> [String]? {
        switch word {
        case "default": return MakeCatalog.defaultSelection
        case "all": return MakeCatalog.all.map(\.name)
        case "sdk": return MakeCatalog.all.filter { $0.group.hasPrefix("sdk-") }.map(\.name)
        default:
            let group = MakeCatalog.all.filter { $0.group == word }.map(\.name)
            if !group.isEmpty { return group }
            return MakeCatalog.tool(named: word).map { [$0.name] }
        }
    }
}
