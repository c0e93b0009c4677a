/// A value of the `type` keyword.
enum SchemaType: String, CaseIterable, Sendable {
    case null
    case boolean
    case object
    case array
    case number
    case string
    case integer

    /// Whether `value` is of this type. Per JSON Schema, `integer` means any number with a zero fractional part,
    /// so `1.0` is an integer and every integer is a number.
    func matches(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.null, .null), (.boolean, .bool), (.object, .object), (.array, .array), (.string, .string),
            (.number, .integer), (.number, .double), (.integer, .integer):
            true
        case (.integer, .double(let double)):
            double.rounded(.towardZero) == double
        default:
            false
        }
    }

    /// The type with its article, as messages say it: "a string", "an integer", "null".
    var phrase: String {
        switch self {
        case .null: "null"
        case .boolean: "a boolean"
        case .object: "an object"
        case .array: "an array"
        case .number: "a number"
        case .string: "a string"
        case .integer: "an integer"
        }
    }

    /// "must be a string", "must be a string or null", "must be a string, a number or null".
    static func requirement(_ types: [SchemaType]) -> String {
        let phrases = types.map(\.phrase)
        guard let last = phrases.last else { return "must not exist" }
        guard phrases.count > 1 else { return "must be \(last)" }
        return "must be \(phrases.dropLast().joined(separator: ", ")) or \(last)"
    }
}
