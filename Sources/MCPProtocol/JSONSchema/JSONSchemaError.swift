/// Why a schema could not be compiled. Schemas are compiled once when tools are registered, so these surface at
/// startup, never per call.
package enum JSONSchemaError: Error, Equatable, CustomStringConvertible {
    /// A keyword's value has the wrong shape, such as `"minimum": "5"` or `"required": "id"`.
    case invalidKeyword(path: String, reason: String)
    /// A keyword this validator does not enforce. Refusing it beats silently accepting instances it would reject.
    case unsupportedKeyword(path: String)
    /// A `pattern` that Swift's `Regex` cannot compile.
    case invalidPattern(path: String, pattern: String)

    /// The JSON pointer into the schema (`#/properties/limit/maximum`) of the faulty keyword.
    package var path: String {
        switch self {
        case .invalidKeyword(let path, _), .unsupportedKeyword(let path), .invalidPattern(let path, _): path
        }
    }

    package var description: String {
        switch self {
        case .invalidKeyword(let path, let reason): "invalid schema at \(path): \(reason)"
        case .unsupportedKeyword(let path): "unsupported schema keyword at \(path)"
        case .invalidPattern(let path, let pattern): "invalid regular expression at \(path): \(pattern)"
        }
    }
}
