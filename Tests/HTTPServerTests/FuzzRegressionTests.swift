import Foundation
import HTTPServer
import Testing

/// Every input that ever crashed or hung the request parser under `make fuzz` is kept in `FuzzRegressions/` and
/// replayed here, byte by byte and whole, so it can never come back.
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

    @Test("each kept input parses to events or an error, whole and byte by byte", arguments: inputs)
    func replay(input: URL) throws {
        let bytes = try [UInt8](Data(contentsOf: input))
        for chunkSize in [bytes.count, 1] {
            var parser = HTTPRequestParser(limits: .init(maxRequestLineBytes: 512, maxHeaderBytes: 1024,
                                                         maxHeaderCount: 20, maxBodyBytes: 4096))
            var offset = 0
            var events = 0
            feeding: while offset < bytes.count {
                let end = min(bytes.count, offset + max(1, chunkSize))
                parser.append(bytes[offset..<end])
                offset = end
                do {
                    while try parser.nextEvent() != nil {
                        events += 1
                        // Each event consumes input, so a parser that loops would exceed this.
                        #expect(events <= bytes.count + 1)
                        if events > bytes.count + 1 { break feeding }
                    }
                } catch {
                    break feeding
                }
            }
        }
    }
}
