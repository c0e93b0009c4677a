// libFuzzer entry point for the HTTP request parser. `Fuzz/run` compiles it together with the parser's sources
// (which depend on the standard library only) using `-sanitize=fuzzer,address`.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequestParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    // The first byte picks how the rest is split into reads, so one input also covers partial arrivals.
    let split = size > 0 ? Int(bytes[0]) % 8 : 0
    let input = UnsafeBufferPointer(rebasing: bytes.dropFirst(min(1, size)))
    var parser = HTTPRequestParser(limits: .init(maxRequestLineBytes: 512, maxHeaderBytes: 1024, maxHeaderCount: 20,
                                                 maxBodyBytes: 4096))
    var offset = 0
    var events = 0
    while offset < input.count {
        let end = split == 0 ? input.count : min(input.count, offset + split)
        parser.append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: input[offset..<end])))
        offset = end
        do {
            while let event = try parser.nextEvent() {
                events += 1
                // Every event consumes at least one input byte; more events than bytes means the parser looped.
                precondition(events <= input.count + 1, "parser produced more events than input bytes")
                if case .head(let head) = event {
                    precondition(head.path.utf8.count <= 512, "path longer than the request line limit")
                }
            }
        } catch {
            return 0
        }
        precondition(parser.bufferedByteCount <= input.count, "parser buffered more than it was given")
    }
    return 0
}
