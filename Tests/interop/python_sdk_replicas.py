"""Calls gateway_info many times through one MCP session with the official Python SDK and reports which replicas
answered and how many calls failed, as one JSON object. Usage: python_sdk_replicas.py URL sse|streamable CALLS"""

import json
import sys
from collections import Counter

import anyio
from mcp import ClientSession
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client


async def calls(session, count):
    await session.initialize()
    replicas = Counter()
    failures = 0
    for _ in range(count):
        try:
            result = await session.call_tool("gateway_info", {})
            if result.is_error:
                failures += 1
            else:
                replicas[json.loads(result.content[0].text)["replica"]] += 1
        except Exception as error:  # every failure a user would see counts
            failures += 1
            print(f"call failed: {error!r}", file=sys.stderr)
    return {"failures": failures, "replicas": dict(replicas)}


async def main():
    url, transport, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with anyio.fail_after(120):
        if transport == "sse":
            async with sse_client(url) as (read, write):
                async with ClientSession(read, write) as session:
                    summary = await calls(session, count)
        else:
            async with streamable_http_client(url) as (read, write, *_):
                async with ClientSession(read, write) as session:
                    summary = await calls(session, count)
    print(json.dumps(summary), flush=True)


anyio.run(main)
