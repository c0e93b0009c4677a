/// One Server-Sent Events message, framed by the WHATWG event-stream rules.
package struct ServerSentEvent: Sendable, Equatable {
    package var id: String?
    package var event: String?
    /// The payload; each line becomes its own `data:` line so embedded newlines survive.
    package var data: String
    /// Reconnection delay in milliseconds.
    package var retry: Int?

    package init(id: String? = nil, event: String? = nil, data: String, retry: Int? = nil) {
        self.id = id
        self.event = event
        self.data = data
        self.retry = retry
    }

    /// The event as bytes, ending with the blank line that dispatches it.
    package var encoded: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(data.utf8.count + 32)
        if let id {
            bytes.append(contentsOf: "id: ".utf8)
            bytes.append(contentsOf: id.utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
        if let event {
            bytes.append(contentsOf: "event: ".utf8)
            bytes.append(contentsOf: event.utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
        if let retry {
            bytes.append(contentsOf: "retry: \(retry)\n".utf8)
        }
        // An explicit empty `data:` line keeps an event with empty data dispatchable (the priming event).
        var lineStart = data.utf8.startIndex
        let utf8 = data.utf8
        repeat {
            let lineEnd = utf8[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
            bytes.append(contentsOf: "data: ".utf8)
            bytes.append(contentsOf: utf8[lineStart..<lineEnd])
            bytes.append(UInt8(ascii: "\n"))
            lineStart = lineEnd == utf8.endIndex ? lineEnd : utf8.index(after: lineEnd)
        } while lineStart != utf8.endIndex
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// A comment line; clients ignore it, proxies see traffic and keep an idle stream open.
    package static func comment(_ text: String) -> [UInt8] {
        Array(": \(text)\n\n".utf8)
    }
}
