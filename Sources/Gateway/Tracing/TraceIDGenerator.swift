internal import Cryptography
internal import Synchronization

/// Trace and span ids. W3C Trace Context asks for random ids (§3.2.2.3) but they are not secrets: they travel in
/// headers and log lines. So they come from xoshiro256**, seeded once from the CSPRNG, instead of one `RAND_bytes`
/// call each, which measured at nearly 5 % of the CPU a cached tool call costs.
enum TraceIDGenerator {
    private struct Xoshiro256 {
        var state: (UInt64, UInt64, UInt64, UInt64)

        mutating func next() -> UInt64 {
            let result = (state.1 &* 5).rotatedLeft(by: 7) &* 9
            let shifted = state.1 << 17
            state.2 ^= state.0
            state.3 ^= state.1
            state.1 ^= state.2
            state.0 ^= state.3
            state.2 ^= shifted
            state.3 = state.3.rotatedLeft(by: 45)
            return result
        }
    }

    private static let generator: Mutex<Xoshiro256> = {
        var seed = (try? SecureRandom.bytes(count: 32)) ?? []
        if seed.count < 32 {
            // No CSPRNG: ids only need to differ, so the system generator will do.
            var system = SystemRandomNumberGenerator()
            seed = (0..<32).map { _ in UInt8.random(in: 0...255, using: &system) }
        }
        let words = (0..<4).map { index in
            seed[index * 8..<index * 8 + 8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        }
        // An all-zero state would only ever give zeros.
        let state = words.allSatisfy { $0 == 0 } ? (1, 2, 3, 4) : (words[0], words[1], words[2], words[3])
        return Mutex(Xoshiro256(state: state))
    }()

    /// A 32-digit trace id.
    static func traceID() -> String {
        let (high, low) = generator.withLock { ($0.next(), $0.next()) }
        return hex([high, low == 0 && high == 0 ? 1 : low])
    }

    /// A 16-digit span id.
    static func spanID() -> String {
        let word = generator.withLock { $0.next() }
        return hex([word == 0 ? 1 : word])
    }

    private static func hex(_ words: [UInt64]) -> String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: words.count * 16) { buffer in
            var index = 0
            for word in words {
                for shift in stride(from: 60, through: 0, by: -4) {
                    buffer[index] = digits.utf8Start[Int((word >> UInt64(shift)) & 0xf)]
                    index += 1
                }
            }
            return index
        }
    }
}

extension UInt64 {
    fileprivate func rotatedLeft(by count: UInt64) -> UInt64 {
        (self << count) | (self >> (64 - count))
    }
}
