/// Header fields in arrival order. Repeated fields are kept (RFC 9110 §5.3); lookups ignore ASCII case.
package struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    package private(set) var fields: [HTTPField]

    package init() {
        fields = []
    }

    package init(_ fields: [HTTPField]) {
        self.fields = fields
    }

    package init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { HTTPField(name: $0.0, value: $0.1) }
    }

    package var count: Int { fields.count }

    package func makeIterator() -> IndexingIterator<[HTTPField]> {
        fields.makeIterator()
    }

    /// The first value of the named field, or nil when it is absent.
    package subscript(name: String) -> String? {
        fields.first { $0.name.equalsIgnoringASCIICase(name) }?.value
    }

    /// Every value of the named field, in arrival order.
    package func values(for name: String) -> [String] {
        fields.filter { $0.name.equalsIgnoringASCIICase(name) }.map(\.value)
    }

    package func contains(_ name: String) -> Bool {
        fields.contains { $0.name.equalsIgnoringASCIICase(name) }
    }

    /// Whether any value of a comma-separated list field (`Connection`, `Transfer-Encoding`) holds the token.
    package func containsToken(_ token: String, in name: String) -> Bool {
        for field in fields where field.name.equalsIgnoringASCIICase(name) {
            for element in field.value.split(separator: ",") {
                let trimmed = element.trimmingHTTPWhitespace()
                if String(trimmed).equalsIgnoringASCIICase(token) { return true }
            }
        }
        return false
    }

    package mutating func add(name: String, value: String) {
        fields.append(HTTPField(name: name, value: value))
    }

    /// Sets the field to one value, dropping any earlier values of it.
    package mutating func replaceOrAdd(name: String, value: String) {
        remove(name: name)
        fields.append(HTTPField(name: name, value: value))
    }

    package mutating func remove(name: String) {
        fields.removeAll { $0.name.equalsIgnoringASCIICase(name) }
    }
}

extension Substring {
    /// The substring without leading and trailing spaces and tabs (HTTP's optional whitespace, RFC 9110 §5.6.3).
    package func trimmingHTTPWhitespace() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
