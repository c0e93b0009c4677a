/// A schema reduced to what validation needs: the boolean schemas, or the decoded assertions of a schema object.
enum CompiledSchema: Sendable {
    /// `true` or a schema without assertions: every instance is valid.
    case anything
    /// `false`: no instance is valid (how `additionalProperties: false` forbids extra members).
    case nothing
    case constrained(Node)

    /// Holds a schema object's constraints by reference, so visiting a subschema reads them in place rather than
    /// copying a struct of some twenty fields (and their reference counts) per visit.
    final class Node: Sendable {
        let constraints: SchemaConstraints

        init(_ constraints: SchemaConstraints) {
            self.constraints = constraints
        }
    }

    /// The types this schema admits, or `nil` when it does not restrict the type; used to pick which `anyOf`
    /// branch an instance was meant for.
    var declaredTypes: [SchemaType]? {
        switch self {
        case .anything: nil
        case .nothing: []
        case .constrained(let node): node.constraints.types
        }
    }
}
