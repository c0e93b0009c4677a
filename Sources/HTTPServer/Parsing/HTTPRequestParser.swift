/// An incremental HTTP/1.1 request parser (RFC 9112): bytes in, events out, no I/O.
///
/// Feed whatever arrived with ``append(_:)`` and drain ``nextEvent()`` until it returns nil. Each request yields
/// ``HTTPParserEvent/head(_:)`` as soon as its header section is complete (so the caller can answer
/// `Expect: 100-continue` or reject early) and ``HTTPParserEvent/end(body:)`` once its body is complete. Bytes after
/// that belong to the next, pipelined, request and stay buffered until the caller asks for the next event.
///
/// The parser enforces the size limits itself, so nothing it buffers grows past them. After an error it stays failed:
/// the caller answers once and closes the connection.
package struct HTTPRequestParser: Sendable {
    /// The size limits a request must respect; crossing one is an error with its own status.
    package struct Limits: Sendable, Equatable {
        package var maxRequestLineBytes: Int
        package var maxHeaderBytes: Int
        package var maxHeaderCount: Int
        package var maxBodyBytes: Int

        package init(maxRequestLineBytes: Int = 8192, maxHeaderBytes: Int = 16384, maxHeaderCount: Int = 100,
                     maxBodyBytes: Int = 4_194_304) {
            self.maxRequestLineBytes = maxRequestLineBytes
            self.maxHeaderBytes = maxHeaderBytes
            self.maxHeaderCount = maxHeaderCount
            self.maxBodyBytes = maxBodyBytes
        }
    }

    private enum State: Sendable {
        case head
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(bytes: Int)
        case failed(HTTPParseError)
    }

    /// A chunk-size line longer than this is refused: 16 hex digits plus generous room for extensions.
    private static let maxChunkSizeLineBytes = 1024

    package let limits: Limits
    private var state: State = .head
    private var buffer: [UInt8] = []
    /// Start of the unconsumed bytes in `buffer`.
    private var readIndex = 0
    private var headScan = HeadScan()
    private var body: [UInt8] = []

    package init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Bytes received but not yet consumed by an event: pipelined requests waiting their turn.
    package var bufferedByteCount: Int { buffer.count - readIndex }

    /// Whether a request is under way: part of a head or body has arrived but the request is not complete.
    package var isMidRequest: Bool {
        switch state {
        case .head: bufferedByteCount > 0
        case .failed: false
        default: true
        }
    }

    /// Whether the head of the current request is complete and its body is still arriving.
    package var isAwaitingBody: Bool {
        switch state {
        case .head, .failed: false
        default: true
        }
    }

    package mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    package mutating func append(_ bytes: some Sequence<UInt8>) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Drops consumed bytes, so a connection streaming pipelined requests keeps a bounded buffer.
    private mutating func compact() {
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 4096)
            readIndex = 0
        } else if readIndex >= 4096 {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }

    /// The next event the buffered bytes allow, or nil when more bytes are needed.
    package mutating func nextEvent() throws(HTTPParseError) -> HTTPParserEvent? {
        while true {
            switch state {
            case .failed(let error):
                throw error
            case .head:
                do {
                    guard let head = try parseHead() else { return nil }
                    return .head(head)
                } catch {
                    state = .failed(error)
                    throw error
                }
            default:
                do {
                    guard let progressed = try parseBody() else { return nil }
                    if let event = progressed { return event }
                } catch {
                    state = .failed(error)
                    throw error
                }
            }
        }
    }

    // MARK: - Head

    private mutating func parseHead() throws(HTTPParseError) -> HTTPRequestHead? {
        // RFC 9112 §2.2: a server SHOULD ignore empty lines received before the request line.
        if headScan.requestLine == nil {
            while readIndex < buffer.count,
                  buffer[readIndex] == UInt8(ascii: "\r") || buffer[readIndex] == UInt8(ascii: "\n") {
                readIndex += 1
                headScan = HeadScan()
            }
        }
        guard try scanHead() else { return nil }
        let requestLine = headScan.requestLine!
        let headBase = readIndex
        let head = try buffer.withUnsafeBufferPointer { bytes throws(HTTPParseError) -> HTTPRequestHead in
            let requestLineBytes = UnsafeBufferPointer(rebasing: bytes[headBase..<(headBase + requestLine.contentEnd)])
            let (method, requestTarget, version) = try Self.parseRequestLine(requestLineBytes)
            var target = requestTarget
            var headers = HTTPHeaders()
            var lineStart = headBase + requestLine.next
            let headerSectionEnd = headBase + headScan.lineStart
            while lineStart < headerSectionEnd {
                var newline = lineStart
                while bytes[newline] != UInt8(ascii: "\n") { newline += 1 }
                let contentEnd = newline > lineStart && bytes[newline - 1] == UInt8(ascii: "\r") ? newline - 1 : newline
                if headers.count == limits.maxHeaderCount { throw .tooManyHeaders(limit: limits.maxHeaderCount) }
                let field = try Self.parseField(UnsafeBufferPointer(rebasing: bytes[lineStart..<contentEnd]))
                headers.add(name: field.name, value: field.value)
                lineStart = newline + 1
            }
            if version == .http1_1, headers.values(for: "Host").count != 1 { throw .missingHost }
            let framing = try Self.bodyFraming(of: headers, version: version)
            if case .contentLength(let length) = framing, length > limits.maxBodyBytes {
                throw .bodyTooLarge(limit: limits.maxBodyBytes)
            }
            if target.hasPrefix("http://") || target.hasPrefix("https://") {
                target = Self.originForm(ofAbsolute: target)
            }
            return HTTPRequestHead(method: method, target: target, version: version, headers: headers,
                                   bodyFraming: framing)
        }
        readIndex += headScan.scanned
        headScan = HeadScan()
        body = []
        switch head.bodyFraming {
        case .none: state = .fixedBody(remaining: 0)
        case .contentLength(let length):
            body.reserveCapacity(length)
            state = .fixedBody(remaining: length)
        case .chunked: state = .chunkSize
        }
        return head
    }

    /// Where the search for the end of the header section stands. Offsets are relative to `readIndex`, so
    /// compacting the buffer does not disturb them, and each byte is scanned once however slowly it arrives.
    private struct HeadScan: Sendable {
        /// The request line's end, once found: `contentEnd` excludes CR LF (or a bare LF, RFC 9112 §2.2).
        var requestLine: (contentEnd: Int, next: Int)?
        /// Start of the header line being scanned; when the head is complete, the start of the empty line.
        var lineStart = 0
        /// Bytes already scanned.
        var scanned = 0
    }

    /// Scans newly arrived bytes for the request line and the empty line closing the header section, enforcing both
    /// size limits on the way. Returns true once the whole head is buffered.
    private mutating func scanHead() throws(HTTPParseError) -> Bool {
        let available = buffer.count - readIndex
        if headScan.requestLine == nil {
            let searchEnd = min(available, limits.maxRequestLineBytes + 2)
            guard let newline = offsetOfNewline(from: headScan.scanned, to: searchEnd) else {
                headScan.scanned = searchEnd
                if available > limits.maxRequestLineBytes + 1 {
                    throw .requestLineTooLong(limit: limits.maxRequestLineBytes)
                }
                return false
            }
            let contentEnd = newline > 0 && buffer[readIndex + newline - 1] == UInt8(ascii: "\r") ? newline - 1 : newline
            guard contentEnd <= limits.maxRequestLineBytes else {
                throw .requestLineTooLong(limit: limits.maxRequestLineBytes)
            }
            headScan.requestLine = (contentEnd, newline + 1)
            headScan.lineStart = newline + 1
            headScan.scanned = newline + 1
        }
        // The header section is measured from after the request line; its closing empty line counts too.
        let headerLimitEnd = headScan.requestLine!.next + limits.maxHeaderBytes
        while let newline = offsetOfNewline(from: headScan.scanned, to: min(available, headerLimitEnd)) {
            let lineLength = newline - headScan.lineStart
            let isEmptyLine = lineLength == 0
                || (lineLength == 1 && buffer[readIndex + headScan.lineStart] == UInt8(ascii: "\r"))
            headScan.scanned = newline + 1
            if isEmptyLine { return true }
            headScan.lineStart = newline + 1
        }
        headScan.scanned = min(available, headerLimitEnd)
        if available >= headerLimitEnd { throw .headersTooLarge(limit: limits.maxHeaderBytes) }
        return false
    }

    /// Offset (from `readIndex`) of the first LF in the given range of offsets.
    private func offsetOfNewline(from start: Int, to end: Int) -> Int? {
        guard start < end else { return nil }
        return buffer[(readIndex + start)..<(readIndex + end)].firstIndex(of: UInt8(ascii: "\n")).map { $0 - readIndex }
    }

    private static func parseRequestLine(
        _ line: UnsafeBufferPointer<UInt8>
    ) throws(HTTPParseError) -> (HTTPMethod, String, HTTPVersion) {
        guard let firstSpace = line.firstIndex(of: UInt8(ascii: " ")), firstSpace > 0,
              let lastSpace = line.lastIndex(of: UInt8(ascii: " ")), lastSpace > firstSpace + 1
        else { throw .malformedRequestLine }
        let methodBytes = UnsafeBufferPointer(rebasing: line[..<firstSpace])
        guard methodBytes.allSatisfy(isTokenCharacter) else { throw .malformedRequestLine }
        let targetBytes = UnsafeBufferPointer(rebasing: line[(firstSpace + 1)..<lastSpace])
        // Visible ASCII only: spaces, controls and raw non-ASCII are not allowed in a request-target (RFC 3986).
        guard targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw .malformedRequestLine }
        let target = String(decoding: targetBytes, as: UTF8.self)
        guard target.hasPrefix("/") || target == "*" || target.hasPrefix("http://") || target.hasPrefix("https://")
        else { throw .malformedRequestLine }
        let versionBytes = UnsafeBufferPointer(rebasing: line[(lastSpace + 1)...])
        let version = try parseVersion(versionBytes)
        return (HTTPMethod(String(decoding: methodBytes, as: UTF8.self)), target, version)
    }

    private static func parseVersion(_ bytes: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> HTTPVersion {
        // HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3), case-sensitive.
        guard bytes.count == 8, bytes.starts(with: "HTTP/".utf8), bytes[6] == UInt8(ascii: "."),
              isDigit(bytes[5]), isDigit(bytes[7])
        else { throw .malformedRequestLine }
        let version = HTTPVersion(major: Int(bytes[5] - 48), minor: Int(bytes[7] - 48))
        guard version == .http1_1 || version == .http1_0 else { throw .unsupportedVersion }
        return version
    }

    private static func parseField(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> HTTPField {
        // Obsolete line folding (a line starting with whitespace) is rejected, as RFC 9112 §5.2 allows.
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { throw .malformedHeader }
        let nameBytes = UnsafeBufferPointer(rebasing: line[..<colon])
        // No whitespace between name and colon (RFC 9112 §5.1): a request-smuggling vector.
        guard nameBytes.allSatisfy(isTokenCharacter) else { throw .malformedHeader }
        var valueStart = colon + 1
        var valueEnd = line.count
        while valueStart < valueEnd, line[valueStart] == UInt8(ascii: " ") || line[valueStart] == UInt8(ascii: "\t") {
            valueStart += 1
        }
        while valueEnd > valueStart, line[valueEnd - 1] == UInt8(ascii: " ") || line[valueEnd - 1] == UInt8(ascii: "\t") {
            valueEnd -= 1
        }
        let valueBytes = UnsafeBufferPointer(rebasing: line[valueStart..<valueEnd])
        // field-value bytes: visible characters, SP, HTAB and obs-text; never CR, LF, NUL or other controls.
        guard valueBytes.allSatisfy({ $0 >= 0x20 && $0 != 0x7F || $0 == 0x09 }) else { throw .malformedHeader }
        return HTTPField(name: String(decoding: nameBytes, as: UTF8.self),
                         value: String(decoding: valueBytes, as: UTF8.self))
    }

    /// Decides how the body is delimited, refusing the ambiguous combinations that enable request smuggling
    /// (RFC 9112 §6.1 and §6.3).
    private static func bodyFraming(
        of headers: HTTPHeaders, version: HTTPVersion
    ) throws(HTTPParseError) -> HTTPRequestHead.BodyFraming {
        let transferEncodings = headers.values(for: "Transfer-Encoding")
        let contentLengths = headers.values(for: "Content-Length")
        if !transferEncodings.isEmpty {
            guard contentLengths.isEmpty else { throw .conflictingFraming }
            guard version == .http1_1 else { throw .unsupportedTransferEncoding }
            let codings = transferEncodings.flatMap { $0.split(separator: ",").map { $0.trimmingHTTPWhitespace() } }
            guard codings.count == 1, String(codings[0]).equalsIgnoringASCIICase("chunked") else {
                throw .unsupportedTransferEncoding
            }
            return .chunked
        }
        guard !contentLengths.isEmpty else { return .none }
        // Repeated Content-Length values (as separate fields or a list) must all agree.
        var length: Int?
        for field in contentLengths {
            for element in field.split(separator: ",", omittingEmptySubsequences: false) {
                let digits = element.trimmingHTTPWhitespace()
                guard !digits.isEmpty, digits.utf8.count <= 18, digits.utf8.allSatisfy(isDigit),
                      let value = Int(digits)
                else { throw .invalidContentLength }
                if let length, length != value { throw .invalidContentLength }
                length = value
            }
        }
        guard let length else { throw .invalidContentLength }
        return length == 0 ? .none : .contentLength(length)
    }

    /// The path-and-query of an absolute-form target (RFC 9112 §3.2.2), which a server must accept.
    private static func originForm(ofAbsolute target: String) -> String {
        let afterScheme = target.utf8.firstRange(of: "://".utf8)!.upperBound
        let rest = target[afterScheme...]
        guard let pathStart = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
        let pathAndQuery = String(rest[pathStart...])
        return pathAndQuery.hasPrefix("?") ? "/" + pathAndQuery : pathAndQuery
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// tchar from RFC 9110 §5.6.2.
    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    // MARK: - Body

    /// Advances the body state machine. Returns nil when more bytes are needed, `.some(nil)` after progress that
    /// produced no event, and `.some(event)` when the request is complete.
    private mutating func parseBody() throws(HTTPParseError) -> HTTPParserEvent?? {
        switch state {
        case .fixedBody(let remaining):
            let available = min(remaining, bufferedByteCount)
            body.append(contentsOf: buffer[readIndex..<(readIndex + available)])
            readIndex += available
            if available < remaining {
                state = .fixedBody(remaining: remaining - available)
                return nil
            }
            return .some(finishRequest())
        case .chunkSize:
            guard let line = nextLine(maxBytes: Self.maxChunkSizeLineBytes) else {
                if bufferedByteCount > Self.maxChunkSizeLineBytes { throw .malformedChunk }
                return nil
            }
            // chunk-size [ chunk-ext ]: extensions after ';' are ignored (RFC 9112 §7.1.1).
            let sizeField = line.prefix { $0 != UInt8(ascii: ";") }.trimmingSpacesAndTabs()
            guard !sizeField.isEmpty, sizeField.count <= 15, let size = Int(String(decoding: sizeField, as: UTF8.self), radix: 16),
                  sizeField.allSatisfy({ $0.isHexDigit })
            else { throw .malformedChunk }
            if size == 0 {
                state = .trailers(bytes: 0)
            } else {
                guard body.count + size <= limits.maxBodyBytes else { throw .bodyTooLarge(limit: limits.maxBodyBytes) }
                state = .chunkData(remaining: size)
            }
            return .some(nil)
        case .chunkData(let remaining):
            let available = min(remaining, bufferedByteCount)
            body.append(contentsOf: buffer[readIndex..<(readIndex + available)])
            readIndex += available
            guard available == remaining else {
                state = .chunkData(remaining: remaining - available)
                return nil
            }
            state = .chunkDataEnd
            return .some(nil)
        case .chunkDataEnd:
            guard let line = nextLine(maxBytes: 2) else {
                if bufferedByteCount > 2 { throw .malformedChunk }
                return nil
            }
            guard line.isEmpty else { throw .malformedChunk }
            state = .chunkSize
            return .some(nil)
        case .trailers(let bytes):
            // Trailer fields are read and dropped; they count against the header limit.
            let allowance = limits.maxHeaderBytes - bytes
            guard let line = nextLine(maxBytes: allowance) else {
                if bufferedByteCount > allowance { throw .headersTooLarge(limit: limits.maxHeaderBytes) }
                return nil
            }
            if line.isEmpty { return .some(finishRequest()) }
            guard bytes + line.count + 2 <= limits.maxHeaderBytes else {
                throw .headersTooLarge(limit: limits.maxHeaderBytes)
            }
            state = .trailers(bytes: bytes + line.count + 2)
            return .some(nil)
        case .head, .failed:
            preconditionFailure("parseBody called outside a body state")
        }
    }

    /// The next line's bytes without its terminator, consuming it, or nil when no terminator is within `maxBytes`.
    private mutating func nextLine(maxBytes: Int) -> [UInt8]? {
        let searchEnd = min(buffer.count, readIndex + maxBytes + 2)
        guard let newline = buffer[readIndex..<searchEnd].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        var contentEnd = newline
        if contentEnd > readIndex, buffer[contentEnd - 1] == UInt8(ascii: "\r") { contentEnd -= 1 }
        let line = Array(buffer[readIndex..<contentEnd])
        readIndex = newline + 1
        return line
    }

    private mutating func finishRequest() -> HTTPParserEvent {
        state = .head
        let completed = body
        body = []
        if readIndex == buffer.count {
            // Nothing pipelined: give the memory back, so an idle keep-alive connection holds no buffer.
            buffer = []
            readIndex = 0
        }
        return .end(body: completed)
    }
}

/// What the parser found in the bytes it was given.
package enum HTTPParserEvent: Sendable {
    /// The request line and headers are complete.
    case head(HTTPRequestHead)
    /// The body is complete (empty for requests without one); the next event belongs to the next request.
    case end(body: [UInt8])
}

extension Array where Element == UInt8 {
    fileprivate func trimmingSpacesAndTabs() -> ArraySlice<UInt8> {
        var slice = self[...]
        while let first = slice.first, first == 0x20 || first == 0x09 { slice = slice.dropFirst() }
        while let last = slice.last, last == 0x20 || last == 0x09 { slice = slice.dropLast() }
        return slice
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (self >= 0x30 && self <= 0x39) || (self >= 0x41 && self <= 0x46) || (self >= 0x61 && self <= 0x66)
    }
}
