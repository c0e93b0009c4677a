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
        let lhs = utf8
        let rhs = other.utf8
        guard lhs.count == rhs.count else { return false }
        for (a, b) in zip(lhs, rhs) where a != b {
            guard a.asciiLowercased == b.asciiLowercased else { return false }
        }
        return true
    }
}

extension UInt8 {
    /// The byte with A-Z folded to a-z; every other byte unchanged.
    package var asciiLowercased: UInt8 {
        self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z") ? self | 0x20 : self
    }
}
