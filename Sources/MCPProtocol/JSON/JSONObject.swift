/// A JSON object whose members keep their insertion order, so serialized output is deterministic and reads the way
/// it was written (`jsonrpc`, `id`, then `result`).
///
/// Keys are unique: assigning an existing key replaces its value in place. Keys compare as Swift strings, that is
/// by canonical equivalence. Members live in one array (one allocation per object); lookup is a linear scan while
/// the object is small, which beats hashing for the handful of members JSON-RPC envelopes and tool arguments have,
/// and past ``indexThreshold`` members a dictionary index keeps lookup O(1).
///
/// Equality and hashing ignore member order, because RFC 8259 §4 gives objects no order.
package struct JSONObject: Sendable {
    /// Member count above which lookups go through a hash index instead of a linear scan.
    static let indexThreshold = 16

    /// One name/value pair.
    struct Member: Sendable {
        var key: String
        var value: JSONValue
    }

    /// The members in order; readable in the module so the serializer can walk them without copying each pair.
    private(set) var members: [Member]
    /// Position of each key in `members`; `nil` while the object is small enough to scan.
    private var index: [String: Int]?

    /// An empty object.
    package init() {
        members = []
        index = nil
    }

    /// The member names in insertion order.
    package var keys: [String] { members.map(\.key) }

    /// The member values in insertion order.
    package var values: [JSONValue] { members.map(\.value) }

    /// Reserves room for `capacity` members, for callers that know the size up front.
    package mutating func reserveCapacity(_ capacity: Int) {
        members.reserveCapacity(capacity)
    }

    /// The value for `key`, or `nil` if absent. Setting `nil` removes the member; setting a new key appends it.
    package subscript(key: String) -> JSONValue? {
        get {
            position(of: key).map { members[$0].value }
        }
        set {
            if let newValue {
                updateValue(newValue, forKey: key)
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// Sets `value` for `key`, keeping the position of an existing key (as Python's `json` does for duplicates).
    package mutating func updateValue(_ value: JSONValue, forKey key: String) {
        if let existing = position(of: key) {
            members[existing].value = value
            return
        }
        members.append(Member(key: key, value: value))
        if index != nil {
            index?[key] = members.count - 1
        } else if members.count > Self.indexThreshold {
            rebuildIndex()
        }
    }

    /// Removes the member named `key`, returning its value. O(n), because later members shift down.
    @discardableResult
    package mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let existing = position(of: key) else { return nil }
        let removed = members.remove(at: existing)
        if members.count > Self.indexThreshold {
            rebuildIndex()
        } else {
            index = nil
        }
        return removed.value
    }

    private func position(of key: String) -> Int? {
        if let index {
            return index[key]
        }
        return members.firstIndex { $0.key == key }
    }

    private mutating func rebuildIndex() {
        var rebuilt = [String: Int](minimumCapacity: members.count)
        for (position, member) in members.enumerated() {
            rebuilt[member.key] = position
        }
        index = rebuilt
    }
}

// MARK: - RandomAccessCollection

extension JSONObject: RandomAccessCollection {
    package var startIndex: Int { 0 }
    package var endIndex: Int { members.count }

    package subscript(position: Int) -> (key: String, value: JSONValue) {
        (members[position].key, members[position].value)
    }
}

// MARK: - ExpressibleByDictionaryLiteral

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Builds an object from a literal; a repeated key keeps its first position and its last value.
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init()
        reserveCapacity(elements.count)
        for (key, value) in elements {
            updateValue(value, forKey: key)
        }
    }
}

// MARK: - Hashable

extension JSONObject: Hashable {
    package static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for (key, value) in lhs where rhs[key] != value {
            return false
        }
        return true
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        // Summing per-member hashes makes the result independent of member order, matching `==`.
        var combined = 0
        for (key, value) in self {
            var memberHasher = Hasher()
            memberHasher.combine(key)
            memberHasher.combine(value)
            combined &+= memberHasher.finalize()
        }
        hasher.combine(combined)
    }
}
