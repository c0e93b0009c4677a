#!/usr/bin/env python3
"""FastMCP 4.1.6, the peer `bench/mcp` compares the gateway against: one tool, `gateway_info`, answering the same
small dict the gateway's tool does, served by uvicorn with one worker and logging off.

Usage: python bench/fastmcp_server.py --port P --transport sse|streamable

- sse: the HTTP+SSE transport (2024-11-05): `GET /sse`, then `POST /messages/?session_id=…`.
- streamable: Streamable HTTP at `/mcp`, stateful sessions (`Mcp-Session-Id`) and `json_response=True`, so a request
  POST is answered with one `application/json` body rather than a one-event SSE stream, as the gateway answers.
"""
import argparse
import logging
import os
import socket

# Before fastmcp is imported: its settings read these once.
os.environ.setdefault("FASTMCP_LOG_LEVEL", "CRITICAL")
os.environ.setdefault("FASTMCP_SHOW_SERVER_BANNER", "false")

import fastmcp  # noqa: E402
import uvicorn  # noqa: E402

PROTOCOL_VERSIONS = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"]


def make_server() -> fastmcp.FastMCP:
    server = fastmcp.FastMCP(name="fastmcp-bench", version=fastmcp.__version__)
    info = {
        "version": fastmcp.__version__,
        "replica": socket.gethostname(),
        "store": "memory",
        "protocolVersions": PROTOCOL_VERSIONS,
    }

    @server.tool(annotations={"readOnlyHint": True, "idempotentHint": True, "openWorldHint": False})
    def gateway_info() -> dict:
        """Reports this server's version, which replica answered, which session store it uses and the MCP protocol
        versions it speaks. Takes no arguments."""
        return info

    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--transport", choices=["sse", "streamable"], required=True)
    arguments = parser.parse_args()

    server = make_server()
    if arguments.transport == "sse":
        app = server.http_app(transport="sse")
    else:
        app = server.http_app(transport="streamable-http", json_response=True, stateless_http=False)

    logging.disable(logging.CRITICAL)
    uvicorn.run(
        app,
        host=arguments.host,
        port=arguments.port,
        workers=1,
        log_level="critical",
        access_log=False,
        log_config=None,
        # The defaults, spelled out: uvloop and httptools are installed, so "auto" would pick them too.
        loop="uvloop",
        http="httptools",
        lifespan="on",
        timeout_graceful_shutdown=1,
    )


if __name__ == "__main__":
    main()
