/// One Redis command as binary-safe arguments, sent with hiredis's argv API, never a format string.
package struct RedisCommand: Sendable, Equatable {
    package var arguments: [[UInt8]]

    package init(_ arguments: [[UInt8]]) {
        self.arguments = arguments
    }

    package init(_ name: String, _ arguments: String...) {
        self.arguments = [Array(name.utf8)] + arguments.map { Array($0.utf8) }
    }

    /// The command's name, for logs and metrics; the arguments may hold secrets and are never logged.
    package var name: String { arguments.first.map { String(decoding: $0, as: UTF8.self) } ?? "" }

    /// Calls `body` with hiredis's argc, argv and argument lengths, valid only during the call.
    func withArgv<Result>(
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> Result
    ) -> Result {
        // One contiguous buffer holds every argument, so a single pointer scope covers them all.
        var joined: [UInt8] = []
        joined.reserveCapacity(arguments.reduce(0) { $0 + $1.count } + 1)
        var offsets: [Int] = []
        var lengths: [Int] = []
        for argument in arguments {
            offsets.append(joined.count)
            lengths.append(argument.count)
            joined.append(contentsOf: argument)
        }
        // A trailing byte keeps the base address valid when every argument is empty.
        joined.append(0)
        return joined.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            var argv: [UnsafePointer<CChar>?] = offsets.map { base + $0 }
            return argv.withUnsafeMutableBufferPointer { argvBuffer in
                lengths.withUnsafeBufferPointer { lengthBuffer in
                    body(Int32(arguments.count), argvBuffer.baseAddress!, lengthBuffer.baseAddress!)
                }
            }
        }
    }
}
