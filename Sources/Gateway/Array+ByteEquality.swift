internal import Glibc

extension [UInt8] {
    /// Equality by `memcmp`: `==` on arrays compares element by element, which showed in profiles of bodies and
    /// records a few KB long compared on every request.
    func hasSameBytes(as other: [UInt8]) -> Bool {
        guard count == other.count else { return false }
        return withUnsafeBytes { left in
            other.withUnsafeBytes { right in
                left.count == 0 || memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0
            }
        }
    }
}
