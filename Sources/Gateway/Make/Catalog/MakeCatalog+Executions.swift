internal import MCPProtocol

extension MakeCatalog {
    /// make-catalog.md §6 "executions" (5): scenario runs and the runs that retried incomplete executions.
    static let executions: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "executions_list", group: "executions", title: "List a scenario's runs",
            description: "Lists the runs of a scenario, newest first, with status, duration, operations and "
                + "transfer. Filter by status or time window; each entry's id is an executionId for executions_get "
                + "and executions_get-detail.",
            scope: "scenarios:read", annotations: readOnly,
            method: "GET", path: "/scenarios/{scenarioId}/logs",
            arguments: [
                scenarioID(),
                // Fix: the SDK tool accepts status, from and to but never sends them, and types status as a
                // string; Make's logs endpoint reads them as query parameters, status being 1, 2 or 3.
                optional(
                    "status", integerEnumeration([1, 2, 3]), .query,
                    "Only runs with this outcome: 1 success, 2 warning, 3 error."),
                optional(
                    "from", integer(minimum: 0), .query,
                    "Only runs at or after this moment, as a Unix timestamp in milliseconds."),
                optional(
                    "to", integer(minimum: 0), .query,
                    "Only runs before this moment, as a Unix timestamp in milliseconds."),
            ],
            result: .unwrap("scenarioLogs"),
            // Fix: the endpoint pages with pg[…] (its answer carries `pg`); the SDK tool exposed no paging.
            isPaginated: true, isInDefaultSelection: true),
        MakeToolDefinition(
            name: "executions_get-detail", group: "executions", title: "Get a run's result",
            description: "Returns the outcome of one run: its status (RUNNING, SUCCESS, WARNING or ERROR), its "
                + "outputs, and for a failed run the error and the module that raised it. Use it to poll a run "
                + "started with scenarios_run.",
            scope: "scenarios:read", annotations: readOnly,
            method: "GET", path: "/scenarios/{scenarioId}/executions/{executionId}",
            arguments: [scenarioID(), executionID],
            result: .wholeBody,
            isInDefaultSelection: true),
        MakeToolDefinition(
            name: "executions_get", group: "executions", title: "Get a run's log entry",
            description: "Returns the log entry of one run of a scenario: status, duration, operations, transfer, "
                + "trigger type and timestamp.",
            scope: "scenarios:read", annotations: readOnly,
            method: "GET", path: "/scenarios/{scenarioId}/logs/{executionId}",
            arguments: [scenarioID(), executionID],
            result: .unwrap("scenarioLog"),
            isInDefaultSelection: true),
        MakeToolDefinition(
            name: "executions_list-for-incomp-exec", group: "executions",
            title: "List retries of an incomplete execution",
            description: "Lists the attempts made to resolve an incomplete execution, newest first. Each entry's id "
                + "can be passed to executions_get-for-incomp-exec.",
            scope: "dlqs:read", annotations: readOnly,
            method: "GET", path: "/dlqs/{incompleteExecutionId}/logs",
            arguments: [incompleteExecutionID],
            result: .unwrap("dlqLogs"),
            // Fix: the SDK tool takes `limit` and drops it; paging sends it as pg[limit], with offset and sorting.
            isPaginated: true),
        MakeToolDefinition(
            name: "executions_get-for-incomp-exec", group: "executions",
            title: "Get a retry of an incomplete execution",
            description: "Returns one attempt to resolve an incomplete execution: its status, duration and "
                + "timestamp.",
            scope: "dlqs:read", annotations: readOnly,
            method: "GET", path: "/dlqs/{incompleteExecutionId}/logs/{executionId}",
            arguments: [
                incompleteExecutionID,
                required(
                    "executionId", executionIDSchema, .path,
                    "ID of the attempt (32 hex characters). Find it with executions_list-for-incomp-exec."),
            ],
            result: .unwrap("dlqLog")),
    ]
}
