extension CompiledSchema {
    /// Appends every violation of this schema by `instance`, which sits at `path`.
    func validate(_ instance: JSONValue, at path: inout InstancePath, into violations: inout [JSONSchemaViolation]) {
        switch self {
        case .anything:
            return
        case .nothing:
            violations.append(path.violation("false", "no value is allowed here"))
        case .constrained(let node):
            node.validate(instance, at: &path, into: &violations)
        }
    }

    /// Whether this schema was written for instances of `instance`'s type.
    func admitsType(of instance: JSONValue) -> Bool {
        declaredTypes.map { types in types.contains { $0.matches(instance) } } ?? true
    }
}

// MARK: - Node

/// Validation reads each keyword through the node (`constraints.minimum`) rather than calling a method on the
/// constraints struct, which would copy all of its fields out of the class on every visit.
extension CompiledSchema.Node {
    /// How many `enum` values a message lists before eliding the rest.
    private static let listedValueLimit = 10
    /// How many allowed property names a message lists before eliding the rest.
    private static let listedPropertyLimit = 20

    func validate(_ instance: JSONValue, at path: inout InstancePath, into violations: inout [JSONSchemaViolation]) {
        if let types = constraints.types, !types.contains(where: { $0.matches(instance) }) {
            // A value of the wrong type fails most other keywords too; one message says it best.
            violations.append(path.violation("type", "\(SchemaType.requirement(types)) (got \(instance.typeName))"))
            return
        }
        if constraints.constant != nil || constraints.allowedValues != nil {
            let canonical = instance.canonicalForSchema
            if let constant = constraints.constant, canonical != constant {
                violations.append(path.violation("const", "must be \(constant) (got \(Self.brief(instance)))"))
            }
            if let allowedValues = constraints.allowedValues, !allowedValues.contains(canonical) {
                let message = "must be one of \(Self.list(allowedValues)) (got \(Self.brief(instance)))"
                violations.append(path.violation("enum", message))
            }
        }

        switch instance {
        case .integer, .double:
            if let number = SchemaNumber(instance) {
                validateNumber(number, at: path, into: &violations)
            }
        case .string(let string):
            validateString(string, at: path, into: &violations)
        case .array(let elements):
            validateArray(elements, at: &path, into: &violations)
        case .object(let object):
            validateObject(object, at: &path, into: &violations)
        case .null, .bool:
            break
        }

        for schema in constraints.allOf {
            schema.validate(instance, at: &path, into: &violations)
        }
        if !constraints.anyOf.isEmpty {
            validateAnyOf(instance, at: &path, into: &violations)
        }
        if !constraints.oneOf.isEmpty {
            validateOneOf(instance, at: &path, into: &violations)
        }
    }

    // MARK: Scalars

    private func validateNumber(
        _ number: SchemaNumber, at path: InstancePath, into violations: inout [JSONSchemaViolation]
    ) {
        if let minimum = constraints.minimum, SchemaNumber.compare(number, minimum) < 0 {
            violations.append(path.violation("minimum", "must be at least \(minimum.text) (got \(number.text))"))
        }
        if let exclusiveMinimum = constraints.exclusiveMinimum, SchemaNumber.compare(number, exclusiveMinimum) <= 0 {
            violations.append(
                path.violation("exclusiveMinimum", "must be greater than \(exclusiveMinimum.text) (got \(number.text))")
            )
        }
        if let maximum = constraints.maximum, SchemaNumber.compare(number, maximum) > 0 {
            violations.append(path.violation("maximum", "must be at most \(maximum.text) (got \(number.text))"))
        }
        if let exclusiveMaximum = constraints.exclusiveMaximum, SchemaNumber.compare(number, exclusiveMaximum) >= 0 {
            violations.append(
                path.violation("exclusiveMaximum", "must be less than \(exclusiveMaximum.text) (got \(number.text))"))
        }
    }

    private func validateString(
        _ string: String, at path: InstancePath, into violations: inout [JSONSchemaViolation]
    ) {
        if constraints.minLength != nil || constraints.maxLength != nil {
            // JSON Schema counts characters as code points, so an emoji with a skin tone counts as two.
            let length = string.unicodeScalars.count
            if let minLength = constraints.minLength, length < minLength {
                let message = "must be at least \(Self.counted(minLength, "character")) long (got \(length))"
                violations.append(path.violation("minLength", message))
            }
            if let maxLength = constraints.maxLength, length > maxLength {
                let message = "must be at most \(Self.counted(maxLength, "character")) long (got \(length))"
                violations.append(path.violation("maxLength", message))
            }
        }
        if let pattern = constraints.pattern, !pattern.matches(string) {
            violations.append(path.violation("pattern", "must match the pattern \(pattern.source)"))
        }
        if let format = constraints.format, !format.matches(string) {
            violations.append(path.violation("format", "must be \(format.expectation)"))
        }
    }

    // MARK: Containers

    private func validateArray(
        _ elements: [JSONValue], at path: inout InstancePath, into violations: inout [JSONSchemaViolation]
    ) {
        if let minItems = constraints.minItems, elements.count < minItems {
            let message = "must have at least \(Self.counted(minItems, "item")) (got \(elements.count))"
            violations.append(path.violation("minItems", message))
        }
        if let maxItems = constraints.maxItems, elements.count > maxItems {
            let message = "must have at most \(Self.counted(maxItems, "item")) (got \(elements.count))"
            violations.append(path.violation("maxItems", message))
        }
        if constraints.uniqueItems, let (first, second) = Self.firstDuplicate(in: elements) {
            violations.append(
                path.violation("uniqueItems", "must not contain duplicates (items \(first) and \(second) are equal)"))
        }
        if let items = constraints.items {
            for (position, element) in elements.enumerated() {
                path.push(index: position)
                items.validate(element, at: &path, into: &violations)
                path.pop()
            }
        }
    }

    private func validateObject(
        _ object: JSONObject, at path: inout InstancePath, into violations: inout [JSONSchemaViolation]
    ) {
        for name in constraints.required where object[name] == nil {
            path.push(key: name)
            violations.append(path.violation("required", "required property is missing"))
            path.pop()
        }
        for (key, value) in object {
            path.push(key: key)
            if let schema = constraints.properties[key] {
                schema.validate(value, at: &path, into: &violations)
            } else if case .nothing? = constraints.additionalProperties {
                violations.append(path.violation("additionalProperties", unexpectedPropertyMessage))
            } else if let additionalProperties = constraints.additionalProperties {
                additionalProperties.validate(value, at: &path, into: &violations)
            }
            path.pop()
        }
    }

    private var unexpectedPropertyMessage: String {
        let names = constraints.propertyNames
        guard !names.isEmpty else { return "is not an allowed property (no properties are allowed)" }
        var list = names.prefix(Self.listedPropertyLimit).joined(separator: ", ")
        if names.count > Self.listedPropertyLimit {
            list += ", …"
        }
        return "is not an allowed property (allowed: \(list))"
    }

    // MARK: Combinators

    private func validateAnyOf(
        _ instance: JSONValue, at path: inout InstancePath, into violations: inout [JSONSchemaViolation]
    ) {
        var branchViolations: [[JSONSchemaViolation]] = []
        for schema in constraints.anyOf {
            var found: [JSONSchemaViolation] = []
            schema.validate(instance, at: &path, into: &found)
            if found.isEmpty {
                return
            }
            branchViolations.append(found)
        }
        reportNoMatch("anyOf", among: constraints.anyOf, branchViolations, instance, at: path, into: &violations)
    }

    private func validateOneOf(
        _ instance: JSONValue, at path: inout InstancePath, into violations: inout [JSONSchemaViolation]
    ) {
        var branchViolations: [[JSONSchemaViolation]] = []
        var matches = 0
        for schema in constraints.oneOf {
            var found: [JSONSchemaViolation] = []
            schema.validate(instance, at: &path, into: &found)
            if found.isEmpty {
                matches += 1
            }
            branchViolations.append(found)
        }
        switch matches {
        case 0:
            reportNoMatch("oneOf", among: constraints.oneOf, branchViolations, instance, at: path, into: &violations)
        case 1:
            return
        default:
            violations.append(
                path.violation("oneOf", "must match exactly one of the oneOf schemas (matched \(matches))"))
        }
    }

    /// Explains why no branch matched in the terms of the branch the caller most likely meant: when exactly one
    /// branch takes the instance's type (`anyOf: [{type: string, maxLength: 5}, {type: null}]` and a long string)
    /// its own violations are the useful answer; when none does, the union of the branch types is.
    private func reportNoMatch(
        _ keyword: String, among branches: [CompiledSchema],
        _ branchViolations: [[JSONSchemaViolation]], _ instance: JSONValue,
        at path: InstancePath, into violations: inout [JSONSchemaViolation]
    ) {
        let typeMatches = branches.indices.filter { branches[$0].admitsType(of: instance) }
        if typeMatches.count == 1, let only = typeMatches.first {
            violations.append(contentsOf: branchViolations[only])
        } else if typeMatches.isEmpty {
            var types: [SchemaType] = []
            for type in branches.flatMap({ $0.declaredTypes ?? [] }) where !types.contains(type) {
                types.append(type)
            }
            violations.append(path.violation(keyword, "\(SchemaType.requirement(types)) (got \(instance.typeName))"))
        } else {
            let quantity = keyword == "oneOf" ? "exactly" : "at least"
            violations.append(path.violation(keyword, "must match \(quantity) one of the \(keyword) schemas"))
        }
    }

    /// The positions of the first two equal elements, under JSON Schema equality. Short arrays, the usual case,
    /// are compared pairwise, which is cheaper than hashing; longer ones go through a dictionary.
    private static func firstDuplicate(in elements: [JSONValue]) -> (Int, Int)? {
        let canonical = elements.map(\.canonicalForSchema)
        if canonical.count <= 16 {
            for later in canonical.indices {
                for earlier in 0..<later where canonical[earlier] == canonical[later] {
                    return (earlier, later)
                }
            }
            return nil
        }
        var firstPositions = [JSONValue: Int](minimumCapacity: canonical.count)
        for (position, element) in canonical.enumerated() {
            if let first = firstPositions.updateValue(position, forKey: element) {
                return (first, position)
            }
        }
        return nil
    }

    // MARK: Message helpers

    /// "1 item", "3 items".
    private static func counted(_ count: Int, _ noun: String) -> String {
        count == 1 ? "1 \(noun)" : "\(count) \(noun)s"
    }

    /// A value as messages quote it: JSON text for scalars, shortened; just the type for containers.
    private static func brief(_ value: JSONValue) -> String {
        switch value {
        case .array, .object:
            return value.typeName
        case .null, .bool, .integer, .double, .string:
            let text = value.description
            return text.count > 64 ? String(text.prefix(61)) + "…" : text
        }
    }

    private static func list(_ values: [JSONValue]) -> String {
        var text = values.prefix(listedValueLimit).map { brief($0) }.joined(separator: ", ")
        if values.count > listedValueLimit {
            text += ", …"
        }
        return text
    }
}
