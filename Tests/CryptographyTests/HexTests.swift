import Cryptography
import Testing

struct HexTests {
    @Test("bytes encode as two lowercase digits each")
    func bytes_EncodeAsLowercaseDigitPairs() {
        #expect(Hex.encode([0x00, 0x0f, 0xa5, 0xff] as [UInt8]) == "000fa5ff")
        #expect(Hex.encode([UInt8]()) == "")
        #expect(Hex.encode("abc".utf8) == "616263")
    }
}
