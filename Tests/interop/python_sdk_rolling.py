"""Keeps a steady load on a gateway fleet with the official Python SDK while its replicas are restarted: SESSIONS
Streamable HTTP sessions call gateway_info in a loop until STOP_FILE exists. Prints `ready` once every session has
made a call, then, at the end, one JSON object: calls made, failures (with their messages), and sessions lost (a
call that failed because the session was gone, which rolling restarts must never cause).
Usage: python_sdk_rolling.py URL SESSIONS STOP_FILE"""

import json
import os
import sys

import anyio
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client


async def worker(url, stop_file, totals, started):
    async with streamable_http_client(url) as (read, write, *_):
        async with ClientSession(read, write) as session:
            await session.initialize()
            first = True
            lost = False
            while not os.path.exists(stop_file):
                try:
                    result = await session.call_tool("gateway_info", {})
                    if result.is_error:
                        totals["failures"].append(result.content[0].text)
                    totals["calls"] += 1
                except Exception as error:  # every failure a user would see counts
                    totals["calls"] += 1
                    message = repr(error)
                    totals["failures"].append(message)
                    if "terminated" in message.lower() or "not found" in message.lower():
                        lost = True
                        break
                if first:
                    started.append(1)
                    first = False
            if lost:
                totals["sessions_lost"] += 1


async def main():
    url, sessions, stop_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    totals = {"calls": 0, "failures": [], "sessions_lost": 0}
    started = []
    with anyio.fail_after(240):
        async with anyio.create_task_group() as group:
            for _ in range(sessions):
                group.start_soon(worker, url, stop_file, totals, started)
            while len(started) < sessions:
                await anyio.sleep(0.01)
            print("ready", flush=True)
    print(json.dumps(totals), flush=True)


anyio.run(main)
