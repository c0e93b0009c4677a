/// One header field as it arrived: the name keeps its spelling, comparisons ignore ASCII case (RFC 9110 §5.1).
package struct HTTPField: Sendable, Equatable {
    package var name: String
    package var value: String

    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

extension String {
    /// ASCII case-insensitive equality, the comparison HTTP field names and tokens need (RFC 9110 §5.1).
    package func equalsIgnoringASCIICase(_ other: String) -> Bool {
        asciiCaseInsensitiveEqual(utf8, other.utf8)
    }
}

extension Substring {
    /// ``Swift/String/equalsIgnoringASCIICase(_:)`` for a part of a field value, without copying it into a `String`.
    package func equalsIgnoringASCIICase(_ other: String) -> Bool {
        asciiCaseInsensitiveEqual(utf8, other.utf8)
    }
}

/// Compares on the contiguous bytes when both sides have them (native strings do), a header lookup's common case,
/// instead of stepping two UTF-8 views in lockstep.
func asciiCaseInsensitiveEqual(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
    guard lhs.count == rhs.count else { return false }
    let contiguous = lhs.withContiguousStorageIfAvailable { left in
        rhs.withContiguousStorageIfAvailable { right in
            for index in 0..<left.count where left[index] != right[index] {
                guard left[index].asciiLowercased == right[index].asciiLowercased else { return false }
            }
            return true
        }
    }
    if let contiguous, let result = contiguous { return result }
    for (a, b) in zip(lhs, rhs) where a != b {
        guard a.asciiLowercased == b.asciiLowercased else { return false }
    }
    return true
}

extension UInt8 {
    /// The byte with A-Z folded to a-z; every other byte unchanged.
    package var asciiLowercased: UInt8 {
        self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z") ? self | 0x20 : self
    }
}
