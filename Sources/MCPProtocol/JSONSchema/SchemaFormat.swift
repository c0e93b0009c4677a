/// A `format` keyword this validator asserts. Other formats are annotations and pass, as JSON Schema 2020-12 makes
/// every format by default; asserting these few catches the argument mistakes models actually make.
enum SchemaFormat: String, Sendable {
    /// RFC 3339 §5.6 `date-time`: `2025-01-31T12:00:00Z`, `2025-01-31t12:00:00.5+01:00`.
    case dateTime = "date-time"
    /// RFC 3339 §5.6 `full-date`: `2025-01-31`.
    case date
    /// A loose mailbox check: one `@` with a non-empty local part and a dotted-label domain, no whitespace. Full
    /// RFC 5321 (quoted local parts, address literals) is not attempted.
    case email
    /// A loose absolute-URI check: an RFC 3986 scheme, a colon, and no whitespace, controls or characters that
    /// RFC 3986 never allows unencoded.
    case uri

    /// How messages describe the expected form.
    var expectation: String {
        switch self {
        case .dateTime: "a valid date-time (RFC 3339, e.g. 2025-01-31T12:00:00Z)"
        case .date: "a valid date (YYYY-MM-DD)"
        case .email: "a valid email address"
        case .uri: "a valid absolute URI (e.g. https://example.com/path)"
        }
    }

    /// Whether `string` has this format.
    func matches(_ string: String) -> Bool {
        var string = string
        return string.withUTF8 { bytes in
            switch self {
            case .dateTime: Self.isDateTime(bytes)
            case .date: bytes.count == 10 && Self.isDate(bytes, at: 0)
            case .email: Self.isEmail(bytes)
            case .uri: Self.isURI(bytes)
            }
        }
    }

    // MARK: Dates

    private static func isDateTime(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // date "T" HH:MM:SS [.fraction] offset; the shortest form is 2025-01-31T12:00:00Z (20 bytes).
        guard bytes.count >= 20, isDate(bytes, at: 0), bytes[10] | 0x20 == UInt8(ascii: "t"),
            let hour = number(bytes, 11, 2), hour <= 23, bytes[13] == UInt8(ascii: ":"),
            let minute = number(bytes, 14, 2), minute <= 59, bytes[16] == UInt8(ascii: ":"),
            let second = number(bytes, 17, 2), second <= 60
        else { return false }
        var index = 19
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < bytes.count, isDigit(bytes[index]) {
                index += 1
            }
            guard index > fractionStart else { return false }
        }
        guard index < bytes.count else { return false }
        if bytes[index] | 0x20 == UInt8(ascii: "z") {
            return index + 1 == bytes.count
        }
        guard bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"), bytes.count - index == 6,
            let offsetHour = number(bytes, index + 1, 2), offsetHour <= 23, bytes[index + 3] == UInt8(ascii: ":"),
            let offsetMinute = number(bytes, index + 4, 2), offsetMinute <= 59
        else { return false }
        return true
    }

    /// RFC 3339 `full-date` at `start`, with the day checked against the month and leap years.
    private static func isDate(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        guard let year = number(bytes, start, 4), bytes[start + 4] == UInt8(ascii: "-"),
            let month = number(bytes, start + 5, 2), (1...12).contains(month), bytes[start + 7] == UInt8(ascii: "-"),
            let day = number(bytes, start + 8, 2), day >= 1
        else { return false }
        let isLeapYear = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let daysInMonth =
            switch month {
            case 2: isLeapYear ? 29 : 28
            case 4, 6, 9, 11: 30
            default: 31
            }
        return day <= daysInMonth
    }

    /// The decimal value of exactly `count` digits at `start`, or `nil` if the input is shorter or any is not a digit.
    private static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        guard bytes.count - start >= count else { return nil }
        var value = 0
        for byte in bytes[start..<(start + count)] {
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    // MARK: Email and URI

    private static func isEmail(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")), at > 0, at < bytes.count - 1,
            !bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F })
        else { return false }
        let labels = bytes[(at + 1)...].split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return labels.count >= 2
            && labels.allSatisfy { label in
                !label.isEmpty
                    && label.allSatisfy { $0 >= 0x80 || isDigit($0) || isLetter($0) || $0 == UInt8(ascii: "-") }
            }
    }

    /// Printable ASCII that RFC 3986 never allows unencoded in a URI.
    private static let uriExcluded = Array(#"<>"{}|\^`"#.utf8)

    private static func isURI(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0, isLetter(bytes[0]) else { return false }
        let schemeIsValid = bytes[1..<colon].allSatisfy { byte in
            isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: ".")
        }
        return schemeIsValid && colon < bytes.count - 1
            && !bytes.contains { $0 <= 0x20 || $0 == 0x7F || uriExcluded.contains($0) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }
}
