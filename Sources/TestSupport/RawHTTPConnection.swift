import Foundation
import Glibc
import Synchronization

/// A test client speaking HTTP/1.1 byte by byte over a real loopback socket, so tests can send exactly what they
/// mean (partial headers, pipelined requests, malformed syntax) and see exactly what the server wrote.
///
/// The socket is non-blocking and waiting for it suspends the task (a Dispatch source signals readiness), so a
/// thousand connections waiting at once hold no threads: the test process's threads stay free for the servers it
/// runs in-process. Every wait has a timeout so a broken server fails a test instead of hanging the run; it is a
/// safety net, not a timing assertion.
package actor RawHTTPConnection {
    private let fd: Int32
    private let timeout: Duration
    private var buffer: [UInt8] = []
    private var isClosed = false

    package struct Failure: Error, CustomStringConvertible {
        package let description: String

        package init(description: String) {
            self.description = description
        }
    }

    private init(fd: Int32, timeout: Duration) {
        self.fd = fd
        self.timeout = timeout
    }

    deinit {
        if !isClosed { Glibc.close(fd) }
    }

    /// Connects to `127.0.0.1:port`.
    ///
    /// - Parameter receiveBufferBytes: Shrinks the socket's receive buffer, to make a slow reader slow sooner.
    package static func connect(
        port: Int, receiveTimeoutSeconds: Int = 20, receiveBufferBytes: Int? = nil
    ) async throws -> RawHTTPConnection {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        if var size = receiveBufferBytes.map(Int32.init) {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        let connection = RawHTTPConnection(fd: fd, timeout: .seconds(receiveTimeoutSeconds))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0 {
            guard errno == EINPROGRESS else { throw Failure(description: "connect: \(String(cString: strerror(errno)))") }
            try await connection.wait(forReading: false)
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else { throw Failure(description: "connect: \(String(cString: strerror(error)))") }
        }
        return connection
    }

    /// The socket's receive buffer as the kernel sized it (Linux doubles what was asked, for its bookkeeping): an
    /// upper bound on the bytes the kernel holds for this client while it reads nothing.
    package var receiveBufferBytes: Int {
        var size: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, &length)
        return Int(size)
    }

    /// Suspends until the socket is readable (or writable), or throws after the timeout.
    private func wait(forReading: Bool) async throws {
        guard await SocketPoller.shared.wait(fd: fd, forReading: forReading, timeout: timeout) else {
            throw Failure(description: "no bytes from the server within the receive timeout")
        }
    }

    package func send(_ text: String) async throws {
        try await send(Array(text.utf8))
    }

    package func send(_ bytes: [UInt8]) async throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                offset += sent
            } else if sent < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                try await wait(forReading: false)
            } else if sent < 0, errno == EINTR {
                continue
            } else {
                throw Failure(description: "send: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Reads more bytes into the buffer; false at end of stream.
    private func fill() async throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
                return true
            }
            if count == 0 { return false }
            switch errno {
            case EAGAIN, EWOULDBLOCK: try await wait(forReading: true)
            case EINTR: continue
            case ECONNRESET: return false
            default: throw Failure(description: "recv: \(String(cString: strerror(errno)))")
            }
        }
    }

    private func takeLine() async throws -> String {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<newline])
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                buffer.removeFirst(newline + 1)
                return String(decoding: line, as: UTF8.self)
            }
            guard try await fill() else { throw Failure(description: "connection closed mid-line") }
        }
    }

    private func take(_ count: Int) async throws -> [UInt8] {
        while buffer.count < count {
            guard try await fill() else {
                throw Failure(description: "connection closed after \(buffer.count) of \(count) bytes")
            }
        }
        let bytes = Array(buffer[..<count])
        buffer.removeFirst(count)
        return bytes
    }

    /// Reads one response head: the status line and headers, leaving any body unread.
    package func readHead() async throws -> TestHTTPResponse {
        let statusLine = try await takeLine()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw Failure(description: "bad status line: \(statusLine)")
        }
        var headers: [(String, String)] = []
        while true {
            let line = try await takeLine()
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { throw Failure(description: "bad header: \(line)") }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return TestHTTPResponse(status: status, headers: headers, body: [])
    }

    /// Reads the body belonging to a head read with ``readHead()``, when it has a `Content-Length`.
    package func readBody(of head: TestHTTPResponse) async throws -> TestHTTPResponse {
        var response = head
        if let length = head.header("Content-Length").flatMap(Int.init) { response.body = try await take(length) }
        return response
    }

    /// Reads one whole response, body included (by `Content-Length`, chunked coding, or until close).
    ///
    /// - Parameter isHead: The request was HEAD, so there is no body whatever the headers say.
    package func readResponse(isHead: Bool = false) async throws -> TestHTTPResponse {
        var response = try await readHead()
        if isHead || response.status < 200 || response.status == 204 || response.status == 304 { return response }
        if let length = response.header("Content-Length").flatMap(Int.init) {
            response.body = try await take(length)
        } else if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            while let chunk = try await readChunk() { response.body += chunk }
        } else {
            while try await fill() {}
            response.body = buffer
            buffer = []
        }
        return response
    }

    /// Reads the next chunk of a chunked body; nil at the terminating chunk, or when the stream is cut off between
    /// chunks (the peer or a proxy went away), as it ends for a client.
    package func readChunk() async throws -> [UInt8]? {
        if buffer.isEmpty, try await !fill() { return nil }
        let sizeLine = try await takeLine()
        guard let size = Int(sizeLine.split(separator: ";").first ?? "", radix: 16) else {
            throw Failure(description: "bad chunk size line: \(sizeLine)")
        }
        if size == 0 {
            while try await !takeLine().isEmpty {}
            return nil
        }
        let data = try await take(size)
        guard try await takeLine().isEmpty else { throw Failure(description: "chunk data not followed by CRLF") }
        return data
    }

    /// Reads the rest of a chunked body through its terminating chunk and returns the data. Throws if the connection
    /// ends first, which ``readChunk()`` does not, so a stream that was ended cleanly is told apart from one cut off.
    package func readChunkedBodyToEnd() async throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            if buffer.isEmpty, try await !fill() {
                throw Failure(description: "connection closed before the terminating chunk")
            }
            guard let chunk = try await readChunk() else { return body }
            body += chunk
        }
    }

    /// Reads until the bytes received end with `suffix`, and returns them; for line protocols such as Redis's.
    package func readUntil(suffix: String) async throws -> [UInt8] {
        let tail = Array(suffix.utf8)
        while !(buffer.count >= tail.count && Array(buffer[(buffer.count - tail.count)...]) == tail) {
            guard try await fill() else { throw Failure(description: "connection closed before \(suffix)") }
        }
        defer { buffer = [] }
        return buffer
    }

    /// Reads and discards until the server closes; true when it closed, false if it sent nothing more but stayed
    /// open until the receive timeout.
    package func waitForClose() async throws -> Bool {
        buffer = []
        do {
            while try await fill() { buffer = [] }
            return true
        } catch {
            return false
        }
    }

    /// Half-closes: sends FIN and keeps reading, as a client that has sent all its requests may (RFC 9112 §9.6).
    package func shutdownWrites() {
        shutdown(fd, Int32(SHUT_WR))
    }

    /// Closes the socket abruptly (a reset), as a client that went away does.
    package func closeAbruptly() {
        guard !isClosed else { return }
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        shutdown(fd, Int32(SHUT_RDWR))
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

/// One thread that polls every socket a test is waiting on, so waiting holds no thread per connection.
///
/// Each wait registers its descriptor, the readiness it needs and a deadline; the thread rebuilds its `poll` set
/// when woken through a pipe, resumes each waiter once (ready, or at its deadline), and sleeps in `poll` otherwise.
final class SocketPoller: Sendable {
    static let shared = SocketPoller()

    private struct Waiter {
        var fd: Int32
        var events: Int16
        var deadline: ContinuousClock.Instant
        var continuation: CheckedContinuation<Bool, Never>
    }

    private let waiters = Mutex<[UInt64: Waiter]>([:])
    private let nextID = Mutex<UInt64>(0)
    private let wakeRead: Int32
    private let wakeWrite: Int32

    private init() {
        var fds: [Int32] = [0, 0]
        pipe(&fds)
        wakeRead = fds[0]
        wakeWrite = fds[1]
        _ = fcntl(wakeRead, F_SETFL, O_NONBLOCK)
        let thread = Thread { [self] in self.run() }
        thread.start()
    }

    func wait(fd: Int32, forReading: Bool, timeout: Duration) async -> Bool {
        await withCheckedContinuation { continuation in
            let id = nextID.withLock { id in
                id += 1
                return id
            }
            waiters.withLock {
                $0[id] = Waiter(fd: fd, events: Int16(forReading ? POLLIN : POLLOUT), deadline: .now + timeout,
                                continuation: continuation)
            }
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
    }

    private func run() {
        while true {
            let pending = waiters.withLock { $0 }
            var descriptors = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            var ids: [UInt64] = []
            for (id, waiter) in pending {
                descriptors.append(pollfd(fd: waiter.fd, events: waiter.events, revents: 0))
                ids.append(id)
            }
            _ = poll(&descriptors, nfds_t(descriptors.count), 50)
            if descriptors[0].revents != 0 {
                var drain = [UInt8](repeating: 0, count: 256)
                while read(wakeRead, &drain, drain.count) > 0 {}
            }
            let now = ContinuousClock.now
            var finished: [(CheckedContinuation<Bool, Never>, Bool)] = []
            waiters.withLock { waiters in
                for (index, id) in ids.enumerated() {
                    guard let waiter = waiters[id] else { continue }
                    if descriptors[index + 1].revents != 0 {
                        finished.append((waiter.continuation, true))
                        waiters[id] = nil
                    } else if waiter.deadline <= now {
                        finished.append((waiter.continuation, false))
                        waiters[id] = nil
                    }
                }
            }
            for (continuation, ready) in finished { continuation.resume(returning: ready) }
        }
    }
}
