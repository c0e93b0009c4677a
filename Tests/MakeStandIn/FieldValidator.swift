/// Checks values against Make's data-structure fields (make-catalog.md §3, `DataStructureField`: `name`, `type`,
/// `required`, `options`, `spec`), as scenario inputs and strict data stores are checked. Each problem is one
/// sentence in Make's wording ("Missing value of required parameter 'number'.").
enum FieldValidator {
    /// Problems with field definitions themselves (an interface or a data structure's `spec`).
    static func definitionProblems(_ fields: [JSON], path: String = "") -> [String] {
        var problems: [String] = []
        for (index, field) in fields.enumerated() {
            guard field.objectValue != nil else {
                problems.append("Field \(path)[\(index)] must be an object.")
                continue
            }
            guard let name = field["name"]?.stringValue, !name.isEmpty else {
                problems.append("Field \(path)[\(index)] needs a name.")
                continue
            }
            guard field["type"]?.stringValue?.isEmpty == false else {
                problems.append("Field '\(path + name)' needs a type.")
                continue
            }
            if let nested = field["spec"]?.arrayValue {
                problems += definitionProblems(nested, path: path + name + ".")
            }
        }
        return problems
    }

    /// Problems with `data` (an object) measured against `fields`.
    ///
    /// - Parameter strict: Whether keys no field names are refused too.
    static func problems(in data: JSON, fields: [JSON], strict: Bool = false, path: String = "") -> [String] {
        guard let object = data.objectValue else {
            return ["Invalid value of parameter '\(path.isEmpty ? "data" : path)'. Expected object."]
        }
        var problems: [String] = []
        for field in fields {
            guard let name = field["name"]?.stringValue else { continue }
            let qualified = path.isEmpty ? name : path + "." + name
            guard let value = object[name], !value.isNull else {
                if field["required"]?.boolValue == true {
                    problems.append("Missing value of required parameter '\(qualified)'.")
                }
                continue
            }
            problems += self.problems(in: value, field: field, name: qualified)
        }
        if strict {
            let known = Set(fields.compactMap { $0["name"]?.stringValue })
            for key in object.keys.sorted() where !known.contains(key) {
                problems.append("Unknown parameter '\(path.isEmpty ? key : path + "." + key)'.")
            }
        }
        return problems
    }

    /// Problems with one value measured against its field.
    private static func problems(in value: JSON, field: JSON, name: String) -> [String] {
        func expected(_ what: String) -> [String] { ["Invalid value of parameter '\(name)'. Expected \(what)."] }
        switch field["type"]?.stringValue ?? "" {
        case "text", "json", "email", "url", "filename", "color", "path":
            return value.stringValue == nil ? expected("text") : []
        case "number":
            return value.doubleValue == nil ? expected("number") : []
        case "integer":
            guard case .int = value else { return expected("integer") }
            return []
        case "uinteger":
            guard case .int(let int) = value, int >= 0 else { return expected("positive integer") }
            return []
        case "boolean":
            return value.boolValue == nil ? expected("boolean") : []
        case "date":
            return isDate(value) ? [] : expected("date in ISO 8601 format")
        case "select":
            let options = field["options"]?.arrayValue?.compactMap { $0["value"] } ?? []
            guard options.contains(value) else {
                let listed = options.map { $0.stringValue ?? $0.encodedString }.joined(separator: ", ")
                return expected("one of \(listed)")
            }
            return []
        case "array":
            guard let items = value.arrayValue else { return expected("array") }
            return items.enumerated().flatMap { index, item in
                arrayItemProblems(item, spec: field["spec"], name: "\(name)[\(index)]")
            }
        case "collection":
            guard value.objectValue != nil else { return expected("collection") }
            return problems(in: value, fields: field["spec"]?.arrayValue ?? [], path: name)
        default:
            return []
        }
    }

    /// An array's `spec` is either a list of fields (each item is a collection of them) or one field for every item.
    private static func arrayItemProblems(_ item: JSON, spec: JSON?, name: String) -> [String] {
        switch spec {
        case .array(let fields)?:
            guard item.objectValue != nil else { return ["Invalid value of parameter '\(name)'. Expected collection."] }
            return problems(in: item, fields: fields, path: name)
        case .object?:
            return problems(in: item, field: spec!, name: name)
        default:
            return []
        }
    }

    /// `YYYY-MM-DD`, optionally followed by a time: what Make's date inputs accept.
    private static func isDate(_ value: JSON) -> Bool {
        guard let text = value.stringValue, text.count >= 10 else { return false }
        let digits = Array(text.prefix(10))
        return digits.enumerated().allSatisfy { index, character in
            index == 4 || index == 7 ? character == "-" : character.isNumber
        }
    }
}
