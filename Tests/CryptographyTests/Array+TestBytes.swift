extension [UInt8] {
    /// Bytes from a hex string as test vectors print them; spaces are ignored so long vectors can be grouped.
    init(hex: String) {
        let digits = hex.filter { $0 != " " }.map { character in
            guard let value = character.hexDigitValue else { preconditionFailure("test vector is not hex: \(hex)") }
            return UInt8(value)
        }
        precondition(digits.count.isMultiple(of: 2), "test vector has an odd number of hex digits: \(hex)")
        self = stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    /// A copy with bit `bit` (0 is the least significant) of the byte at `index` inverted, as an attacker would.
    func flippingBit(_ bit: Int, ofByteAt index: Int) -> [UInt8] {
        var copy = self
        copy[index] ^= 1 << bit
        return copy
    }
}
