"""Drives the gateway with the official MCP Python SDK (PyPI `mcp`), over either HTTP transport, and checks what a
user of that SDK sees. Prints one line per check (`ok NAME` or `FAIL NAME: why`) and exits non-zero on any failure.

Usage: python_sdk_client.py URL sse|streamable

Over HTTP+SSE it uses `sse_client` and `ClientSession.initialize()`. Over Streamable HTTP it uses the SDK's high-level
`Client`, which first probes `server/discover` at 2026-07-28 and must fall back to `initialize` (mcp.md §5.9).

The gateway must run with DIAGNOSTIC_TOOLS=on, for the gateway_wait tool that reports progress and can be cancelled.
"""

import sys

import anyio
import mcp_types as types
from mcp import Client, ClientSession
from mcp.client.sse import sse_client

# What initialize advertises: exactly the features the gateway serves, nothing it does not.
EXPECTED_CAPABILITIES = {
    "tools": {"listChanged": True},
    "resources": {"subscribe": True, "listChanged": True},
    "prompts": {"listChanged": True},
    "logging": {},
    "completions": {},
}

failures = []


def check(name, condition, detail=""):
    if condition:
        print(f"ok {name}", flush=True)
    else:
        failures.append(name)
        print(f"FAIL {name}: {detail}", flush=True)


async def eventually(condition, seconds=10):
    """Polls `condition` until it holds or `seconds` pass: notifications reach their callbacks in tasks of their
    own, so a call can return before the log lines sent ahead of its result have been handled."""
    with anyio.move_on_after(seconds):
        while not condition():
            await anyio.sleep(0.01)
    return condition()


async def exercise(session, init, logs):
    check("initialize negotiates a supported version",
          init.protocol_version in ("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"), init.protocol_version)
    check("server names itself", init.server_info.name == "make-mcp-gateway", init.server_info)
    capabilities = init.capabilities.model_dump(by_alias=True, exclude_none=True)
    check("capabilities are exactly the ones served", capabilities == EXPECTED_CAPABILITIES, capabilities)

    pong = await session.send_ping()
    check("ping answers with an empty result",
          isinstance(pong, types.EmptyResult) and pong.model_dump(by_alias=True, exclude_none=True) == {}, pong)

    tools = await session.list_tools()
    names = [tool.name for tool in tools.tools]
    check("tools/list has gateway_info", "gateway_info" in names, names)
    info_tool = next(tool for tool in tools.tools if tool.name == "gateway_info")
    check("gateway_info is read-only", info_tool.annotations is not None and info_tool.annotations.read_only_hint,
          info_tool.annotations)

    info = await session.call_tool("gateway_info", {})
    check("gateway_info succeeds", not info.is_error, info)
    text = info.content[0].text if info.content else ""
    check("gateway_info reports the store", '"store":"memory"' in text, text)
    if init.protocol_version >= "2025-06-18":
        check("gateway_info has structured content",
              isinstance(info.structured_content, dict) and info.structured_content.get("store") == "memory",
              info.structured_content)

    invalid = await session.call_tool("gateway_wait", {"milliseconds": "soon"})
    invalid_text = invalid.content[0].text if invalid.content else ""
    check("schema violation is a tool error naming the field",
          invalid.is_error and "milliseconds" in invalid_text and "integer" in invalid_text, invalid_text)

    progress = []

    async def on_progress(value, total, message):
        progress.append(value)

    waited = await session.call_tool("gateway_wait", {"milliseconds": 60, "steps": 3}, progress_callback=on_progress)
    check("progressing call succeeds", not waited.is_error, waited)
    check("progress notifications arrive in order", progress == [1.0, 2.0, 3.0], progress)

    resources = await session.list_resources()
    check("resources/list has gateway://info", any(str(r.uri) == "gateway://info" for r in resources.resources),
          resources)
    read = await session.read_resource("gateway://info")
    check("resources/read returns the info", '"replica"' in read.contents[0].text, read)
    templates = await session.list_resource_templates()
    check("templates list tool definitions",
          any(t.uri_template == "gateway://tools/{name}" for t in templates.resource_templates), templates)
    definition = await session.read_resource("gateway://tools/gateway_info")
    check("template read returns a tool definition", '"inputSchema"' in definition.contents[0].text, definition)

    prompts = await session.list_prompts()
    check("prompts/list has explain_tool", any(p.name == "explain_tool" for p in prompts.prompts), prompts)
    prompt = await session.get_prompt("explain_tool", {"tool": "gateway_info"})
    check("prompts/get renders a user message",
          prompt.messages and prompt.messages[0].role == "user" and "gateway_info" in prompt.messages[0].content.text,
          prompt)

    completion = await session.complete(types.PromptReference(name="explain_tool"),
                                        {"name": "tool", "value": "gateway_i"})
    check("prompt argument completion", completion.completion.values == ["gateway_info"], completion)
    template_completion = await session.complete(types.ResourceTemplateReference(uri="gateway://tools/{name}"),
                                                 {"name": "name", "value": "gateway_w"})
    check("template argument completion", template_completion.completion.values == ["gateway_wait"],
          template_completion)

    # logging/setLevel: gateway_wait logs one info line per step. A progress callback makes the Streamable
    # transport answer on the call's own event stream, so on both transports the lines precede the result.
    async def ignore_progress(value, total, message):
        pass

    level = await session.set_logging_level("error")
    check("logging/setLevel answers an empty result",
          isinstance(level, types.EmptyResult) and level.model_dump(by_alias=True, exclude_none=True) == {}, level)
    # Step counts no other call here uses, so each call's lines are told apart by their text.
    await session.call_tool("gateway_wait", {"milliseconds": 4, "steps": 4}, progress_callback=ignore_progress)
    await session.set_logging_level("info")
    await session.call_tool("gateway_wait", {"milliseconds": 2, "steps": 2}, progress_callback=ignore_progress)
    second = [("info", "step 1 of 2"), ("info", "step 2 of 2")]
    check("at level info a call's info lines arrive",
          await eventually(lambda: [entry for entry in logs if entry[1].endswith(" of 2")] == second), logs)
    # The first call's lines, had the gateway sent them at level error, were on the wire before the second call.
    check("at level error no info line arrives", not any(data.endswith(" of 4") for _, data in logs), logs)

    # Cancellation: abandoning a call sends notifications/cancelled; the gateway stops the work and the session
    # stays usable.
    started = anyio.Event()

    async def on_first_progress(value, total, message):
        started.set()

    async def long_call():
        await session.call_tool("gateway_wait", {"milliseconds": 30000, "steps": 300},
                                progress_callback=on_first_progress)

    with anyio.fail_after(20):
        async with anyio.create_task_group() as group:
            group.start_soon(long_call)
            await started.wait()
            group.cancel_scope.cancel()
    await session.send_ping()
    after = await session.call_tool("gateway_info", {})
    check("session works after a cancelled call", not after.is_error, after)


async def main():
    url, transport = sys.argv[1], sys.argv[2]
    logs = []

    async def on_log(params):
        logs.append((params.level, params.data))

    with anyio.fail_after(60):
        if transport == "sse":
            async with sse_client(url) as (read, write):
                async with ClientSession(read, write, logging_callback=on_log) as session:
                    await exercise(session, await session.initialize(), logs)
        else:
            async with Client(url, logging_callback=on_log) as client:
                session = client.session
                check("Client's server/discover probe falls back to initialize",
                      session.discover_result is None and session.initialize_result is not None,
                      (session.discover_result, session.initialize_result))
                await exercise(session, session.initialize_result, logs)
    if failures:
        print(f"{len(failures)} checks failed", flush=True)
        sys.exit(1)
    print("all checks passed", flush=True)


anyio.run(main)
