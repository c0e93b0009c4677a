"""Drives the gateway with the official MCP Python SDK (PyPI `mcp`), over either HTTP transport, and checks what a
user of that SDK sees. Prints one line per check (`ok NAME` or `FAIL NAME: why`) and exits non-zero on any failure.

Usage: python_sdk_client.py URL sse|streamable

The gateway must run with DIAGNOSTIC_TOOLS=on, for the gateway_wait tool that reports progress and can be cancelled.
"""

import sys

import anyio
import mcp_types as types
from mcp import ClientSession
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client

failures = []


def check(name, condition, detail=""):
    if condition:
        print(f"ok {name}", flush=True)
    else:
        failures.append(name)
        print(f"FAIL {name}: {detail}", flush=True)


async def exercise(session, transport):
    logged = []

    init = await session.initialize()
    check("initialize negotiates a supported version",
          init.protocol_version in ("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"), init.protocol_version)
    check("server names itself", init.server_info.name == "make-mcp-gateway", init.server_info)
    check("tools capability advertised", init.capabilities.tools is not None, init.capabilities)

    await session.send_ping()
    check("ping answers", True)

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

    await session.set_logging_level("debug")
    check("logging/setLevel accepted", True)

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
    with anyio.fail_after(60):
        if transport == "sse":
            async with sse_client(url) as (read, write):
                async with ClientSession(read, write) as session:
                    await exercise(session, transport)
        else:
            async with streamable_http_client(url) as (read, write, *_):
                async with ClientSession(read, write) as session:
                    await exercise(session, transport)
    if failures:
        print(f"{len(failures)} checks failed", flush=True)
        sys.exit(1)
    print("all checks passed", flush=True)


anyio.run(main)
