internal import CLinux
internal import Glibc

/// Thin wrappers over the socket calls the server makes. Every call retries on EINTR and turns other failures into a
/// ``SocketError`` naming the call, as NIO's `syscall` wrapper does.
enum Socket {
    /// Creates a non-blocking listening socket bound to `host:port`.
    ///
    /// `getaddrinfo` may block on a DNS lookup; it runs once, at start, before any connection is served.
    static func listen(host: String, port: Int, backlog: Int32) throws(SocketError) -> Int32 {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &results) == 0, let first = results else {
            throw .unresolvableHost(host)
        }
        defer { freeaddrinfo(results) }
        var lastError = SocketError.unresolvableHost(host)
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
                                | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                lastError = .lastError("socket")
                continue
            }
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
                lastError = .lastError("bind")
                close(fd)
                continue
            }
            guard Glibc.listen(fd, backlog) == 0 else {
                lastError = .lastError("listen")
                close(fd)
                continue
            }
            return fd
        }
        throw lastError
    }

    /// The port a listening socket is bound to; useful after binding port 0.
    static func localPort(of fd: Int32) throws(SocketError) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { throw .lastError("getsockname") }
        let family = storage.ss_family
        return withUnsafePointer(to: &storage) { pointer in
            if family == sa_family_t(AF_INET6) {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
    }

    /// An accepted connection: its descriptor (made non-blocking and close-on-exec) and the peer's address.
    struct Accepted {
        var fd: Int32
        var peerAddress: String
    }

    /// Accepts one pending connection, or returns nil when none is waiting.
    static func accept(from listener: Int32) throws(SocketError) -> Accepted? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        while true {
            // The flags are set by the call itself, so no child process started in between can inherit the socket.
            let flags = Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { clinux_accept4(listener, $0, &length, flags) }
            }
            if fd >= 0 {
                var one: Int32 = 1
                // Responses are written whole, so Nagle's algorithm would only add latency.
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return Accepted(fd: fd, peerAddress: address(of: storage))
            }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return nil
            // The peer gave up before we accepted; move on to the next one.
            case ECONNABORTED, EPROTO: continue
            default: throw .lastError("accept4")
            }
        }
    }

    private static func address(of storage: sockaddr_storage) -> String {
        var storage = storage
        let family = Int32(storage.ss_family)
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        return withUnsafePointer(to: &storage) { pointer in
            switch family {
            case AF_INET:
                return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                    var inAddress = address.pointee.sin_addr
                    inet_ntop(AF_INET, &inAddress, &text, socklen_t(text.count))
                    return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                }
            case AF_INET6:
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    var inAddress = address.pointee.sin6_addr
                    inet_ntop(AF_INET6, &inAddress, &text, socklen_t(text.count))
                    return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                }
            default:
                return "unknown"
            }
        }
    }

    /// Ends our direction of the stream while still reading, for a lingering close (RFC 9112 §9.6).
    static func shutdownWrites(_ fd: Int32) {
        shutdown(fd, Int32(SHUT_WR))
    }

    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// Raises the soft open-file limit to the hard limit and returns the result, so the configured connection cap can
    /// be honoured without the operator tuning `ulimit -n`.
    static func raiseOpenFileLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return limit.rlim_cur > rlim_t(Int.max) ? Int.max : Int(limit.rlim_cur)
    }
}
