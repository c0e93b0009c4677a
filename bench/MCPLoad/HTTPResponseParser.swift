/// What the response parser found next in the bytes it was given.
enum HTTPResponseEvent {
    case head(HTTPResponseHead)
    /// Body bytes with any chunked framing removed; valid only until the caller returns.
    case body(UnsafeRawBufferPointer)
    case end
    case malformed(String)
}

/// The parts of a response head the load client acts on.
struct HTTPResponseHead {
    var status = 0
    var contentLength: Int?
    var isChunked = false
    var isEventStream = false
    var isConnectionClose = false
    var sessionID: String?
    /// Only kept for redirects.
    var location: String?
}

/// An incremental HTTP/1.1 response parser: bytes in, one event out per call, so the caller reacts to each event
/// (and may send, reconnect or close) without the parser being mid-mutation. Handles Content-Length, chunked and
/// close-delimited bodies, which covers `application/json` answers and both kinds of SSE stream.
struct HTTPResponseParser {
    private enum State {
        case head
        case fixed(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailer
        case untilClose
    }

    private var state = State.head
    /// The head, or a chunk-size or trailer line, while it is incomplete.
    private var pending: [UInt8] = []
    /// Bytes on the current head line that are not CR, so an empty line (the end of the head) is recognised
    /// even when it straddles two reads.
    private var headLineLength = 0
    private static let maximumHeadBytes = 65536

    init() {
        pending.reserveCapacity(512)
    }

    /// Whether the parser sits between responses, so the connection may be reused or dropped without loss.
    var isIdle: Bool {
        if case .head = state { return pending.isEmpty }
        return false
    }

    /// The next event found in `input` from `offset`, which it advances past the bytes consumed; nil once
    /// `input` is used up without completing an event.
    mutating func next(_ input: UnsafeRawBufferPointer, _ offset: inout Int) -> HTTPResponseEvent? {
        switch state {
        case .head:
            return nextHead(input, &offset)
        case .fixed(let remaining):
            if remaining == 0 {
                state = .head
                return .end
            }
            guard offset < input.count else { return nil }
            let count = min(remaining, input.count - offset)
            let slice = UnsafeRawBufferPointer(rebasing: input[offset..<(offset + count)])
            offset += count
            state = .fixed(remaining: remaining - count)
            return .body(slice)
        case .chunkSize:
            guard nextLine(input, &offset) else { return nil }
            let size = Self.chunkSize(pending)
            pending.removeAll(keepingCapacity: true)
            guard let size else { return .malformed("bad chunk size line") }
            state = size == 0 ? .trailer : .chunkData(remaining: size)
            return next(input, &offset)
        case .chunkData(let remaining):
            guard offset < input.count else { return nil }
            let count = min(remaining, input.count - offset)
            let slice = UnsafeRawBufferPointer(rebasing: input[offset..<(offset + count)])
            offset += count
            state = count == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - count)
            return .body(slice)
        case .chunkDataEnd:
            guard nextLine(input, &offset) else { return nil }
            pending.removeAll(keepingCapacity: true)
            state = .chunkSize
            return next(input, &offset)
        case .trailer:
            guard nextLine(input, &offset) else { return nil }
            let isEmptyLine = pending.isEmpty
            pending.removeAll(keepingCapacity: true)
            if isEmptyLine {
                state = .head
                return .end
            }
            return next(input, &offset)
        case .untilClose:
            guard offset < input.count else { return nil }
            let slice = UnsafeRawBufferPointer(rebasing: input[offset..<input.count])
            offset = input.count
            return .body(slice)
        }
    }

    /// Called at end of stream: a close-delimited body ends here; anything else cut short is an error.
    mutating func finish() -> HTTPResponseEvent? {
        switch state {
        case .untilClose:
            state = .head
            return .end
        case .head where pending.isEmpty:
            return nil
        default:
            return .malformed("connection closed mid-response")
        }
    }

    // MARK: - Head

    private mutating func nextHead(_ input: UnsafeRawBufferPointer, _ offset: inout Int) -> HTTPResponseEvent? {
        var index = offset
        var end: Int?
        while index < input.count {
            let byte = input[index]
            index += 1
            if byte == UInt8(ascii: "\n") {
                if headLineLength == 0, pending.count + (index - offset) > 2 {
                    end = index
                    break
                }
                headLineLength = 0
            } else if byte != UInt8(ascii: "\r") {
                headLineLength += 1
            }
        }
        pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[offset..<index]))
        offset = index
        guard end != nil else {
            return pending.count > Self.maximumHeadBytes ? .malformed("response head over 64 KiB") : nil
        }
        headLineLength = 0
        let head = Self.parseHead(pending)
        pending.removeAll(keepingCapacity: true)
        guard let head else { return .malformed("bad status line") }
        if (100..<200).contains(head.status) {
            // Interim responses (100 Continue, 103 Early Hints) precede the real one.
            return nextHead(input, &offset)
        }
        if head.status == 204 || head.status == 304 {
            state = .fixed(remaining: 0)
        } else if head.isChunked {
            state = .chunkSize
        } else if let length = head.contentLength {
            state = .fixed(remaining: length)
        } else {
            state = .untilClose
        }
        return .head(head)
    }

    /// Reads the status and the few headers that matter, scanning lines in place (this runs once per response).
    private static func parseHead(_ bytes: [UInt8]) -> HTTPResponseHead? {
        bytes.withUnsafeBytes { raw -> HTTPResponseHead? in
            var head = HTTPResponseHead()
            var lineStart = 0
            var isStatusLine = true
            while lineStart < raw.count {
                var lineEnd = lineStart
                while lineEnd < raw.count, raw[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
                let next = lineEnd + 1
                if lineEnd > lineStart, raw[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
                let line = UnsafeRawBufferPointer(rebasing: raw[lineStart..<lineEnd])
                lineStart = next
                if isStatusLine {
                    isStatusLine = false
                    guard line.count >= 12, line.starts(with: "HTTP/1.".utf8) else { return nil }
                    var status = 0
                    for index in 9..<12 {
                        let digit = line[index] &- UInt8(ascii: "0")
                        guard digit < 10 else { return nil }
                        status = status * 10 + Int(digit)
                    }
                    head.status = status
                    head.isConnectionClose = line[7] == UInt8(ascii: "0")
                    continue
                }
                guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
                let name = UnsafeRawBufferPointer(rebasing: line[0..<colon])
                var valueStart = colon + 1
                while valueStart < line.count, line[valueStart] == UInt8(ascii: " ") || line[valueStart] == 9 {
                    valueStart += 1
                }
                var valueEnd = line.count
                while valueEnd > valueStart, line[valueEnd - 1] == UInt8(ascii: " ") || line[valueEnd - 1] == 9 {
                    valueEnd -= 1
                }
                let value = UnsafeRawBufferPointer(rebasing: line[valueStart..<valueEnd])
                switch name.count {
                case 14 where equalsIgnoringCase(name, "content-length"):
                    var length = 0
                    for byte in value {
                        let digit = byte &- UInt8(ascii: "0")
                        guard digit < 10, length < 1 << 40 else { return nil }
                        length = length * 10 + Int(digit)
                    }
                    head.contentLength = length
                case 17 where equalsIgnoringCase(name, "transfer-encoding"):
                    head.isChunked = containsIgnoringCase(value, "chunked")
                case 12 where equalsIgnoringCase(name, "content-type"):
                    head.isEventStream = startsIgnoringCase(value, "text/event-stream")
                case 10 where equalsIgnoringCase(name, "connection"):
                    head.isConnectionClose = containsIgnoringCase(value, "close")
                case 14 where equalsIgnoringCase(name, "mcp-session-id"):
                    head.sessionID = String(decoding: value, as: UTF8.self)
                case 8 where (300..<400).contains(head.status) && equalsIgnoringCase(name, "location"):
                    head.location = String(decoding: value, as: UTF8.self)
                default:
                    break
                }
            }
            return isStatusLine ? nil : head
        }
    }

    private static func lowered(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    private static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
        bytes.count == lowercase.utf8CodeUnitCount && startsIgnoringCase(bytes, lowercase)
    }

    private static func startsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
        let count = lowercase.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        for index in 0..<count where lowered(bytes[index]) != lowercase.utf8Start[index] { return false }
        return true
    }

    private static func containsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
        let count = lowercase.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        for start in 0...(bytes.count - count)
        where startsIgnoringCase(UnsafeRawBufferPointer(rebasing: bytes[start...]), lowercase) {
            return true
        }
        return false
    }

    // MARK: - Chunked framing

    /// Gathers the next LF-terminated line into `pending`, without its CR LF, across reads; true once it is
    /// complete (the caller then empties `pending`).
    private mutating func nextLine(_ input: UnsafeRawBufferPointer, _ offset: inout Int) -> Bool {
        var index = offset
        while index < input.count, input[index] != UInt8(ascii: "\n") { index += 1 }
        pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[offset..<index]))
        guard index < input.count else {
            offset = index
            return false
        }
        offset = index + 1
        if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
        return true
    }

    private static func chunkSize(_ line: [UInt8]) -> Int? {
        var size = 0
        var digits = 0
        for byte in line {
            let value: Int
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = Int(byte - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = Int(byte - UInt8(ascii: "A")) + 10
            case UInt8(ascii: ";"), UInt8(ascii: " "), UInt8(ascii: "\t"):
                return digits > 0 ? size : nil
            default: return nil
            }
            guard digits < 15 else { return nil }
            size = size * 16 + value
            digits += 1
        }
        return digits > 0 ? size : nil
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (header values, SSE field values).
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
