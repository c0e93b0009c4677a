import Dispatch
import Foundation
import Glibc

/// A test client speaking HTTP/1.1 byte by byte over a real loopback socket, so tests can send exactly what they
/// mean (partial headers, pipelined requests, malformed syntax) and see exactly what the server wrote.
///
/// Its socket calls block, so they run on the connection's own serial queue, never on the cooperative pool the
/// server's async handlers need. Every read has a receive timeout so a broken server fails a test instead of hanging
/// the run; it is a safety net, not a timing assertion.
package final class RawHTTPConnection: @unchecked Sendable {
    /// The socket and read buffer are touched only on `queue`.
    private let queue = DispatchQueue(label: "test.raw-http")
    private let fd: Int32
    private var buffer: [UInt8] = []

    package struct Failure: Error, CustomStringConvertible {
        package let description: String

        package init(description: String) {
            self.description = description
        }
    }

    private init(fd: Int32) {
        self.fd = fd
    }

    deinit {
        Glibc.close(fd)
    }

    /// Connects to `127.0.0.1:port`.
    ///
    /// - Parameter receiveBufferBytes: Shrinks the socket's receive buffer, to make a slow reader slow sooner.
    package static func connect(
        port: Int, receiveTimeoutSeconds: Int = 20, receiveBufferBytes: Int? = nil
    ) async throws -> RawHTTPConnection {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if var size = receiveBufferBytes.map(Int32.init) {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        let connection = RawHTTPConnection(fd: fd)
        try await connection.onQueue {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard result == 0 else { throw Failure(description: "connect: \(String(cString: strerror(errno)))") }
        }
        return connection
    }

    private func onQueue<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }

    package func send(_ text: String) async throws {
        try await send(Array(text.utf8))
    }

    package func send(_ bytes: [UInt8]) async throws {
        try await onQueue {
            var offset = 0
            while offset < bytes.count {
                let sent = bytes.withUnsafeBytes {
                    Glibc.send(self.fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                }
                guard sent > 0 else { throw Failure(description: "send: \(String(cString: strerror(errno)))") }
                offset += sent
            }
        }
    }

    /// Reads more bytes into the buffer; false at end of stream.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 {
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
        if count == 0 { return false }
        if errno == EAGAIN || errno == EWOULDBLOCK {
            throw Failure(description: "no bytes from the server within the receive timeout")
        }
        if errno == ECONNRESET { return false }
        throw Failure(description: "recv: \(String(cString: strerror(errno)))")
    }

    private func takeLine() throws -> String {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<newline])
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                buffer.removeFirst(newline + 1)
                return String(decoding: line, as: UTF8.self)
            }
            guard try fill() else { throw Failure(description: "connection closed mid-line") }
        }
    }

    private func take(_ count: Int) throws -> [UInt8] {
        while buffer.count < count {
            guard try fill() else { throw Failure(description: "connection closed after \(buffer.count) of \(count) bytes") }
        }
        let bytes = Array(buffer[..<count])
        buffer.removeFirst(count)
        return bytes
    }

    private func readHeadLocked() throws -> TestHTTPResponse {
        let statusLine = try takeLine()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw Failure(description: "bad status line: \(statusLine)")
        }
        var headers: [(String, String)] = []
        while true {
            let line = try takeLine()
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { throw Failure(description: "bad header: \(line)") }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return TestHTTPResponse(status: status, headers: headers, body: [])
    }

    /// Reads one response head: the status line and headers, leaving any body unread.
    package func readHead() async throws -> TestHTTPResponse {
        try await onQueue { try self.readHeadLocked() }
    }

    /// Reads the body belonging to a head read with ``readHead()``, when it has a `Content-Length`.
    package func readBody(of head: TestHTTPResponse) async throws -> TestHTTPResponse {
        try await onQueue {
            var response = head
            if let length = head.header("Content-Length").flatMap(Int.init) { response.body = try self.take(length) }
            return response
        }
    }

    /// Reads one whole response, body included (by `Content-Length`, chunked coding, or until close).
    ///
    /// - Parameter isHead: The request was HEAD, so there is no body whatever the headers say.
    package func readResponse(isHead: Bool = false) async throws -> TestHTTPResponse {
        try await onQueue {
            var response = try self.readHeadLocked()
            if isHead || response.status < 200 || response.status == 204 || response.status == 304 { return response }
            if let length = response.header("Content-Length").flatMap(Int.init) {
                response.body = try self.take(length)
            } else if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
                while let chunk = try self.readChunkLocked() { response.body += chunk }
            } else {
                while try self.fill() {}
                response.body = self.buffer
                self.buffer = []
            }
            return response
        }
    }

    private func readChunkLocked() throws -> [UInt8]? {
        // A stream cut off between chunks (the peer or a proxy went away) ends it, as it does for a client.
        if buffer.isEmpty, try !fill() { return nil }
        let sizeLine = try takeLine()
        guard let size = Int(sizeLine.split(separator: ";")[0], radix: 16) else {
            throw Failure(description: "bad chunk size line: \(sizeLine)")
        }
        if size == 0 {
            while try !takeLine().isEmpty {}
            return nil
        }
        let data = try take(size)
        guard try takeLine().isEmpty else { throw Failure(description: "chunk data not followed by CRLF") }
        return data
    }

    /// Reads the next chunk of a chunked body; nil at the terminating chunk.
    package func readChunk() async throws -> [UInt8]? {
        try await onQueue { try self.readChunkLocked() }
    }

    /// Reads until the bytes received end with `suffix`, and returns them; for line protocols such as Redis's.
    package func readUntil(suffix: String) async throws -> [UInt8] {
        try await onQueue {
            let tail = Array(suffix.utf8)
            while !self.buffer.ends(with: tail) {
                guard try self.fill() else { throw Failure(description: "connection closed before \(suffix)") }
            }
            defer { self.buffer = [] }
            return self.buffer
        }
    }

    /// Reads and discards until the server closes; true when it closed, false if it sent nothing more but stayed
    /// open until the receive timeout.
    package func waitForClose() async throws -> Bool {
        try await onQueue {
            self.buffer = []
            do {
                while try self.fill() { self.buffer = [] }
                return true
            } catch {
                return false
            }
        }
    }

    /// Bytes received but not yet consumed by a read call.
    package func unreadBytes() async throws -> [UInt8] {
        try await onQueue { self.buffer }
    }

    /// Closes the socket abruptly, as a client that went away does.
    package func closeAbruptly() async throws {
        try await onQueue {
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(self.fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            shutdown(self.fd, Int32(SHUT_RDWR))
        }
    }
}

/// A response as the test client read it.
package struct TestHTTPResponse: Sendable {
    package var status: Int
    package var headers: [(String, String)]
    package var body: [UInt8]

    /// The first value of a header, matched case-insensitively.
    package func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    package var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as a JSON object.
    package var jsonBody: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}
