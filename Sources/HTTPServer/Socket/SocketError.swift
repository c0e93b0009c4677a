internal import Glibc

/// A failed socket system call, carrying the call's name and the `errno` text.
package enum SocketError: Error, Equatable, CustomStringConvertible {
    case failed(call: String, errno: Int32, message: String)
    case unresolvableHost(String)

    /// Builds the error from the current `errno`, right at the failing call.
    static func lastError(_ call: String) -> SocketError {
        let code = errno
        return .failed(call: call, errno: code, message: String(cString: strerror(code)))
    }

    package var description: String {
        switch self {
        case .failed(let call, let code, let message): "\(call) failed: \(message) (errno \(code))"
        case .unresolvableHost(let host): "cannot resolve '\(host)' to a local address to listen on"
        }
    }
}
