extension JSONValue {
    /// The value with every integral double turned into an integer, so that `==` and hashing follow JSON Schema's
    /// equality (`1` equals `1.0`; RFC 8259 has one number type) for `enum`, `const` and `uniqueItems`.
    var canonicalForSchema: JSONValue {
        switch self {
        case .double(let double):
            if let integer = Int64(exactly: double) { .integer(integer) } else { self }
        case .array(let elements):
            .array(elements.map(\.canonicalForSchema))
        case .object(let object):
            .object(object.reduce(into: JSONObject()) { $0.updateValue($1.value.canonicalForSchema, forKey: $1.key) })
        case .null, .bool, .integer, .string:
            self
        }
    }
}
