/// A token, password, key or credential-bearing URL that must never reach a log line, an error or a debugger dump.
///
/// Every textual form (`description`, `debugDescription`, string interpolation, `print`, `dump`, `Mirror`) is
/// `<redacted>`. The value is reachable only through ``revealedValue``, a name that stands out in review at each
/// place that really needs it.
package struct Secret: Sendable {
    private let value: String

    /// Wraps `value`; from here on only ``revealedValue`` gives it back.
    package init(_ value: String) {
        self.value = value
    }

    /// The secret itself, for the one call that must send or use it.
    package var revealedValue: String {
        value
    }

    /// Whether `candidate` equals the secret, compared in constant time so a client guessing keys learns nothing
    /// from how long a wrong guess took.
    package func matches(_ candidate: String) -> Bool {
        ConstantTime.equals(value.utf8, candidate.utf8)
    }
}

// MARK: - CustomStringConvertible, CustomDebugStringConvertible

extension Secret: CustomStringConvertible, CustomDebugStringConvertible {
    package var description: String {
        "<redacted>"
    }

    package var debugDescription: String {
        "<redacted>"
    }
}

// MARK: - CustomReflectable

extension Secret: CustomReflectable {
    /// No children, so `dump` and debuggers walking the mirror cannot reach the stored value.
    package var customMirror: Mirror {
        Mirror(self, children: [], displayStyle: .struct)
    }
}
