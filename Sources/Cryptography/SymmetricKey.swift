internal import COpenSSL
internal import FoundationEssentials
import Synchronization

/// A 256-bit AES key whose bytes are wiped with `OPENSSL_cleanse` when the last reference to it goes away.
///
/// A class rather than a struct so that there is one copy of the key bytes, owned here, to wipe; sharing a key
/// shares the reference. Its textual forms are redacted like ``Secret``'s.
package final class SymmetricKey: Sendable {
    /// The key length AES-256 needs: 32 bytes.
    package static let byteCount = 32

    /// The key bytes. They never change until `deinit` wipes them; the lock exists only so the class is `Sendable`
    /// without `@unchecked`, and it is held just while OpenSSL copies the key into a cipher context.
    private let bytes: Mutex<[UInt8]>

    /// A key from exactly ``byteCount`` raw bytes, copied into storage of its own; the caller's copy is its own to
    /// wipe.
    ///
    /// - Throws: ``CryptoError/invalidKeyLength(byteCount:)``, which states the length but never the bytes.
    package init(bytes: some Sequence<UInt8>) throws(CryptoError) {
        // A fresh buffer, never shared with the caller's array, so deinit wipes this very memory in place.
        var owned: [UInt8] = []
        owned.reserveCapacity(Self.byteCount)
        owned.append(contentsOf: bytes)
        guard owned.count == Self.byteCount else {
            let byteCount = owned.count
            owned.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) }
            throw .invalidKeyLength(byteCount: byteCount)
        }
        self.bytes = Mutex(owned)
    }

    /// A key from standard base64 (RFC 4648 §4), the form `openssl rand -base64 32` prints and configuration holds.
    ///
    /// - Throws: ``CryptoError/invalidKeyEncoding`` or ``CryptoError/invalidKeyLength(byteCount:)``; neither
    ///   message repeats the text.
    package convenience init(base64Encoded text: String) throws(CryptoError) {
        guard var decoded = Data(base64Encoded: text) else { throw .invalidKeyEncoding }
        defer {
            decoded.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) }
        }
        try self.init(bytes: decoded)
    }

    /// A new key from the CSPRNG.
    package static func generate() throws(CryptoError) -> SymmetricKey {
        try SymmetricKey(bytes: SecureRandom.bytes(count: byteCount))
    }

    /// Calls `body` with the key bytes, which it must only read and must not let escape.
    func withUnsafeBytes<Output: Sendable>(
        _ body: (UnsafeBufferPointer<UInt8>) throws(CryptoError) -> Output
    ) throws(CryptoError) -> Output {
        try bytes.withLock { (bytes: inout [UInt8]) throws(CryptoError) -> Output in
            try bytes.withUnsafeBufferPointer { (buffer) throws(CryptoError) -> Output in try body(buffer) }
        }
    }

    deinit {
        bytes.withLock { bytes in
            bytes.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) }
        }
    }
}

// MARK: - CustomStringConvertible

extension SymmetricKey: CustomStringConvertible {
    package var description: String {
        "SymmetricKey(<redacted>)"
    }
}

// MARK: - CustomReflectable

extension SymmetricKey: CustomReflectable {
    /// No children, so `dump` and debuggers walking the mirror cannot reach the key bytes.
    package var customMirror: Mirror {
        Mirror(self, children: [], displayStyle: .class)
    }
}
