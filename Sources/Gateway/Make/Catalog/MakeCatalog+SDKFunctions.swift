internal import MCPProtocol

extension MakeCatalog {
    private static let sdkFunctionName = required(
        "functionName", string(minLength: 1), .path, "Name of the function. Find it with sdk-functions_list.")

    /// make-catalog.md §6 "sdk-functions" (8): IML functions of custom apps.
    static let sdkFunctions: [MakeToolDefinition] = [
        MakeToolDefinition(
            name: "sdk-functions_list", group: "sdk-functions", title: "List a custom app's functions",
            description: "Lists the IML functions of a custom app.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/{appName}/{appVersion}/functions",
            arguments: [sdkAppNameArgument, sdkAppVersionArgument],
            result: .unwrap("appFunctions")),
        MakeToolDefinition(
            name: "sdk-functions_get", group: "sdk-functions", title: "Get a custom app function",
            description: "Returns one IML function of a custom app.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/{appName}/{appVersion}/functions/{functionName}",
            arguments: [sdkAppNameArgument, sdkAppVersionArgument, sdkFunctionName],
            result: .unwrap("appFunction")),
        MakeToolDefinition(
            name: "sdk-functions_create", group: "sdk-functions", title: "Create a custom app function",
            description: "Adds an empty IML function to a custom app; write its code with sdk-functions_set-code. "
                + "Returns the function.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "POST", path: "/sdk/apps/{appName}/{appVersion}/functions",
            arguments: [
                sdkAppNameArgument, sdkAppVersionArgument,
                required("name", string(minLength: 1), .body, "Name of the function, as the code will call it."),
            ],
            result: .unwrap("appFunction")),
        MakeToolDefinition(
            name: "sdk-functions_delete", group: "sdk-functions", title: "Delete a custom app function",
            description: "Deletes an IML function from a custom app. Returns a confirmation.",
            scope: "sdk-apps:write", annotations: destructive,
            method: "DELETE", path: "/sdk/apps/{appName}/{appVersion}/functions/{functionName}",
            arguments: [sdkAppNameArgument, sdkAppVersionArgument, sdkFunctionName],
            result: .confirmation("Function {functionName} of custom app {appName} deleted.")),
        MakeToolDefinition(
            name: "sdk-functions_get-code", group: "sdk-functions", title: "Get a custom app function's code",
            description: "Returns the JavaScript code of a custom app's IML function, as text.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/{appName}/{appVersion}/functions/{functionName}/code",
            arguments: [sdkAppNameArgument, sdkAppVersionArgument, sdkFunctionName],
            result: .wholeBody),
        MakeToolDefinition(
            name: "sdk-functions_set-code", group: "sdk-functions", title: "Set a custom app function's code",
            description: "Replaces the JavaScript code of a custom app's IML function. Returns a confirmation.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "PUT", path: "/sdk/apps/{appName}/{appVersion}/functions/{functionName}/code",
            arguments: [
                sdkAppNameArgument, sdkAppVersionArgument, sdkFunctionName,
                required(
                    "code", string(), .rawBody(contentType: "application/javascript"),
                    "JavaScript source of the function."),
            ],
            result: .confirmation("Code of function {functionName} of custom app {appName} saved.")),
        MakeToolDefinition(
            name: "sdk-functions_get-test", group: "sdk-functions", title: "Get a custom app function's test",
            description: "Returns the JavaScript test code of a custom app's IML function, as text.",
            scope: "sdk-apps:read", annotations: readOnly,
            method: "GET", path: "/sdk/apps/{appName}/{appVersion}/functions/{functionName}/test",
            arguments: [sdkAppNameArgument, sdkAppVersionArgument, sdkFunctionName],
            result: .wholeBody),
        MakeToolDefinition(
            name: "sdk-functions_set-test", group: "sdk-functions", title: "Set a custom app function's test",
            description: "Replaces the JavaScript test code of a custom app's IML function. Returns a confirmation.",
            scope: "sdk-apps:write", annotations: idempotentWrite,
            method: "PUT", path: "/sdk/apps/{appName}/{appVersion}/functions/{functionName}/test",
            arguments: [
                sdkAppNameArgument, sdkAppVersionArgument, sdkFunctionName,
                required(
                    "test", string(), .rawBody(contentType: "application/javascript"),
                    "JavaScript test code for the function."),
            ],
            result: .confirmation("Test of function {functionName} of custom app {appName} saved.")),
    ]
}
