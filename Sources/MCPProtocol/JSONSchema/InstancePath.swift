/// Where the validator is inside the instance, kept as a stack of components and turned into text only when a
/// violation is reported, so valid arguments cost no string building.
struct InstancePath {
    private enum Component {
        case key(String)
        case index(Int)
    }

    private var components: [Component] = []

    init() {
        // Deep enough for tool arguments without regrowing.
        components.reserveCapacity(8)
    }

    mutating func push(key: String) {
        components.append(.key(key))
    }

    mutating func push(index: Int) {
        components.append(.index(index))
    }

    mutating func pop() {
        components.removeLast()
    }

    /// A violation of `keyword` at the current position.
    func violation(_ keyword: String, _ message: String) -> JSONSchemaViolation {
        JSONSchemaViolation(path: text, keyword: keyword, message: message)
    }

    /// Dotted form: `filters[2].name`; keys that are not identifiers are quoted, `["team id"]`.
    private var text: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key) where Self.isIdentifier(key):
                if !text.isEmpty {
                    text += "."
                }
                text += key
            case .key(let key):
                text += "[\(JSONValue.string(key))]"
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }

    private static func isIdentifier(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { return false }
        return key.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "$"), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
    }
}
