extension Sequence<UInt8> {
    /// Calls `body` with the bytes in one contiguous buffer whose base address is never nil.
    ///
    /// Arrays and native strings' UTF-8 views are passed without a copy; other sequences are copied once. An empty
    /// input still gets a valid pointer (with count 0), because some OpenSSL calls read a NULL pointer as "no
    /// argument" rather than "no bytes". The pointer must not escape `body`.
    func withContiguousBytes<Output, Failure: Error>(
        _ body: (UnsafeBufferPointer<UInt8>) throws(Failure) -> Output
    ) throws(Failure) -> Output {
        let direct = withContiguousStorageIfAvailable { buffer in
            Result { () throws(Failure) -> Output in try Self.callWithNonNilBase(buffer, body) }
        }
        if let direct {
            return try direct.get()
        }
        return try Array(self).withUnsafeBufferPointer { (buffer) throws(Failure) -> Output in
            try Self.callWithNonNilBase(buffer, body)
        }
    }

    private static func callWithNonNilBase<Output, Failure: Error>(
        _ buffer: UnsafeBufferPointer<UInt8>,
        _ body: (UnsafeBufferPointer<UInt8>) throws(Failure) -> Output
    ) throws(Failure) -> Output {
        if buffer.baseAddress != nil {
            return try body(buffer)
        }
        var placeholder: UInt8 = 0
        return try withUnsafePointer(to: &placeholder) { (pointer) throws(Failure) -> Output in
            try body(UnsafeBufferPointer(start: pointer, count: 0))
        }
    }
}
