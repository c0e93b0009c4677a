/// A JSON number compared exactly across representations, so `9007199254740993` is not "at most"
/// `9007199254740992.0` just because converting it to `Double` rounds it down.
enum SchemaNumber: Sendable {
    case integer(Int64)
    case double(Double)

    /// The number in `value`, or `nil` if it is not a number.
    init?(_ value: JSONValue) {
        switch value {
        case .integer(let integer): self = .integer(integer)
        case .double(let double): self = .double(double)
        default: return nil
        }
    }

    /// The number as JSON text, for messages.
    var text: String {
        switch self {
        case .integer(let integer): JSONValue.integer(integer).description
        case .double(let double): JSONValue.double(double).description
        }
    }

    /// Compares two finite numbers exactly; negative, zero or positive like `strcmp`.
    static func compare(_ lhs: SchemaNumber, _ rhs: SchemaNumber) -> Int {
        switch (lhs, rhs) {
        case (.integer(let left), .integer(let right)):
            return left < right ? -1 : (left == right ? 0 : 1)
        case (.double(let left), .double(let right)):
            return left < right ? -1 : (left == right ? 0 : 1)
        case (.integer(let left), .double(let right)):
            return compare(left, right)
        case (.double(let left), .integer(let right)):
            return -compare(right, left)
        }
    }

    /// Compares an integer with a double without rounding the integer: split the double into its integral part,
    /// which fits in `Int64` inside the checked range, and its fraction.
    private static func compare(_ integer: Int64, _ double: Double) -> Int {
        if double >= 0x1p63 {
            return -1
        }
        if double < -0x1p63 {
            return 1
        }
        let floor = double.rounded(.down)
        let integralPart = Int64(floor)
        if integer != integralPart {
            return integer < integralPart ? -1 : 1
        }
        return floor == double ? 0 : -1
    }
}
