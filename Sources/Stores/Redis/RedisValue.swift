/// A Redis reply (RESP2, as hiredis 0.14 reads it), copied out of hiredis's memory.
package enum RedisValue: Sendable, Equatable {
    case simpleString(String)
    case error(String)
    case integer(Int64)
    case bulkString([UInt8])
    case null
    case array([RedisValue])

    /// The value as text: bulk or simple strings, and integers in decimal.
    package var string: String? {
        switch self {
        case .simpleString(let text): text
        case .bulkString(let bytes): String(decoding: bytes, as: UTF8.self)
        case .integer(let value): String(value)
        default: nil
        }
    }

    package var bytes: [UInt8]? {
        switch self {
        case .bulkString(let bytes): bytes
        case .simpleString(let text): Array(text.utf8)
        default: nil
        }
    }

    package var integer: Int64? {
        switch self {
        case .integer(let value): value
        case .bulkString, .simpleString: string.flatMap { Int64($0) }
        default: nil
        }
    }

    package var array: [RedisValue]? {
        if case .array(let elements) = self { elements } else { nil }
    }

    package var isNull: Bool {
        if case .null = self { true } else { false }
    }
}
