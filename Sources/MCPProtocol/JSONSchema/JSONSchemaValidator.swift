/// Validates JSON values against a JSON Schema, compiled once so each tool call pays only for the checks.
///
/// Supports the subset MCP tool input schemas use: `type` (one or several, with `integer` as a number without a
/// fraction), `enum`, `const`, `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum` (numbers, or draft 4
/// booleans), `minLength`, `maxLength` (in Unicode code points), `pattern` (Swift `Regex`, unanchored), `format`
/// (`date-time`, `date`, `email`, `uri`; others are annotations), `items`, `minItems`, `maxItems`, `uniqueItems`,
/// `properties`, `required`, `additionalProperties`, `allOf`, `anyOf`, `oneOf`, and boolean schemas. Annotations
/// and unknown keywords are ignored; known assertion keywords outside the subset (`$ref`, `not`, `if`,
/// `patternProperties`, …) make compilation fail rather than pass everything.
package struct JSONSchemaValidator: Sendable {
    private let root: CompiledSchema

    /// Compiles `schema`.
    /// - Throws: ``JSONSchemaError`` naming the JSON pointer of a malformed or unsupported keyword.
    package init(schema: JSONValue) throws(JSONSchemaError) {
        root = try CompiledSchema(compiling: schema, at: "#")
    }

    /// Every violation of the schema by `instance`: missing required properties before problems with the members
    /// present, members in the order the instance lists them. Empty when the instance is valid.
    ///
    /// Violations are returned rather than thrown because a tool call answers all of them at once, so the model
    /// can fix its arguments in one retry.
    package func validate(_ instance: JSONValue) -> [JSONSchemaViolation] {
        var path = InstancePath()
        var violations: [JSONSchemaViolation] = []
        root.validate(instance, at: &path, into: &violations)
        return violations
    }
}
