/// Reads one strict RFC 8259 JSON text into a ``JSONValue``.
///
/// This sits on the hot path of every JSON-RPC request, so it reads straight from a byte buffer, builds strings
/// without escapes from the input slice in one step, and keeps nesting on explicit stacks rather than the call stack,
/// so the depth limit, not the thread's stack size, bounds what it accepts.
///
/// Strictness choices (each one a place where lenient parsers disagree, which is how request smuggling starts):
/// - exactly one value, surrounded only by space, tab, CR and LF; no comments, no trailing commas;
/// - a UTF-8 byte order mark is rejected (RFC 8259 §8.1 lets parsers ignore it; clients must not send it);
/// - numbers follow §6 exactly (no leading zeros, `+`, `.5` or `1.`); integers that fit become `.integer`, other
///   numbers `.double`, and numbers beyond `Double`'s range (`1e400`) are rejected, as §9 allows; `-0` is the
///   integer 0, as in Python's `json`;
/// - strings must be valid UTF-8 without raw control characters, and `\u` escapes must pair surrogates;
/// - a repeated object key keeps its first position and its last value, as Python's and JavaScript's parsers do.
package enum JSONParser {
    /// The default limit on nested arrays and objects: far above any JSON-RPC message or tool argument, and low
    /// enough that a hostile `[[[[…` costs little.
    package static let defaultMaxDepth = 128

    /// Parses `bytes` as one JSON text.
    /// - Parameter maxDepth: How many arrays and objects may nest; one more throws ``JSONParseError/nestingTooDeep``.
    package static func parse(
        _ bytes: UnsafeRawBufferPointer,
        maxDepth: Int = defaultMaxDepth
    ) throws(JSONParseError) -> JSONValue {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { throw .unexpectedEnd(offset: 0) }
        // Raw bytes viewed as UInt8: every byte buffer is validly readable as UInt8.
        let buffer = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        var reader = Reader(bytes: buffer, maxDepth: maxDepth)
        return try reader.parseDocument()
    }

    /// Parses `bytes` as one JSON text, copying them first only if they are not contiguous.
    package static func parse(
        _ bytes: some Collection<UInt8>,
        maxDepth: Int = defaultMaxDepth
    ) throws(JSONParseError) -> JSONValue {
        let result = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(JSONParseError) in try parse(UnsafeRawBufferPointer(buffer), maxDepth: maxDepth) }
        }
        if let result {
            return try result.get()
        }
        return try parse(Array(bytes), maxDepth: maxDepth)
    }
}

// MARK: - Reader

/// The state of one parse: a cursor into the input, the values of containers still open, and a scratch buffer
/// reused by every string with escapes.
private struct Reader {
    /// An array or object whose closing bracket has not been read yet.
    private struct OpenContainer {
        let isObject: Bool
        /// Where its elements or members start on the pending stack.
        let start: Int
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var index = 0
    var scratch: [UInt8] = []
    /// Elements and members of every open container, innermost last; object members as a key string followed by
    /// the value.
    private var pending: [JSONValue] = []

    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw .trailingContent(offset: index) }
        return value
    }

    /// Reads one value of any depth. Elements and members of every open container wait on the `pending` stack;
    /// when a container closes, its slice of the stack is moved into one exactly sized array or object, so each
    /// container costs one allocation however many members it has, and the stacks are allocated once per parse.
    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        var open: [OpenContainer] = []

        readValue: while true {
            skipWhitespace()
            guard index < bytes.count else { throw .unexpectedEnd(offset: index) }
            var value: JSONValue
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                try checkDepth(open.count)
                let isObject = byte == UInt8(ascii: "{")
                index += 1
                skipWhitespace()
                if index < bytes.count, bytes[index] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    index += 1
                    value = isObject ? .object(JSONObject()) : .array([])
                } else {
                    if open.isEmpty {
                        open.reserveCapacity(8)
                        pending.reserveCapacity(32)
                    }
                    open.append(OpenContainer(isObject: isObject, start: pending.count))
                    if isObject {
                        pending.append(.string(try parseKey()))
                    }
                    continue readValue
                }
            case UInt8(ascii: "\""):
                value = .string(try parseString())
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                value = .bool(true)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                value = .bool(false)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                value = .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = try parseNumber()
            default:
                throw .unexpectedByte(byte, offset: index, expected: .value)
            }

            // Hand the finished value to the innermost open container; close every container that ends here.
            while let container = open.last {
                pending.append(consume value)
                skipWhitespace()
                guard index < bytes.count else { throw .unexpectedEnd(offset: index) }
                switch (bytes[index], container.isObject) {
                case (UInt8(ascii: ","), true):
                    index += 1
                    skipWhitespace()
                    pending.append(.string(try parseKey()))
                    continue readValue
                case (UInt8(ascii: ","), false):
                    index += 1
                    continue readValue
                case (UInt8(ascii: "}"), true):
                    index += 1
                    open.removeLast()
                    value = .object(takeObject(from: container.start))
                case (UInt8(ascii: "]"), false):
                    index += 1
                    open.removeLast()
                    value = .array(takeArray(from: container.start))
                case (let other, true):
                    throw .unexpectedByte(other, offset: index, expected: .commaOrClosingBrace)
                case (let other, false):
                    throw .unexpectedByte(other, offset: index, expected: .commaOrClosingBracket)
                }
            }
            return value
        }
    }

    /// Moves the pending values from `start` on into an array. Each is swapped out for `null` rather than copied,
    /// so no element is retained and released again on the way.
    private mutating func takeArray(from start: Int) -> [JSONValue] {
        var elements: [JSONValue] = []
        elements.reserveCapacity(pending.count - start)
        for position in start..<pending.count {
            elements.append(takePending(at: position))
        }
        pending.removeSubrange(start...)
        return elements
    }

    /// Moves the pending keys and values from `start` on into an object; a repeated key keeps its first position
    /// and its last value.
    private mutating func takeObject(from start: Int) -> JSONObject {
        var object = JSONObject()
        object.reserveCapacity((pending.count - start) / 2)
        for keyPosition in stride(from: start, to: pending.count, by: 2) {
            guard case .string(let key) = takePending(at: keyPosition) else {
                preconditionFailure("object keys are pushed as strings")
            }
            object.updateValue(takePending(at: keyPosition + 1), forKey: key)
        }
        pending.removeSubrange(start...)
        return object
    }

    private mutating func takePending(at position: Int) -> JSONValue {
        var value = JSONValue.null
        swap(&value, &pending[position])
        return value
    }

    private func checkDepth(_ openContainers: Int) throws(JSONParseError) {
        guard openContainers < maxDepth else { throw .nestingTooDeep(offset: index, limit: maxDepth) }
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// Reads `"name"` and the colon after it.
    private mutating func parseKey() throws(JSONParseError) -> String {
        guard index < bytes.count else { throw .unexpectedEnd(offset: index) }
        guard bytes[index] == UInt8(ascii: "\"") else {
            throw .unexpectedByte(bytes[index], offset: index, expected: .objectKey)
        }
        let key = try parseString()
        skipWhitespace()
        guard index < bytes.count else { throw .unexpectedEnd(offset: index) }
        guard bytes[index] == UInt8(ascii: ":") else {
            throw .unexpectedByte(bytes[index], offset: index, expected: .colon)
        }
        index += 1
        return key
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - index >= count else { throw .invalidLiteral(offset: index) }
        for offset in 0..<count where bytes[index + offset] != literal.utf8Start[offset] {
            throw .invalidLiteral(offset: index)
        }
        index += count
    }

    // MARK: Strings

    /// Reads a string starting at its opening quote. Plain ASCII is skipped a word at a time; without escapes the
    /// result is made from the input slice in one step, and the first escape switches to copying runs into
    /// `scratch`.
    private mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        var runStart = index
        var hasEscapes = false
        while index < bytes.count {
            index = JSONByteScan.skipPlainASCII(in: bytes, from: index)
            // Step over the plain bytes before the one that stopped the word scan.
            while index < bytes.count, JSONByteScan.isPlainASCII(bytes[index]) {
                index += 1
            }
            guard index < bytes.count else { break }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeBufferPointer(rebasing: bytes[runStart..<index])
                index += 1
                guard hasEscapes else { return String(decoding: run, as: UTF8.self) }
                scratch.append(contentsOf: run)
                return String(decoding: scratch, as: UTF8.self)
            } else if byte == UInt8(ascii: "\\") {
                if !hasEscapes {
                    hasEscapes = true
                    scratch.removeAll(keepingCapacity: true)
                }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                try appendEscape()
                runStart = index
            } else if byte < 0x20 {
                throw .controlCharacter(offset: index)
            } else {
                index += try validUTF8SequenceLength(at: index)
            }
        }
        throw .unexpectedEnd(offset: index)
    }

    /// Decodes the escape at `index` (a backslash) into `scratch`.
    private mutating func appendEscape() throws(JSONParseError) {
        let escapeStart = index
        guard index + 1 < bytes.count else { throw .unexpectedEnd(offset: bytes.count) }
        let kind = bytes[index + 1]
        index += 2
        switch kind {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(kind)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try readHexQuad(escapeStart: escapeStart)
            switch unit {
            case 0xD800...0xDBFF:
                // A high surrogate must be followed at once by an escaped low one (RFC 8259 §7).
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u")
                else { throw .loneSurrogate(offset: escapeStart) }
                let lowStart = index
                index += 2
                let low = try readHexQuad(escapeStart: lowStart)
                guard (0xDC00...0xDFFF).contains(low) else { throw .loneSurrogate(offset: escapeStart) }
                appendUTF8(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
            case 0xDC00...0xDFFF:
                throw .loneSurrogate(offset: escapeStart)
            default:
                appendUTF8(unit)
            }
        default:
            throw .invalidEscape(offset: escapeStart)
        }
    }

    private mutating func readHexQuad(escapeStart: Int) throws(JSONParseError) -> UInt32 {
        guard bytes.count - index >= 4 else { throw .unexpectedEnd(offset: bytes.count) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw .invalidEscape(offset: escapeStart)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case ..<0x80:
            scratch.append(UInt8(scalar))
        case ..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// The length of the well-formed UTF-8 sequence whose lead byte (≥ 0x80) is at `start`, per the table in
    /// RFC 3629 §4: no overlong forms, no surrogates, nothing above U+10FFFF.
    private func validUTF8SequenceLength(at start: Int) throws(JSONParseError) -> Int {
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch bytes[start] {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: throw .invalidUTF8(offset: start)
        }
        guard bytes.count - start >= length, secondRange.contains(bytes[start + 1]) else {
            throw .invalidUTF8(offset: start)
        }
        for continuation in (start + 2)..<(start + length) where bytes[continuation] & 0xC0 != 0x80 {
            throw .invalidUTF8(offset: start)
        }
        return length
    }

    // MARK: Numbers

    /// Reads a number per RFC 8259 §6, accumulating the integer part as it goes so the common case (an integer of
    /// up to 18 digits) never builds a string.
    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        let isNegative = bytes[index] == UInt8(ascii: "-")
        if isNegative {
            index += 1
        }
        guard index < bytes.count else { throw .invalidNumber(offset: start) }
        let digitsStart = index
        var magnitude: UInt64 = 0
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if isDigit(at: index) {
                throw .invalidNumber(offset: start)
            }
        } else if isDigit(at: index) {
            while isDigit(at: index) {
                magnitude = magnitude &* 10 &+ UInt64(bytes[index] &- UInt8(ascii: "0"))
                index += 1
            }
        } else {
            throw .invalidNumber(offset: start)
        }
        // Up to 18 digits cannot overflow `magnitude` or `Int64`, so that common case needs no further checks.
        let hasExactMagnitude = index - digitsStart <= 18

        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            try skipDigits(numberStart: start)
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            try skipDigits(numberStart: start)
        }

        if isInteger, hasExactMagnitude {
            let integer = Int64(magnitude)
            return .integer(isNegative ? -integer : integer)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if isInteger, let integer = Int64(text) {
            return .integer(integer)
        }
        guard let double = Double(text), double.isFinite else { throw .numberOutOfRange(offset: start) }
        return .double(double)
    }

    /// Skips one or more digits, as a fraction or exponent requires.
    private mutating func skipDigits(numberStart: Int) throws(JSONParseError) {
        guard isDigit(at: index) else { throw .invalidNumber(offset: numberStart) }
        while isDigit(at: index) {
            index += 1
        }
    }

    private func isDigit(at position: Int) -> Bool {
        position < bytes.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position])
    }
}
