/// Byte scans over a JSON-RPC message, instead of a JSON parser on the hot path.
///
/// They rely on what every MCP server writes: compact JSON whose top-level `id` and `result`/`error` keys come
/// before anything nested (`{"jsonrpc":"2.0","id":7,"result":…}`). Strings inside results escape their quotes
/// (`\"id\":`), so a key pattern never matches text inside a string.
enum JSONRPCScan {
    enum Outcome: Equatable {
        case result
        case error
        /// A `tools/call` result with `"isError":true`: the call reached the tool and the tool failed.
        case toolError
        case neither
    }

    /// The first integer `"id":N` in `bytes`, or nil (no id, a string id, or `null`).
    static func responseID(in bytes: UnsafeRawBufferPointer) -> Int? {
        var from = 0
        while let keyEnd = find("\"id\":", in: bytes, from: from) {
            var index = keyEnd
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
            var value = 0
            var digits = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9"),
                digits < 18
            {
                value = value * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
            if digits > 0 { return value }
            from = keyEnd
        }
        return nil
    }

    /// Whether the message is a result or an error: whichever key comes first wins, since top-level keys precede
    /// nested ones.
    static func outcome(in bytes: UnsafeRawBufferPointer, checkingToolError: Bool) -> Outcome {
        let result = find("\"result\":", in: bytes, from: 0)
        let error = find("\"error\":", in: bytes, from: 0)
        switch (result, error) {
        case (let result?, let error?) where error < result: return .error
        case (nil, _?): return .error
        case (_?, _):
            if checkingToolError, find("\"isError\":true", in: bytes, from: 0) != nil { return .toolError }
            return .result
        case (nil, nil): return .neither
        }
    }

    /// The string value of the first `"KEY":"…"` (no escapes expected), such as the negotiated `protocolVersion`.
    static func stringValue(of key: StaticString, in bytes: UnsafeRawBufferPointer) -> String? {
        guard let valueStart = find(key, in: bytes, from: 0) else { return nil }
        var end = valueStart
        while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += 1 }
        guard end < bytes.count else { return nil }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[valueStart..<end]), as: UTF8.self)
    }

    /// The index just past the first occurrence of `pattern` at or after `from`.
    static func find(_ pattern: StaticString, in bytes: UnsafeRawBufferPointer, from: Int) -> Int? {
        let needle = UnsafeRawBufferPointer(start: pattern.utf8Start, count: pattern.utf8CodeUnitCount)
        guard needle.count > 0, bytes.count >= needle.count else { return nil }
        let first = needle[0]
        var index = from
        let last = bytes.count - needle.count
        while index <= last {
            if bytes[index] == first {
                var matched = 1
                while matched < needle.count, bytes[index + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return index + needle.count }
            }
            index += 1
        }
        return nil
    }

    /// Up to `limit` bytes of `bytes` as text, for failure reports.
    static func excerpt(_ bytes: UnsafeRawBufferPointer, limit: Int = 240) -> String {
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<min(limit, bytes.count)]), as: UTF8.self)
        return bytes.count > limit ? text + "…" : text
    }
}
