/// Any JSON value, as ``JSONParser`` reads it and ``JSONSerializer`` writes it.
///
/// Numbers keep two cases so integers survive exactly: JSON-RPC ids and Make ids are 64-bit integers that a `Double`
/// would round above 2^53. Equality is structural, so `.integer(1) != .double(1)`; code that needs JSON Schema's
/// numeric equality (where `1 == 1.0`) compares ``doubleValue`` or uses the schema validator.
package enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits in `Int64`.
    case integer(Int64)
    /// Any other number; always finite, since JSON has no spelling for infinities or NaN.
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// Whether this is JSON `null`.
    package var isNull: Bool {
        if case .null = self { true } else { false }
    }

    /// The boolean, if this is one.
    package var boolValue: Bool? {
        if case .bool(let value) = self { value } else { nil }
    }

    /// The number as an exact `Int64`: an integer, or a double with no fractional part that fits.
    ///
    /// Doubles count because JSON Schema's `integer` type accepts `1.0`, and a tool that validated its arguments
    /// should be able to read them back.
    package var int64Value: Int64? {
        switch self {
        case .integer(let value): value
        case .double(let value): Int64(exactly: value)
        default: nil
        }
    }

    /// The number as a `Double`; integers above 2^53 round to the nearest representable value.
    package var doubleValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    /// The string, if this is one.
    package var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// The elements, if this is an array.
    package var arrayValue: [JSONValue]? {
        if case .array(let value) = self { value } else { nil }
    }

    /// The members, if this is an object.
    package var objectValue: JSONObject? {
        if case .object(let value) = self { value } else { nil }
    }

    /// The member named `key`, or `nil` if this is not an object or has no such member.
    package subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { object[key] } else { nil }
    }

    /// The element at `index`, or `nil` if this is not an array or the index is out of range.
    package subscript(index: Int) -> JSONValue? {
        guard case .array(let elements) = self, elements.indices.contains(index) else { return nil }
        return elements[index]
    }

    /// The compact JSON encoding of this value.
    package func serialized() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128)
        JSONSerializer.append(self, to: &bytes)
        return bytes
    }

    /// The JSON type name used in messages: `null`, `boolean`, `number`, `string`, `array` or `object`.
    package var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer, .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

// MARK: - CustomStringConvertible

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text, so values read naturally in logs, test failures and validation messages.
    package var description: String {
        String(decoding: serialized(), as: UTF8.self)
    }
}
