internal import FoundationEssentials
internal import MCPProtocol
internal import MakeClient

/// Turns a tool definition and the call's (already validated) arguments into a Make API request, as the
/// definition's placements say. The one path every catalog tool goes through.
enum MakeRequestBuilder {
    enum Failure: Error, Equatable, CustomStringConvertible {
        case missingPathArgument(String)
        case invalidArgument(String, reason: String)

        var description: String {
            switch self {
            case .missingPathArgument(let name): "missing required argument \(name)"
            case .invalidArgument(let name, let reason): "argument \(name): \(reason)"
            }
        }
    }

    static func request(for tool: MakeToolDefinition, arguments: JSONObject) throws(Failure) -> MakeRequest {
        var arguments = arguments
        var metadata: JSONValue?
        if tool.special == .scenarioBlueprintWrite {
            (arguments, metadata) = MakeScenarioBlueprint.normalise(arguments)
        }
        var path = tool.path
        var query = tool.fixedQuery
        var body = JSONObject()
        var hasBody = false
        var wholeBody: JSONValue?
        var rawBody: (bytes: [UInt8], contentType: String)?

        for argument in tool.arguments {
            guard let value = arguments[argument.name], !value.isNull || argument.placement == .body else {
                if argument.placement == .path { throw .missingPathArgument(argument.name) }
                continue
            }
            switch argument.placement {
            case .path:
                guard let text = scalarText(value) else {
                    throw .invalidArgument(argument.name, reason: "must be a string or a number")
                }
                path = path.replacing("{\(argument.name)}", with: MakeRequest.encode(text))
            case .query:
                appendQuery(argument.name, value, to: &query)
            case .queryKey(let key):
                appendQuery(key, value, to: &query)
            case .body:
                body[argument.name] = value
                hasBody = true
            case .bodyKey(let key):
                body[key] = value
                hasBody = true
            case .bodySpread:
                for (key, member) in value.objectValue ?? JSONObject() { body[key] = member }
                hasBody = true
            case .wholeBody:
                wholeBody = value
            case .rawBody(let contentType):
                guard let text = value.stringValue else {
                    throw .invalidArgument(argument.name, reason: "must be a string")
                }
                rawBody = (tool.special == .pngIcon ? try pngBytes(argument.name, text) : Array(text.utf8), contentType)
            case .bodyJSONString:
                body[argument.name] = .string(String(decoding: value.serialized(), as: UTF8.self))
                hasBody = true
            }
        }
        if let metadata {
            body["metadata"] = metadata
            hasBody = true
        }
        if tool.isPaginated {
            // Make's paging parameters (make-api.md, pagination): pg[limit], pg[offset], pg[sortBy], pg[sortDir].
            for (argument, key) in [("limit", "pg[limit]"), ("offset", "pg[offset]"), ("sortBy", "pg[sortBy]"),
                                    ("sortDir", "pg[sortDir]")] {
                if let value = arguments[argument], let text = scalarText(value) { query.append((key, text)) }
            }
        }

        var request = MakeRequest(method: tool.method, path: path, query: query)
        if let rawBody {
            request.body = rawBody.bytes
            request.contentType = rawBody.contentType
        } else if let wholeBody {
            request.body = wholeBody.serialized()
            request.contentType = "application/json"
        } else if hasBody || ["POST", "PUT", "PATCH"].contains(tool.method) {
            request.body = JSONValue.object(body).serialized()
            request.contentType = "application/json"
        }
        return request
    }

    /// The bytes of a base64 PNG argument; Make takes icons as raw `image/png`.
    private static func pngBytes(_ name: String, _ base64: String) throws(Failure) -> [UInt8] {
        guard let data = Data(base64Encoded: base64, options: .ignoreUnknownCharacters) else {
            throw .invalidArgument(name, reason: "must be base64")
        }
        let bytes = [UInt8](data)
        guard bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            throw .invalidArgument(name, reason: "must be a PNG image (its bytes do not start with the PNG signature)")
        }
        return bytes
    }

    /// A scalar argument as query or path text: numbers in decimal, booleans as `true`/`false`.
    static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .integer(let number): String(number)
        case .double(let number): number.rounded() == number ? String(Int64(number)) : String(number)
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }

    /// Query values the way Make reads them: arrays as `key[]=a&key[]=b`, objects as `key[member]=value`.
    private static func appendQuery(_ key: String, _ value: JSONValue, to query: inout [(name: String, value: String)]) {
        switch value {
        case .array(let elements):
            for element in elements {
                if let text = scalarText(element) { query.append(("\(key)[]", text)) }
            }
        case .object(let members):
            for (member, element) in members {
                if let text = scalarText(element) { query.append(("\(key)[\(member)]", text)) }
            }
        case .null:
            break
        default:
            if let text = scalarText(value) { query.append((key, text)) }
        }
    }
}
