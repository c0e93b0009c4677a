import Foundation

/// A JSON value the world can store behind a lock: unlike `JSONSerialization`'s `Any`, it is `Sendable` and
/// `Equatable`. Integers and fractions are kept apart so ids render as `7`, never `7.0`.
enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    // MARK: - Reading

    subscript(key: String) -> JSON? {
        get {
            guard case .object(let object) = self else { return nil }
            return object[key]
        }
        set {
            guard case .object(var object) = self else { return }
            object[key] = newValue
            self = .object(object)
        }
    }

    var objectValue: [String: JSON]? {
        if case .object(let object) = self { return object }
        return nil
    }

    var arrayValue: [JSON]? {
        if case .array(let array) = self { return array }
        return nil
    }

    var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    var boolValue: Bool? {
        if case .bool(let bool) = self { return bool }
        return nil
    }

    /// The value as an integer: an integer, a whole fraction, or a string of digits (query-style ids).
    var intValue: Int? {
        switch self {
        case .int(let int): int
        case .double(let double): double == double.rounded() ? Int(exactly: double) : nil
        case .string(let string): Int(string)
        default: nil
        }
    }

    var doubleValue: Double? {
        switch self {
        case .int(let int): Double(int)
        case .double(let double): double
        default: nil
        }
    }

    var isNull: Bool { self == .null }

    /// Whether this value, used as an id, equals the id written in a path (`7` matches `"7"`).
    func matchesID(_ text: String) -> Bool {
        switch self {
        case .int(let int): String(int) == text
        case .string(let string): string == text
        default: false
        }
    }

    /// The object with `other`'s keys written over this one's; non-objects are replaced outright.
    func merging(_ other: JSON) -> JSON {
        guard case .object(var base) = self, case .object(let patch) = other else { return other }
        for (key, value) in patch { base[key] = value }
        return .object(base)
    }

    /// The object keeping only `keys` (column selection); non-objects are returned unchanged.
    func selecting(_ keys: [String]) -> JSON {
        guard case .object(let object) = self else { return self }
        return .object(object.filter { keys.contains($0.key) })
    }

    // MARK: - Bytes

    /// Parses UTF-8 JSON text; nil when it is not JSON.
    static func parse(_ bytes: [UInt8]) -> JSON? {
        try? JSONDecoder().decode(JSON.self, from: Data(bytes))
    }

    static func parse(_ text: String) -> JSON? {
        parse(Array(text.utf8))
    }

    /// Compact JSON text with sorted keys, so bodies are stable from run to run.
    var encoded: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? Array(encoder.encode(self))) ?? Array("null".utf8)
    }

    var encodedString: String { String(decoding: encoded, as: UTF8.self) }
}

// MARK: - Codable

extension JSON: Codable {
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let int = try? container.decode(Int.self) {
            self = .int(int)
        } else if let double = try? container.decode(Double.self) {
            self = .double(double)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSON].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSON].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let bool): try container.encode(bool)
        case .int(let int): try container.encode(int)
        case .double(let double): try container.encode(double)
        case .string(let string): try container.encode(string)
        case .array(let array): try container.encode(array)
        case .object(let object): try container.encode(object)
        }
    }
}

// MARK: - Literals

extension JSON: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    init(nilLiteral: ()) { self = .null }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(integerLiteral value: Int) { self = .int(value) }
    init(floatLiteral value: Double) { self = .double(value) }
    init(stringLiteral value: String) { self = .string(value) }
    init(arrayLiteral elements: JSON...) { self = .array(elements) }

    init(dictionaryLiteral elements: (String, JSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { $1 }))
    }
}

extension JSON {
    /// An optional value as JSON, `null` when absent.
    init(_ value: Int?) { self = value.map(JSON.int) ?? .null }
    init(_ value: String?) { self = value.map(JSON.string) ?? .null }
}
