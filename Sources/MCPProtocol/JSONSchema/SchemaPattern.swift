import Synchronization

/// A compiled `pattern` keyword, matched anywhere in the string as JSON Schema requires (patterns are not
/// implicitly anchored).
///
/// Patterns are compiled with Swift's `Regex`, whose syntax covers what tool schemas use from ECMA-262 (classes,
/// anchors, quantifiers, groups, alternation); exotic ECMA-only forms may be read differently or fail to compile,
/// which surfaces as a ``JSONSchemaError`` at startup. `Regex` is not `Sendable`, so the compiled value lives in a
/// `Mutex` and each match holds it briefly; matching is pure CPU work on a short argument string.
final class SchemaPattern: Sendable {
    /// The pattern as written in the schema, quoted back in violation messages.
    let source: String
    private let regex: Mutex<Regex<AnyRegexOutput>>

    /// Compiles `source`, or returns `nil` if `Regex` rejects it.
    init?(_ source: String) {
        guard let regex = try? Regex(source) else { return nil }
        self.source = source
        self.regex = Mutex(regex)
    }

    /// Whether the pattern matches somewhere in `string`.
    func matches(_ string: String) -> Bool {
        regex.withLock { string.contains($0) }
    }
}
