// libFuzzer entry point for the HTTP request parser. `Fuzz/run` compiles it with the parser's sources (which depend
// on the standard library only) and Tests/HTTPServerTests/HTTPParserFuzzInput.swift, which defines the input format
// and the invariants, using `-sanitize=fuzzer,address`. A broken invariant crashes, so libFuzzer keeps the input.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequestParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    do {
        try HTTPParserFuzzInput(UnsafeBufferPointer(start: data, count: size)).replay()
    } catch {
        preconditionFailure(error.description)
    }
    return 0
}
