/// One record of a data store: a key and its data object.
struct DataStoreRecord: Sendable {
    var key: String
    var data: JSON

    var json: JSON { ["key": .string(key), "data": data] }
}
