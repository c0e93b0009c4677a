/// The assertions of one schema object, decoded once from its keywords so validation never looks at the schema's
/// JSON again. Absent keywords are `nil` or empty and cost nothing.
struct SchemaConstraints: Sendable {
    var types: [SchemaType]?
    /// `enum` values, numbers in canonical form (see ``JSONValue/canonicalForSchema``).
    var allowedValues: [JSONValue]?
    /// `const`, numbers in canonical form.
    var constant: JSONValue?

    var minimum: SchemaNumber?
    var exclusiveMinimum: SchemaNumber?
    var maximum: SchemaNumber?
    var exclusiveMaximum: SchemaNumber?

    var minLength: Int?
    var maxLength: Int?
    var pattern: SchemaPattern?
    var format: SchemaFormat?

    var items: CompiledSchema?
    var minItems: Int?
    var maxItems: Int?
    var uniqueItems = false

    var properties: [String: CompiledSchema] = [:]
    /// The `properties` names in schema order, listed when an unexpected property is rejected.
    var propertyNames: [String] = []
    var required: [String] = []
    var additionalProperties: CompiledSchema?

    var allOf: [CompiledSchema] = []
    var anyOf: [CompiledSchema] = []
    var oneOf: [CompiledSchema] = []
}
