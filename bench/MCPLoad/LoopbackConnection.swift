internal import Glibc

/// Told what arrives on a ``LoopbackConnection``, on the poller's thread.
protocol ConnectionDelegate: AnyObject {
    /// The next piece of a response. The delegate may send, close this connection or open others.
    func connection(_ connection: LoopbackConnection, didReceive event: HTTPResponseEvent)
    /// The connection ended without the delegate closing it (refused, reset, or closed by the server). It is
    /// already closed.
    func connectionDidClose(_ connection: LoopbackConnection, reason: String)
}

/// One non-blocking TCP connection to the server: queued writes, reads into the poller's shared buffer, and an
/// incremental response parser whose events go to the delegate.
final class LoopbackConnection {
    let fd: Int32
    private(set) var cookie: UInt64 = 0
    private(set) var isClosed = false
    weak var delegate: (any ConnectionDelegate)?

    private unowned let poller: Poller
    private var parser = HTTPResponseParser()
    private var output: [UInt8] = []
    private var outputOffset = 0
    private var isConnecting = true
    private var isWatchingWritable = false

    /// Starts connecting to `address`; requests sent before the connection completes are queued.
    init(poller: Poller, address: sockaddr_in, delegate: any ConnectionDelegate) throws(LoadError) {
        self.poller = poller
        self.delegate = delegate
        fd = socket(
            AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw LoadError.system("socket", errno) }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var target = address
        let result = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result == 0 {
            isConnecting = false
        } else if errno != EINPROGRESS {
            let code = errno
            Glibc.close(fd)
            throw LoadError.system("connect", code)
        }
        isWatchingWritable = isConnecting
        cookie = poller.register(self, writable: isWatchingWritable)
    }

    /// Between responses with nothing queued: safe to reuse for the next request, or to drop.
    var isIdle: Bool { !isClosed && parser.isIdle && outputOffset == output.count }

    /// Writes `bytes` now if the socket takes them, else queues the rest until it is writable.
    func send(_ bytes: [UInt8]) {
        guard !isClosed else { return }
        if isConnecting || outputOffset < output.count {
            output.append(contentsOf: bytes)
            return
        }
        let written = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if written == bytes.count { return }
        if written < 0, errno != EAGAIN, errno != EWOULDBLOCK {
            fail("send: \(String(cString: strerror(errno)))")
            return
        }
        output.removeAll(keepingCapacity: true)
        output.append(contentsOf: bytes[max(0, written)...])
        outputOffset = 0
        watchWritable(true)
    }

    /// Closes the socket; the delegate is not told.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        poller.deregister(self)
        Glibc.close(fd)
    }

    func handleEvents(readable: Bool, writable: Bool) {
        if writable {
            if isConnecting {
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                guard error == 0 else {
                    fail("connect: \(String(cString: strerror(error)))")
                    return
                }
                isConnecting = false
            }
            flush()
        }
        if readable, !isClosed { readAvailable() }
    }

    // MARK: - Private

    private func flush() {
        while outputOffset < output.count {
            let written = output.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + outputOffset, $0.count - outputOffset, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK { break }
                fail("send: \(String(cString: strerror(errno)))")
                return
            }
            outputOffset += written
        }
        if outputOffset == output.count {
            output.removeAll(keepingCapacity: true)
            outputOffset = 0
        }
        watchWritable(outputOffset < output.count)
    }

    private func readAvailable() {
        let buffer = poller.readBuffer
        let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
        if count > 0 {
            let input = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            var offset = 0
            while !isClosed, let event = parser.next(input, &offset) {
                deliver(event)
            }
        } else if count == 0 {
            if let event = parser.finish() { deliver(event) }
            fail("closed by the server")
        } else if errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR {
            fail("read: \(String(cString: strerror(errno)))")
        }
    }

    private func deliver(_ event: HTTPResponseEvent) {
        if case .malformed(let reason) = event {
            fail("malformed response: \(reason)")
            return
        }
        delegate?.connection(self, didReceive: event)
    }

    private func fail(_ reason: String) {
        guard !isClosed else { return }
        close()
        delegate?.connectionDidClose(self, reason: reason)
    }

    private func watchWritable(_ writable: Bool) {
        guard !isClosed, writable != isWatchingWritable else { return }
        isWatchingWritable = writable
        poller.setInterest(self, writable: writable)
    }
}
