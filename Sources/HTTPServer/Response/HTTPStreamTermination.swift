/// Why a streaming response ended. Its owner learns this exactly once, through the stream's termination handler.
package enum HTTPStreamTermination: Sendable, Equatable, CustomStringConvertible {
    /// The owner called ``HTTPResponseStream/end()``.
    case ended
    /// The peer closed the connection or it failed.
    case clientDisconnected
    /// The peer read more slowly than the stream produced and the per-stream buffer cap was reached.
    case slowReader
    /// The peer accepted no bytes for longer than the write timeout.
    case writeTimeout
    /// The server is shutting down; the stream was ended cleanly.
    case serverShutdown

    package var description: String {
        switch self {
        case .ended: "ended"
        case .clientDisconnected: "client disconnected"
        case .slowReader: "slow reader: stream buffer cap reached"
        case .writeTimeout: "write timeout"
        case .serverShutdown: "server shutdown"
        }
    }
}
