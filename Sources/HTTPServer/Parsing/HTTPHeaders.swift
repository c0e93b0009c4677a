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
        containsListElement(matchingAnyOf: [token], in: name)
    }

    /// Whether any value of a comma-separated list field has an element equal, ignoring ASCII case and surrounding
    /// whitespace, to one of `candidates`. With `ignoringParameters`, an element ends at its first `;`, so
    /// `text/*;q=0.5` matches `text/*` (`Accept`). Read in place, byte by byte, since this runs on every request.
    package func containsListElement(matchingAnyOf candidates: [String], in name: String,
                                     ignoringParameters: Bool = false) -> Bool {
        for field in fields where field.name.equalsIgnoringASCIICase(name) {
            var value = field.value
            let found = value.withUTF8 { bytes in
                Self.listElements(of: bytes, ignoringParameters: ignoringParameters) { element in
                    candidates.contains { asciiCaseInsensitiveEqual(element, $0.utf8) }
                }
            }
            if found { return true }
        }
        return false
    }

    /// Calls `matches` with each trimmed element of a list value until it returns true; returns whether one did.
    private static func listElements(
        of bytes: UnsafeBufferPointer<UInt8>, ignoringParameters: Bool,
        _ matches: (UnsafeBufferPointer<UInt8>) -> Bool
    ) -> Bool {
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: ",") { end += 1 }
            var lower = start
            var upper = end
            if ignoringParameters, let semicolon = (start..<end).first(where: { bytes[$0] == UInt8(ascii: ";") }) {
                upper = semicolon
            }
            while lower < upper, bytes[lower] == UInt8(ascii: " ") || bytes[lower] == UInt8(ascii: "\t") { lower += 1 }
            while upper > lower, bytes[upper - 1] == UInt8(ascii: " ") || bytes[upper - 1] == UInt8(ascii: "\t") {
                upper -= 1
            }
            if lower < upper, matches(UnsafeBufferPointer(rebasing: bytes[lower..<upper])) { return true }
            start = end + 1
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
