internal import Synchronization

/// Everything the server offers: tools, resources, resource templates and prompts, in the order clients list them.
///
/// The registry may change while sessions are open (a scenario becomes a tool, say); observers hear which list
/// changed so the transport can send `notifications/*/list_changed` to every session.
package final class MCPRegistry: Sendable {
    /// Which list changed; for tools, which ones were added, replaced or removed.
    package enum Change: Sendable, Equatable {
        case tools(names: [String])
        case resources
        case prompts
    }

    private struct Contents {
        var tools: [MCPTool] = []
        var resources: [MCPResource] = []
        var templates: [MCPResourceTemplate] = []
        var prompts: [MCPPrompt] = []
    }

    private let contents = Mutex(Contents())
    private let observers = Mutex<[@Sendable (Change) -> Void]>([])

    package init() {}

    package var tools: [MCPTool] { contents.withLock { $0.tools } }
    package var resources: [MCPResource] { contents.withLock { $0.resources } }
    package var resourceTemplates: [MCPResourceTemplate] { contents.withLock { $0.templates } }
    package var prompts: [MCPPrompt] { contents.withLock { $0.prompts } }

    package func tool(named name: String) -> MCPTool? {
        contents.withLock { $0.tools.first { $0.name == name } }
    }

    package func prompt(named name: String) -> MCPPrompt? {
        contents.withLock { $0.prompts.first { $0.name == name } }
    }

    /// Adds a tool, replacing one of the same name.
    package func add(_ tool: MCPTool) {
        contents.withLock { contents in
            contents.tools.removeAll { $0.name == tool.name }
            contents.tools.append(tool)
        }
        changed(.tools(names: [tool.name]))
    }

    package func removeTool(named name: String) {
        let removed = contents.withLock { contents -> Bool in
            let before = contents.tools.count
            contents.tools.removeAll { $0.name == name }
            return contents.tools.count != before
        }
        if removed { changed(.tools(names: [name])) }
    }

    package func add(_ resource: MCPResource) {
        contents.withLock { contents in
            contents.resources.removeAll { $0.uri == resource.uri }
            contents.resources.append(resource)
        }
        changed(.resources)
    }

    package func add(_ template: MCPResourceTemplate) {
        contents.withLock { contents in
            contents.templates.removeAll { $0.uriTemplate == template.uriTemplate }
            contents.templates.append(template)
        }
        changed(.resources)
    }

    package func add(_ prompt: MCPPrompt) {
        contents.withLock { contents in
            contents.prompts.removeAll { $0.name == prompt.name }
            contents.prompts.append(prompt)
        }
        changed(.prompts)
    }

    /// Calls `observer` after every change.
    package func observe(_ observer: @escaping @Sendable (Change) -> Void) {
        observers.withLock { $0.append(observer) }
    }

    private func changed(_ change: Change) {
        for observer in observers.withLock({ $0 }) { observer(change) }
    }
}
