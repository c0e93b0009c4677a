#if canImport(HTTPServer)
import HTTPServer
#endif

/// One input of the request-parser fuzzer, and the one way it is fed to the parser.
///
/// This file is compiled into the libFuzzer harness by `Fuzz/run` (where the parser's sources are part of the same
/// module, hence the conditional import) and into the test target, where ``FuzzRegressionTests`` replays every kept
/// input through it, so a finding is replayed exactly as the fuzzer ran it. Every file in `Fuzz/seeds` and
/// `Tests/HTTPServerTests/FuzzRegressions` has this format:
///
/// - byte 0 chooses how the request arrives: its value modulo 8 is the size of each read, 0 meaning one read of
///   everything. Hand-written seeds use the ASCII digits `0` to `7`, whose values modulo 8 are the digits themselves,
///   so they stay readable as text;
/// - the bytes after it are what the client sent.
struct HTTPParserFuzzInput {
    /// An invariant of the parser that did not hold.
    struct Violation: Error, CustomStringConvertible {
        let description: String
    }

    /// Bytes per read as the input chose them; 0 means one read of everything.
    let readSize: Int
    let request: [UInt8]

    /// Small limits, so that fuzzing reaches every cap quickly.
    static let limits = HTTPRequestParser.Limits(maxRequestLineBytes: 512, maxHeaderBytes: 1024, maxHeaderCount: 20,
                                                 maxBodyBytes: 4096)

    init(_ bytes: some Collection<UInt8>) {
        readSize = bytes.first.map { Int($0) % 8 } ?? 0
        request = Array(bytes.dropFirst())
    }

    /// Feeds the request to a fresh parser in reads of `readSize` bytes (the input's own choice when nil), taking
    /// every event after each read. A parse error ends the replay: refusing bad input is a valid outcome.
    ///
    /// - Throws: ``Violation`` when the parser loops, lets a path past the request-line cap, or buffers more than it
    ///   was given.
    func replay(readSize: Int? = nil) throws(Violation) {
        let size = readSize ?? self.readSize
        var parser = HTTPRequestParser(limits: Self.limits)
        var offset = 0
        var events = 0
        while offset < request.count {
            let end = size == 0 ? request.count : min(request.count, offset + size)
            parser.append(request[offset..<end])
            offset = end
            while true {
                let event: HTTPParserEvent?
                do {
                    event = try parser.nextEvent()
                } catch {
                    return
                }
                guard let event else { break }
                events += 1
                // Every event consumes input, so more events than bytes means the parser looped.
                guard events <= request.count + 1 else {
                    throw Violation(description: "\(events) events from \(request.count) bytes")
                }
                if case .head(let head) = event, head.path.utf8.count > Self.limits.maxRequestLineBytes {
                    throw Violation(description: "a \(head.path.utf8.count)-byte path passed the request-line cap")
                }
            }
            guard parser.bufferedByteCount <= request.count else {
                throw Violation(description: "\(parser.bufferedByteCount) bytes buffered from \(request.count)")
            }
        }
    }
}
