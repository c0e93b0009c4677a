import Cryptography
import Testing

struct HMACSHA256Tests {
    /// One test case of RFC 4231 §4, with its HMAC-SHA-256 result.
    struct RFC4231Case: Sendable, CustomTestStringConvertible {
        let number: Int
        let key: [UInt8]
        let data: [UInt8]
        let mac: String

        var testDescription: String {
            "RFC 4231 test case \(number)"
        }
    }

    static let rfc4231Cases = [
        RFC4231Case(
            number: 1,
            key: [UInt8](repeating: 0x0b, count: 20),
            data: Array("Hi There".utf8),
            mac: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        ),
        RFC4231Case(
            number: 2,
            key: Array("Jefe".utf8),
            data: Array("what do ya want for nothing?".utf8),
            mac: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        ),
        RFC4231Case(
            number: 3,
            key: [UInt8](repeating: 0xaa, count: 20),
            data: [UInt8](repeating: 0xdd, count: 50),
            mac: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
        ),
        RFC4231Case(
            number: 4,
            key: [UInt8](hex: "0102030405060708090a0b0c0d0e0f10111213141516171819"),
            data: [UInt8](repeating: 0xcd, count: 50),
            mac: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
        ),
        RFC4231Case(
            number: 6,
            key: [UInt8](repeating: 0xaa, count: 131),
            data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            mac: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
        RFC4231Case(
            number: 7,
            key: [UInt8](repeating: 0xaa, count: 131),
            data: Array(
                ("This is a test using a larger than block-size key and a larger than block-size data. The key needs "
                    + "to be hashed before being used by the HMAC algorithm.").utf8
            ),
            mac: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        ),
    ]

    @Test("RFC 4231 test cases give their published HMAC-SHA-256", arguments: rfc4231Cases)
    func rfc4231Case_GivesPublishedCode(testCase: RFC4231Case) throws {
        let code = try HMACSHA256.authenticationCode(for: testCase.data, key: testCase.key)
        #expect(Hex.encode(code) == testCase.mac)
    }

    @Test("RFC 4231 test case 5: the first 128 bits match the truncated result")
    func rfc4231TruncationCase_PrefixMatches() throws {
        let key = [UInt8](repeating: 0x0c, count: 20)
        let code = try HMACSHA256.authenticationCode(for: "Test With Truncation".utf8, key: key)
        #expect(Hex.encode(code.prefix(16)) == "a3b6167473100ee06e0c796c2955552b")
    }

    @Test("an empty key and an empty message still give a 32-byte code")
    func emptyKeyAndMessage_GiveCode() throws {
        let code = try HMACSHA256.authenticationCode(for: [UInt8](), key: [UInt8]())
        #expect(Hex.encode(code) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test("a different key gives a different code for the same message")
    func differentKey_GivesDifferentCode() throws {
        let message = Array("state=abc".utf8)
        let first = try HMACSHA256.authenticationCode(for: message, key: [UInt8](repeating: 1, count: 32))
        let second = try HMACSHA256.authenticationCode(for: message, key: [UInt8](repeating: 2, count: 32))
        #expect(!ConstantTime.equals(first, second))
    }
}
