internal import MCPProtocol

extension MakeCatalog {
    /// make-catalog.md §6 "incomplete-executions" (2).
    static let incompleteExecutions: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "incomplete-executions_list", group: "incomplete-executions",
            title: "List a scenario's incomplete executions",
            description: "Lists the runs of a scenario that stopped on an error and were kept for resolving, with "
                + "reason, creation time, size and retry state.",
            scope: "dlqs:read", annotations: readOnly,
            method: "GET", path: "/dlqs",
            arguments: [scenarioID(.query)],
            result: .unwrap("dlqs"),
            isInDefaultSelection: true),
        MakeToolDefinition(
            name: "incomplete-executions_get", group: "incomplete-executions",
            title: "Get an incomplete execution",
            description: "Returns one incomplete execution: its scenario, reason, the run it came from (executionId), "
                + "retry state and attempts.",
            scope: "dlqs:read", annotations: readOnly,
            method: "GET", path: "/dlqs/{incompleteExecutionId}",
            arguments: [incompleteExecutionID],
            result: .unwrap("dlq"),
            isInDefaultSelection: true),
    ]
}
