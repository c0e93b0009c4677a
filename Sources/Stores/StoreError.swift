/// Why a store operation failed. Absence is not an error: lookups return nil.
package enum StoreError: Error, Equatable, CustomStringConvertible {
    /// The backing store cannot be reached or answered with an error; the operation may be retried later.
    case unavailable(String)

    package var description: String {
        switch self {
        case .unavailable(let reason): "session store unavailable: \(reason)"
        }
    }
}
