internal import Glibc

/// A failure of the load client itself (not of the server under test, which is counted, not thrown).
enum LoadError: Error, CustomStringConvertible {
    case system(String, Int32)

    var description: String {
        switch self {
        case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        }
    }
}
