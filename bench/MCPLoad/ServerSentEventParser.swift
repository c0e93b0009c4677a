/// An incremental `text/event-stream` parser (WHATWG rules): lines end in CR LF, LF or a lone CR; `event:` names
/// the event; `data:` lines join with LF; a line starting with `:` is a comment (keep-alive); a blank line
/// dispatches the event if it has data. Only `event` and `data` are kept: a load client needs nothing else.
struct ServerSentEventParser {
    /// The dispatched event's type (`message` when the stream named none) and data, valid until the next call
    /// to ``next(_:_:)``.
    private(set) var eventName: [UInt8] = []
    private(set) var data: [UInt8] = []

    private var line: [UInt8] = []
    private var hasData = false
    private var wasDispatched = false
    /// The previous byte was a CR, so an LF that follows belongs to the same line end (possibly across reads).
    private var lastWasCR = false

    init() {
        line.reserveCapacity(1024)
        data.reserveCapacity(1024)
    }

    /// Forgets any partial event, keeping the buffers' capacity (a new response stream starts).
    mutating func reset() {
        eventName.removeAll(keepingCapacity: true)
        data.removeAll(keepingCapacity: true)
        line.removeAll(keepingCapacity: true)
        hasData = false
        wasDispatched = false
        lastWasCR = false
    }

    /// Whether the dispatched event's type is `name`.
    func isEvent(_ name: StaticString) -> Bool {
        let wanted = UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        if eventName.isEmpty { return wanted.elementsEqual("message".utf8) }
        return eventName.elementsEqual(wanted)
    }

    /// Parses `input` from `offset` until an event is complete (true; read ``eventName`` and ``data``) or the
    /// input is used up (false).
    mutating func next(_ input: UnsafeRawBufferPointer, _ offset: inout Int) -> Bool {
        if wasDispatched {
            wasDispatched = false
            eventName.removeAll(keepingCapacity: true)
            data.removeAll(keepingCapacity: true)
            hasData = false
        }
        while offset < input.count {
            if lastWasCR {
                lastWasCR = false
                if input[offset] == UInt8(ascii: "\n") {
                    offset += 1
                    continue
                }
            }
            var index = offset
            while index < input.count {
                let byte = input[index]
                if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
                index += 1
            }
            if index == input.count {
                line.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[offset..<index]))
                offset = index
                return false
            }
            lastWasCR = input[index] == UInt8(ascii: "\r")
            let isComplete: Bool
            if line.isEmpty {
                isComplete = processLine(UnsafeRawBufferPointer(rebasing: input[offset..<index]))
            } else {
                line.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[offset..<index]))
                isComplete = line.withUnsafeBytes { processLine($0) }
                line.removeAll(keepingCapacity: true)
            }
            offset = index + 1
            if isComplete {
                wasDispatched = true
                return true
            }
        }
        return false
    }

    /// Applies one line; true when it was the blank line that dispatches an event with data.
    private mutating func processLine(_ line: UnsafeRawBufferPointer) -> Bool {
        guard !line.isEmpty else {
            if hasData { return true }
            eventName.removeAll(keepingCapacity: true)
            return false
        }
        if line[0] == UInt8(ascii: ":") { return false }
        var colon = 0
        while colon < line.count, line[colon] != UInt8(ascii: ":") { colon += 1 }
        let field = UnsafeRawBufferPointer(rebasing: line[0..<colon])
        var valueStart = min(colon + 1, line.count)
        if valueStart < line.count, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = UnsafeRawBufferPointer(rebasing: line[valueStart..<line.count])
        if field.elementsEqual("data".utf8) {
            if hasData { data.append(UInt8(ascii: "\n")) }
            data.append(contentsOf: value)
            hasData = true
        } else if field.elementsEqual("event".utf8) {
            eventName.removeAll(keepingCapacity: true)
            eventName.append(contentsOf: value)
        }
        return false
    }
}
