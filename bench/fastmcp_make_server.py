#!/usr/bin/env python3
"""FastMCP 4.1.6 with the same Make tool as the gateway's `scenarios_list`, for `bench/make`: the tool reads
`GET /scenarios?teamId=…&cols[]=*` from the Make stand-in with httpx (one shared client, so connections are reused)
and caches the answer in Redis per (identity, method, URL) with a TTL, as the gateway's response cache does.

Usage: python bench/fastmcp_make_server.py --port P --transport sse|streamable --make-api-url URL --token T
       --redis-url redis://127.0.0.1:PORT/0 [--cache-ttl 3600]
"""
import argparse
import hashlib
import json
import logging
import os

os.environ.setdefault("FASTMCP_LOG_LEVEL", "CRITICAL")
os.environ.setdefault("FASTMCP_SHOW_SERVER_BANNER", "false")

import fastmcp  # noqa: E402
import httpx  # noqa: E402
import redis.asyncio as redis  # noqa: E402
import uvicorn  # noqa: E402


def make_server(api_url: str, token: str, redis_url: str, ttl: int) -> fastmcp.FastMCP:
    server = fastmcp.FastMCP(name="fastmcp-make-bench", version=fastmcp.__version__)
    identity = "token:" + hashlib.sha256(token.encode()).hexdigest()[:16]
    state = {}

    def clients():
        if not state:
            state["http"] = httpx.AsyncClient(base_url=api_url, headers={"Authorization": f"Token {token}"})
            state["redis"] = redis.from_url(redis_url)
        return state["http"], state["redis"]

    @server.tool(annotations={"readOnlyHint": True, "openWorldHint": False})
    async def scenarios_list(teamId: int) -> str:
        """Lists the scenarios of a team with all their columns."""
        http, cache = clients()
        url = f"/scenarios?teamId={teamId}&cols%5B%5D=%2A"
        key = f"fastmcp-bench:{identity}|GET {url}"
        cached = await cache.get(key)
        if cached is not None:
            return cached.decode()
        response = await http.get(url)
        response.raise_for_status()
        text = json.dumps(response.json()["scenarios"], separators=(",", ":"))
        await cache.set(key, text, ex=ttl)
        return text

    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--transport", choices=["sse", "streamable"], required=True)
    parser.add_argument("--make-api-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--redis-url", required=True)
    parser.add_argument("--cache-ttl", type=int, default=3600)
    arguments = parser.parse_args()

    server = make_server(arguments.make_api_url, arguments.token, arguments.redis_url, arguments.cache_ttl)
    if arguments.transport == "sse":
        app = server.http_app(transport="sse")
    else:
        app = server.http_app(transport="streamable-http", json_response=True, stateless_http=False)
    logging.disable(logging.CRITICAL)
    uvicorn.run(app, host=arguments.host, port=arguments.port, workers=1, log_level="critical", access_log=False,
                log_config=None, loop="uvloop", http="httptools", lifespan="on", timeout_graceful_shutdown=1)


if __name__ == "__main__":
    main()
