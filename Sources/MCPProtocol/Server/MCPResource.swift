/// The body of one resource as `resources/read` returns it.
package struct MCPResourceContents: Sendable, Hashable {
    package var uri: String
    package var mimeType: String?
    package var text: String

    package init(uri: String, mimeType: String? = "application/json", text: String) {
        self.uri = uri
        self.mimeType = mimeType
        self.text = text
    }

    var jsonValue: JSONValue {
        var object: JSONObject = ["uri": .string(uri)]
        if let mimeType { object["mimeType"] = .string(mimeType) }
        object["text"] = .string(text)
        return .object(object)
    }
}

/// A resource with a fixed URI.
package struct MCPResource: Sendable {
    package typealias Reader = @Sendable (_ context: MCPRequestContext) async throws -> [MCPResourceContents]

    package let uri: String
    package let name: String
    package let title: String?
    package let description: String?
    package let mimeType: String?
    let read: Reader

    package init(uri: String, name: String, title: String? = nil, description: String? = nil,
                 mimeType: String? = "application/json", read: @escaping Reader) {
        self.uri = uri
        self.name = name
        self.title = title
        self.description = description
        self.mimeType = mimeType
        self.read = read
    }

    func definition(for version: MCPProtocolVersion) -> JSONValue {
        var object: JSONObject = ["uri": .string(uri), "name": .string(name)]
        if let title, version >= .v2025_06_18 { object["title"] = .string(title) }
        if let description { object["description"] = .string(description) }
        if let mimeType { object["mimeType"] = .string(mimeType) }
        return .object(object)
    }
}

/// A family of resources named by an RFC 6570 level-1 template such as `make://scenarios/{scenarioId}`.
package struct MCPResourceTemplate: Sendable {
    package typealias Reader = @Sendable (
        _ uri: String, _ variables: [String: String], _ context: MCPRequestContext
    ) async throws -> [MCPResourceContents]
    /// Suggestions for one variable given what the user typed so far and the variables already chosen.
    package typealias Completer = @Sendable (
        _ variable: String, _ prefix: String, _ chosen: [String: String], _ context: MCPRequestContext
    ) async throws -> [String]

    package let uriTemplate: String
    package let name: String
    package let title: String?
    package let description: String?
    package let mimeType: String?
    let read: Reader
    let complete: Completer?
    /// The template split into literal text and variable names, parsed once.
    private let parts: [Part]

    private enum Part: Sendable {
        case literal(String)
        case variable(String)
    }

    package init(uriTemplate: String, name: String, title: String? = nil, description: String? = nil,
                 mimeType: String? = "application/json", read: @escaping Reader, complete: Completer? = nil) {
        self.uriTemplate = uriTemplate
        self.name = name
        self.title = title
        self.description = description
        self.mimeType = mimeType
        self.read = read
        self.complete = complete
        var parts: [Part] = []
        var rest = Substring(uriTemplate)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            if open > rest.startIndex { parts.append(.literal(String(rest[..<open]))) }
            parts.append(.variable(String(rest[rest.index(after: open)..<close])))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        self.parts = parts
    }

    /// The variable values when `uri` matches the template; a variable matches one or more characters other than
    /// `/`, `?` and `#`.
    package func match(_ uri: String) -> [String: String]? {
        var variables: [String: String] = [:]
        var rest = Substring(uri)
        for (index, part) in parts.enumerated() {
            switch part {
            case .literal(let literal):
                guard rest.hasPrefix(literal) else { return nil }
                rest = rest.dropFirst(literal.count)
            case .variable(let name):
                let nextLiteral: String? = index + 1 < parts.count ? {
                    if case .literal(let text) = parts[index + 1] { return text }
                    return nil
                }() : nil
                var end = rest.startIndex
                while end < rest.endIndex, !"/?#".contains(rest[end]) {
                    if let nextLiteral, rest[end...].hasPrefix(nextLiteral) { break }
                    end = rest.index(after: end)
                }
                guard end > rest.startIndex else { return nil }
                variables[name] = String(rest[..<end]).removingPercentEncoding
                rest = rest[end...]
            }
        }
        return rest.isEmpty ? variables : nil
    }

    func definition(for version: MCPProtocolVersion) -> JSONValue {
        var object: JSONObject = ["uriTemplate": .string(uriTemplate), "name": .string(name)]
        if let title, version >= .v2025_06_18 { object["title"] = .string(title) }
        if let description { object["description"] = .string(description) }
        if let mimeType { object["mimeType"] = .string(mimeType) }
        return .object(object)
    }
}

extension String {
    /// The string with `%XX` escapes decoded; malformed escapes are kept as they are.
    fileprivate var removingPercentEncoding: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = Array(utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
               let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
