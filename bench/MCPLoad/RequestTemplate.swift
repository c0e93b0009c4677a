/// A `POST` whose only varying part is the JSON-RPC id, rendered into a reused buffer without building strings:
/// head bytes up to `Content-Length: `, the length, the blank line, then body prefix, id digits, body suffix.
struct RequestTemplate {
    private let head: [UInt8]
    private let bodyPrefix: [UInt8]
    private let bodySuffix: [UInt8]

    /// - Parameters:
    ///   - path: The request target, query included.
    ///   - headers: Extra header lines, each ending in CR LF.
    ///   - bodyAfterID: What follows `"id":N` in the body, e.g. `,"method":"ping"}`.
    init(path: String, authority: String, headers: String, bodyAfterID: String) {
        head = Array((Self.headLines(path: path, authority: authority, headers: headers) + "Content-Length: ").utf8)
        bodyPrefix = Array(#"{"jsonrpc":"2.0","id":"#.utf8)
        bodySuffix = Array(bodyAfterID.utf8)
    }

    /// The body after the id for `method`: `tools/call` gets `params` naming the tool and its raw JSON arguments.
    static func bodyAfterID(method: String, tool: String, arguments: String) -> String {
        if method == "tools/call" {
            return #","method":"tools/call","params":{"name":"\#(jsonEscaped(tool))","arguments":\#(arguments)}}"#
        }
        return #","method":"\#(jsonEscaped(method))"}"#
    }

    /// A complete request with a fixed body (initialize, notifications).
    static func post(path: String, authority: String, headers: String, body: String) -> [UInt8] {
        let head = headLines(path: path, authority: authority, headers: headers)
        return Array((head + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)").utf8)
    }

    /// The request line and every header but `Content-Length`.
    private static func headLines(path: String, authority: String, headers: String) -> String {
        "POST \(path) HTTP/1.1\r\nHost: \(authority)\r\nContent-Type: application/json\r\n\(headers)"
    }

    /// Replaces `buffer`'s contents with the request for `id`.
    func render(id: Int, into buffer: inout [UInt8]) {
        buffer.removeAll(keepingCapacity: true)
        buffer.append(contentsOf: head)
        Self.appendDecimal(bodyPrefix.count + Self.decimalCount(id) + bodySuffix.count, to: &buffer)
        buffer.append(contentsOf: [13, 10, 13, 10])
        buffer.append(contentsOf: bodyPrefix)
        Self.appendDecimal(id, to: &buffer)
        buffer.append(contentsOf: bodySuffix)
    }

    private static func decimalCount(_ value: Int) -> Int {
        var count = 1
        var remaining = value
        while remaining >= 10 {
            remaining /= 10
            count += 1
        }
        return count
    }

    private static func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var remaining = value
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(remaining / divisor))
            remaining %= divisor
            divisor /= 10
        }
    }

    static func jsonEscaped(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
