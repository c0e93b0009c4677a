internal import COpenSSL

extension CryptoError {
    /// Throws the OpenSSL error for `function` unless `status` is 1, the success value of the EVP and RAND calls.
    static func check(_ status: Int32, _ function: String) throws(CryptoError) {
        guard status == 1 else { throw fromErrorQueue(failedFunction: function) }
    }

    /// The error for a failed OpenSSL call, carrying the reason text of the first error on this thread's queue.
    ///
    /// The rest of the queue is cleared: it is per thread and only grows, so a stale entry would otherwise be reported
    /// as the cause of the next, unrelated failure on this thread. OpenSSL's texts name library, function and reason
    /// codes only, never the data being processed.
    static func fromErrorQueue(failedFunction function: String) -> CryptoError {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return .openSSL(function: function, reason: "no reason on the OpenSSL error queue") }
        var text = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &text, text.count)
        let utf8 = text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return .openSSL(function: function, reason: String(decoding: utf8, as: UTF8.self))
    }
}
