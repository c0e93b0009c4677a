import Cryptography
import Testing

struct SHA256Tests {
    /// The examples of FIPS 180-2 Appendix B (one-block, empty and the 448-bit two-block message).
    static let fips180Vectors: [(message: String, digest: String)] = [
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ]

    @Test("FIPS 180 example messages hash to their published digests", arguments: fips180Vectors)
    func fips180Message_HashesToPublishedDigest(message: String, digest: String) throws {
        #expect(Hex.encode(try SHA256.hash(message.utf8)) == digest)
        #expect(try SHA256.hexDigest(Array(message.utf8)) == digest)
    }

    @Test("one million 'a' bytes hash to the FIPS 180-2 Appendix B.3 digest")
    func millionA_HashesToPublishedDigest() throws {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(try SHA256.hexDigest(message) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("a sequence without contiguous storage hashes like the same bytes in an array")
    func noncontiguousSequence_HashesLikeArray() throws {
        let bytes = Array("abc".utf8)
        #expect(try SHA256.hash(bytes.lazy.map { $0 }) == SHA256.hash(bytes))
    }

    @Test("the digest is 32 bytes")
    func digest_Is32Bytes() throws {
        #expect(try SHA256.hash([0x00]).count == SHA256.byteCount)
        #expect(SHA256.byteCount == 32)
    }
}
