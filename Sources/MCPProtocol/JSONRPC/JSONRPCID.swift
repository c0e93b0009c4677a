/// A JSON-RPC request id, kept with its JSON type so a response echoes it exactly: `"1"` and `1` are different ids
/// (MCP §Requests; the Python SDK keys pending requests that way).
///
/// Only strings and integers are accepted. MCP requires "a string or integer", and JSON-RPC 2.0 says numeric ids
/// SHOULD NOT have fractions, so a fractional or out-of-range number is an invalid request rather than something
/// this type would have to echo digit for digit.
package enum JSONRPCID: Sendable, Hashable {
    case string(String)
    case integer(Int64)

    /// The id read from a JSON value, or `nil` if the value is not a string or an `Int64` integer.
    package init?(_ value: JSONValue) {
        switch value {
        case .string(let string): self = .string(string)
        case .integer(let integer): self = .integer(integer)
        default: return nil
        }
    }

    /// The id as the JSON value it was read from.
    package var jsonValue: JSONValue {
        switch self {
        case .string(let string): .string(string)
        case .integer(let integer): .integer(integer)
        }
    }

    /// Appends the id as JSON: a quoted string or bare digits.
    package func append(to bytes: inout [UInt8]) {
        switch self {
        case .string(let string): JSONSerializer.appendString(string, to: &bytes)
        case .integer(let integer): JSONSerializer.appendInteger(integer, to: &bytes)
        }
    }
}

// MARK: - CustomStringConvertible

extension JSONRPCID: CustomStringConvertible {
    /// The id as JSON text, so a string id shows its quotes in logs.
    package var description: String {
        var bytes: [UInt8] = []
        append(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

// MARK: - Literals

extension JSONRPCID: ExpressibleByIntegerLiteral {
    package init(integerLiteral value: Int64) {
        self = .integer(value)
    }
}

extension JSONRPCID: ExpressibleByStringLiteral {
    package init(stringLiteral value: String) {
        self = .string(value)
    }
}
