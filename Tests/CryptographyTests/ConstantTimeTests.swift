import Cryptography
import Testing

struct ConstantTimeTests {
    @Test("equal bytes compare equal")
    func equalBytes_AreEqual() {
        #expect(ConstantTime.equals([1, 2, 3] as [UInt8], [1, 2, 3] as [UInt8]))
        #expect(ConstantTime.equals("bearer-key".utf8, Array("bearer-key".utf8)))
        #expect(ConstantTime.equals([UInt8](), [UInt8]()))
    }

    @Test("bytes differing anywhere compare unequal", arguments: [0, 15, 31])
    func differingByte_IsUnequal(index: Int) {
        let original = [UInt8](repeating: 0x5a, count: 32)
        #expect(!ConstantTime.equals(original, original.flippingBit(7, ofByteAt: index)))
    }

    @Test("different lengths compare unequal, even when one is a prefix of the other")
    func differentLengths_AreUnequal() {
        #expect(!ConstantTime.equals([1, 2, 3] as [UInt8], [1, 2] as [UInt8]))
        #expect(!ConstantTime.equals([UInt8](), [0] as [UInt8]))
        #expect(!ConstantTime.equals("token".utf8, "token ".utf8))
    }
}
