internal import MCPProtocol

/// What the store keeps of a session, so any replica can serve it: who it belongs to, its transport, and the
/// client's choices so far (negotiated version, log level, resource subscriptions), as one JSON object.
struct SessionRecord: Sendable, Equatable {
    var transport: LiveSession.Transport
    var principal: String
    var parameters: [String: String]
    var version: MCPProtocolVersion?
    var logLevel: MCPLogLevel
    var subscriptions: Set<String>

    init(of session: LiveSession) {
        transport = session.transport
        principal = session.mcp.principal
        parameters = session.mcp.parameters
        version = session.mcp.protocolVersion
        logLevel = session.mcp.logLevel
        subscriptions = session.mcp.subscriptions
    }

    /// Reads a record; nil when the bytes are not one.
    init?(_ bytes: [UInt8]) {
        guard let value = try? JSONParser.parse(bytes),
              let transport = value["transport"]?.stringValue.flatMap(LiveSession.Transport.init(rawValue:))
        else { return nil }
        self.transport = transport
        principal = value["principal"]?.stringValue ?? "anonymous"
        parameters = [:]
        for (name, parameter) in value["parameters"]?.objectValue ?? JSONObject() {
            if let text = parameter.stringValue { parameters[name] = text }
        }
        version = value["protocolVersion"]?.stringValue.flatMap(MCPProtocolVersion.init(rawValue:))
        logLevel = value["logLevel"]?.stringValue.flatMap(MCPLogLevel.init(rawValue:)) ?? .info
        subscriptions = Set((value["subscriptions"]?.arrayValue ?? []).compactMap(\.stringValue))
    }

    var bytes: [UInt8] {
        var record: JSONObject = ["transport": .string(transport.rawValue), "principal": .string(principal)]
        if let version { record["protocolVersion"] = .string(version.rawValue) }
        if !parameters.isEmpty {
            var object = JSONObject()
            for (name, value) in parameters.sorted(by: { $0.key < $1.key }) { object[name] = .string(value) }
            record["parameters"] = .object(object)
        }
        if logLevel != .info { record["logLevel"] = .string(logLevel.rawValue) }
        if !subscriptions.isEmpty { record["subscriptions"] = .array(subscriptions.sorted().map { .string($0) }) }
        return JSONValue.object(record).serialized()
    }

    /// Brings a copy of the session served here up to what the record says another replica saw.
    func apply(to session: LiveSession) {
        if let version { session.mcp.restore(version: version) }
        session.mcp.restore(logLevel: logLevel, subscriptions: subscriptions)
    }
}
