/// Why a byte sequence is not one strict RFC 8259 JSON text. Every case carries the byte offset where reading
/// stopped, so a client can find the fault in what it sent.
package enum JSONParseError: Error, Equatable, CustomStringConvertible {
    /// The input ended inside a value, or held no value at all.
    case unexpectedEnd(offset: Int)
    /// A byte that cannot start or continue the value being read. A UTF-8 byte order mark lands here too.
    case unexpectedByte(UInt8, offset: Int, expected: Expectation)
    /// Something that starts like `true`, `false` or `null` but is not.
    case invalidLiteral(offset: Int)
    /// A number that breaks the RFC 8259 §6 grammar: leading zeros, a bare `-`, `1.`, `1e`.
    case invalidNumber(offset: Int)
    /// A number too large for a `Double` (such as `1e400`), rejected so no value ever holds an infinity.
    case numberOutOfRange(offset: Int)
    /// A backslash followed by anything but `"` `\` `/` `b` `f` `n` `r` `t` or `u` with four hex digits.
    case invalidEscape(offset: Int)
    /// A `\u` escape naming half of a surrogate pair without its other half.
    case loneSurrogate(offset: Int)
    /// An unescaped byte below 0x20 inside a string (RFC 8259 §7).
    case controlCharacter(offset: Int)
    /// Bytes that are not well-formed UTF-8 (RFC 8259 §8.1, RFC 3629).
    case invalidUTF8(offset: Int)
    /// More nested arrays and objects than the parser's `maxDepth` allows.
    case nestingTooDeep(offset: Int, limit: Int)
    /// Anything but whitespace after the value.
    case trailingContent(offset: Int)

    /// What the parser was looking for when it met an unexpected byte.
    package enum Expectation: Equatable, Sendable, CustomStringConvertible {
        case value
        case objectKey
        case colon
        case commaOrClosingBracket
        case commaOrClosingBrace

        package var description: String {
            switch self {
            case .value: "a value"
            case .objectKey: "a string object key"
            case .colon: "':' after an object key"
            case .commaOrClosingBracket: "',' or ']'"
            case .commaOrClosingBrace: "',' or '}'"
            }
        }
    }

    /// The zero-based byte offset of the fault.
    package var offset: Int {
        switch self {
        case .unexpectedEnd(let offset), .unexpectedByte(_, let offset, _), .invalidLiteral(let offset),
            .invalidNumber(let offset), .numberOutOfRange(let offset), .invalidEscape(let offset),
            .loneSurrogate(let offset), .controlCharacter(let offset), .invalidUTF8(let offset),
            .nestingTooDeep(let offset, _), .trailingContent(let offset):
            offset
        }
    }

    /// The fault in words, without the offset.
    package var reason: String {
        switch self {
        case .unexpectedEnd: "unexpected end of input"
        case .unexpectedByte(let byte, _, let expected): "unexpected \(Self.describe(byte)), expected \(expected)"
        case .invalidLiteral: "invalid literal (expected true, false or null)"
        case .invalidNumber: "invalid number"
        case .numberOutOfRange: "number is out of range"
        case .invalidEscape: "invalid escape sequence in string"
        case .loneSurrogate: "unpaired UTF-16 surrogate in \\u escape"
        case .controlCharacter: "unescaped control character in string"
        case .invalidUTF8: "invalid UTF-8"
        case .nestingTooDeep(_, let limit): "arrays and objects nested deeper than \(limit) levels"
        case .trailingContent: "unexpected content after the JSON value"
        }
    }

    package var description: String {
        "invalid JSON at byte \(offset): \(reason)"
    }

    private static func describe(_ byte: UInt8) -> String {
        if (0x21...0x7E).contains(byte) {
            return "'\(Character(Unicode.Scalar(byte)))'"
        }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x\(hex.count == 1 ? "0" + hex : hex)"
    }
}
