internal import MCPProtocol

/// How scenario blueprints travel (make-catalog.md §2, "Blueprint and scheduling"): on writes, a `scheduling` inside
/// the blueprint wins over the top-level one and leaves the blueprint, and an `interface {input, output}` (or
/// `io {input_spec, output_spec}`) leaves it for `metadata {input_spec, output_spec}`, which is always sent; both
/// blueprint and scheduling go out as JSON-encoded strings. On reads the way back: scheduling and interface are put
/// into the blueprint, so what `scenarios_get` returns can be edited and passed to `scenarios_update`.
enum MakeScenarioBlueprint {
    /// The arguments of `scenarios_create` or `scenarios_update` with blueprint and scheduling normalised, and the
    /// `metadata` body field to send with them.
    static func normalise(_ arguments: JSONObject) -> (arguments: JSONObject, metadata: JSONValue) {
        var arguments = arguments
        var input: JSONValue = .array([])
        var output: JSONValue = .array([])
        if var blueprint = arguments["blueprint"]?.objectValue {
            if let scheduling = blueprint["scheduling"] {
                arguments["scheduling"] = scheduling
                blueprint["scheduling"] = nil
            }
            if let interface = blueprint["interface"]?.objectValue {
                input = interface["input"] ?? input
                output = interface["output"] ?? output
            } else if let io = blueprint["io"]?.objectValue {
                input = io["input_spec"] ?? input
                output = io["output_spec"] ?? output
            }
            blueprint["interface"] = nil
            blueprint["io"] = nil
            arguments["blueprint"] = .object(blueprint)
        }
        return (arguments, ["input_spec": input, "output_spec": output])
    }

    /// The blueprint from `GET /scenarios/{id}/blueprint`'s `response {blueprint, scheduling, metadata}`, with the
    /// scheduling and interface folded back in.
    static func readable(_ response: JSONValue) -> JSONValue {
        guard var blueprint = response["blueprint"]?.objectValue else { return response }
        if let scheduling = response["scheduling"], !scheduling.isNull { blueprint["scheduling"] = scheduling }
        let metadata = response["metadata"]
        blueprint["interface"] = [
            "input": metadata?["input_spec"].flatMap { $0.isNull ? nil : $0 } ?? .array([]),
            "output": metadata?["output_spec"].flatMap { $0.isNull ? nil : $0 } ?? .array([]),
        ]
        return .object(blueprint)
    }
}
