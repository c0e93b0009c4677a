import Foundation
import HTTPServer
import Testing

/// Every input that ever crashed or hung the request parser under `make fuzz` is kept in `FuzzRegressions/` and
/// replayed here through ``HTTPParserFuzzInput``, the harness's own code, so it can never come back.
@Suite("Parser fuzz regressions")
struct FuzzRegressionTests {
    static let inputs: [URL] = {
        guard let directory = Bundle.module.url(forResource: "FuzzRegressions", withExtension: nil),
              let files = try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
        else { return [] }
        return files.filter { !$0.lastPathComponent.hasPrefix(".") }.sorted { $0.path < $1.path }
    }()

    @Test("the regression corpus is present")
    func corpusIsPresent() {
        #expect(!Self.inputs.isEmpty)
    }

    @Test("each kept input replays as the fuzzer ran it, then whole and byte by byte, with every invariant holding",
          arguments: inputs)
    func replay(input: URL) throws {
        let fuzzInput = HTTPParserFuzzInput(try [UInt8](Data(contentsOf: input)))
        for readSize in [fuzzInput.readSize, 0, 1] {
            #expect(throws: Never.self, "read size \(readSize)") { try fuzzInput.replay(readSize: readSize) }
        }
    }

    @Test("the first byte chooses the read size, and the request is the rest")
    func inputFormat() {
        let input = HTTPParserFuzzInput(Array("3GET / HTTP/1.1\r\n".utf8))
        #expect(input.readSize == 3)
        #expect(input.request == Array("GET / HTTP/1.1\r\n".utf8))
        #expect(HTTPParserFuzzInput(Array("0GET".utf8)).readSize == 0)
        #expect(HTTPParserFuzzInput([UInt8]()).request.isEmpty)
    }
}
