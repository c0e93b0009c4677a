/// Writes compact JSON (no insignificant whitespace) by appending bytes to a caller's buffer, so a response is
/// built in one growing array with no intermediate strings.
///
/// Output rules: strings escape only what RFC 8259 §7 requires (`"`, `\` and controls, with the short forms
/// `\b \f \n \r \t`), leave `/` alone and emit non-ASCII as raw UTF-8; integers are exact; doubles use Swift's
/// shortest round-trip form, which is always valid JSON for finite values.
package enum JSONSerializer {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `value` as compact JSON.
    package static func append(_ value: JSONValue, to bytes: inout [UInt8]) {
        switch value {
        case .null:
            appendLiteral("null", to: &bytes)
        case .bool(let flag):
            appendLiteral(flag ? "true" : "false", to: &bytes)
        case .integer(let integer):
            appendInteger(integer, to: &bytes)
        case .double(let double):
            appendDouble(double, to: &bytes)
        case .string(let string):
            appendString(string, to: &bytes)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for position in elements.indices {
                if position > 0 {
                    bytes.append(UInt8(ascii: ","))
                }
                append(elements[position], to: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            // Indexing the members borrows each key and value instead of copying the pair.
            for position in object.members.indices {
                if position > 0 {
                    bytes.append(UInt8(ascii: ","))
                }
                appendString(object.members[position].key, to: &bytes)
                bytes.append(UInt8(ascii: ":"))
                append(object.members[position].value, to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Appends fixed ASCII text such as `null` or `{"jsonrpc":"2.0"`, copied in one step.
    package static func appendLiteral(_ text: StaticString, to bytes: inout [UInt8]) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends `string` as a JSON string literal, skipping bytes that need no escaping a word at a time and copying
    /// them in bulk.
    package static func appendString(_ string: String, to bytes: inout [UInt8]) {
        var string = string
        string.withUTF8 { utf8 in
            bytes.append(UInt8(ascii: "\""))
            var runStart = 0
            var position = 0
            while position < utf8.count {
                position = JSONByteScan.skipUnescaped(in: utf8, from: position)
                // Step over the bytes before the one that stopped the word scan.
                while position < utf8.count, !JSONByteScan.needsEscaping(utf8[position]) {
                    position += 1
                }
                guard position < utf8.count else { break }
                let byte = utf8[position]
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<position]))
                position += 1
                runStart = position
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    appendLiteral("u00", to: &bytes)
                    bytes.append(hexDigits[Int(byte >> 4)])
                    bytes.append(hexDigits[Int(byte & 0x0F)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
            bytes.append(UInt8(ascii: "\""))
        }
    }

    /// Appends the decimal digits of `integer`, written into a small stack buffer rather than a `String`.
    package static func appendInteger(_ integer: Int64, to bytes: inout [UInt8]) {
        if (0..<10).contains(integer) {
            bytes.append(UInt8(ascii: "0") + UInt8(integer))
            return
        }
        if integer < 0 {
            bytes.append(UInt8(ascii: "-"))
        }
        var magnitude = integer.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    /// Appends `double` in its shortest round-trip form (`0.1`, `1e+21`, `-0.0`).
    ///
    /// Infinities and NaN have no JSON spelling; the parser never produces them, so one here is a programmer error
    /// and is written as `null` rather than as invalid JSON.
    package static func appendDouble(_ double: Double, to bytes: inout [UInt8]) {
        guard double.isFinite else {
            appendLiteral("null", to: &bytes)
            return
        }
        bytes.append(contentsOf: double.description.utf8)
    }
}
