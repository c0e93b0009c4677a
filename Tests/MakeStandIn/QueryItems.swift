import HTTPServer

/// The name/value pairs of a query string or an `application/x-www-form-urlencoded` body, percent-decoded, in order.
///
/// Make's bracketed keys arrive encoded (`pg%5Blimit%5D=10`, `cols%5B%5D=*`); after decoding they are plain
/// `pg[limit]` and `cols[]`, and repeated keys (`cols[]`, `type[]`) keep every value.
struct QueryItems: Sendable {
    private(set) var items: [(name: String, value: String)]

    init(_ encoded: String?) {
        items = []
        guard let encoded else { return }
        for pair in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = HTTPRequest.percentDecoded(parts[0])
            let value = parts.count > 1 ? HTTPRequest.percentDecoded(parts[1]) : ""
            items.append((name, value))
        }
    }

    init(bytes: [UInt8]) {
        self.init(String(decoding: bytes, as: UTF8.self))
    }

    subscript(name: String) -> String? {
        items.first { $0.name == name }?.value
    }

    /// Every value of `name`, also accepting the bracketed array forms `name[]` and `name[1]`.
    func values(_ name: String) -> [String] {
        items.filter { $0.name == name || $0.name == name + "[]" || isIndexed($0.name, of: name) }.map(\.value)
    }

    func contains(_ name: String) -> Bool {
        items.contains { $0.name == name }
    }

    /// `true`/`false` (or `1`/`0`); nil when absent or anything else.
    func bool(_ name: String) -> Bool? {
        switch self[name] {
        case "true", "1": true
        case "false", "0": false
        default: nil
        }
    }

    /// The decoded query as one readable line, for the request log.
    var description: String {
        items.map { $0.value.isEmpty ? $0.name : "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    private func isIndexed(_ key: String, of name: String) -> Bool {
        guard key.hasPrefix(name + "["), key.hasSuffix("]") else { return false }
        let index = key.dropFirst(name.count + 1).dropLast()
        return !index.isEmpty && index.allSatisfy(\.isNumber)
    }
}
