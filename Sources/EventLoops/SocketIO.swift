internal import Glibc

/// Reads and writes on non-blocking sockets, for everything an ``EventLoop`` drives: HTTP connections and Redis
/// connections alike.
package enum SocketIO {
    /// The outcome of one non-blocking read or write.
    package enum Outcome: Equatable {
        case transferred(Int)
        case wouldBlock
        case endOfStream
        case failed(Int32)
    }

    package static func receive(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Outcome {
        while true {
            let count = recv(fd, buffer.baseAddress, buffer.count, 0)
            if count > 0 { return .transferred(count) }
            if count == 0 { return .endOfStream }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed(errno)
            }
        }
    }

    /// Sends with `MSG_NOSIGNAL`: a peer that went away yields EPIPE here instead of killing the process.
    package static func send(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Outcome {
        while true {
            let count = Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if count >= 0 { return .transferred(count) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed(errno)
            }
        }
    }
}
