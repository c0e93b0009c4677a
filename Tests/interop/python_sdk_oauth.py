"""Signs in to the gateway with the official MCP Python SDK's OAuth client (`OAuthClientProvider` from PyPI `mcp`) and
then uses the session, over either HTTP transport.

The SDK does what a real MCP client does: the 401, protected resource metadata, authorization server metadata,
dynamic registration, PKCE, state and `iss` checks, and the token request. This script stands in for the person at
the browser only: its redirect handler opens the authorize URL, reads the consent page, approves it with the page's
cookie, and follows every redirect (Make's authorize endpoint on the stand-in, the gateway's callback) to the client's
redirect URI, whose `code`, `state` and `iss` its callback handler hands back to the SDK.

Usage: python_sdk_oauth.py URL sse|streamable CALLS

Prints one line per check (`ok NAME` or `FAIL NAME: why`), then one JSON summary line (the replicas that answered
gateway_info, the browser's hops), and exits non-zero on any failure.
"""

import json
import sys
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import anyio
import httpx2
from mcp import ClientSession
from mcp.client.auth import AuthorizationCodeResult, OAuthClientProvider
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp.shared.auth import OAuthClientInformationFull, OAuthClientMetadata, OAuthToken

CLIENT_NAME = "Python SDK OAuth interop"
# Nothing listens here: the browser stops at the redirect to it, as a native client's loopback listener would.
REDIRECT_URI = "http://127.0.0.1:3030/callback"

failures = []


def check(name, condition, detail=""):
    if condition:
        print(f"ok {name}", flush=True)
    else:
        failures.append(name)
        print(f"FAIL {name}: {detail}", flush=True)


class MemoryStorage:
    """The SDK's `TokenStorage` protocol, in memory: one sign-in per run."""

    def __init__(self):
        self.tokens: OAuthToken | None = None
        self.client_info: OAuthClientInformationFull | None = None

    async def get_tokens(self):
        return self.tokens

    async def set_tokens(self, tokens):
        self.tokens = tokens

    async def get_client_info(self):
        return self.client_info

    async def set_client_info(self, client_info):
        self.client_info = client_info


class ConsentForm(HTMLParser):
    """The consent page's form: its action, hidden fields and decision buttons, and the client name shown."""

    def __init__(self):
        super().__init__()
        self.action = None
        self.method = None
        self.fields = {}
        self.decisions = []
        self.client_name = ""
        self._in_client_name = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.action = attributes.get("action")
            self.method = (attributes.get("method") or "get").lower()
        elif tag == "input" and attributes.get("type") == "hidden":
            self.fields[attributes.get("name")] = attributes.get("value", "")
        elif tag == "button" and attributes.get("name") == "decision":
            self.decisions.append(attributes.get("value"))
        elif attributes.get("id") == "client-name":
            self._in_client_name = True

    def handle_endtag(self, tag):
        self._in_client_name = False

    def handle_data(self, data):
        if self._in_client_name:
            self.client_name += data


class Browser:
    """Plays the user's browser for the SDK's redirect and callback handlers."""

    def __init__(self):
        self.hops = []
        self.result = None

    async def open(self, authorization_url):
        async with httpx2.AsyncClient(follow_redirects=False, timeout=30) as client:
            page = await client.get(authorization_url)
            check("authorize shows the consent page", page.status_code == 200
                  and page.headers.get("content-type", "").startswith("text/html"), f"{page.status_code} {page.text}")
            check("the consent page sets its cookie", "mcpgw_consent_" in page.headers.get("set-cookie", ""),
                  page.headers)
            form = ConsentForm()
            form.feed(page.text)
            check("the consent page names the client", form.client_name.strip() == CLIENT_NAME, form.client_name)
            check("the consent form posts a transaction with approve and deny",
                  form.method == "post" and "transaction" in form.fields and form.decisions == ["approve", "deny"],
                  f"{form.method} {form.fields} {form.decisions}")
            # The cookie jar sends the consent cookie back, as the browser shown the page would.
            response = await client.post(urljoin(str(page.url), form.action),
                                         data={**form.fields, "decision": "approve"})
            location = None
            for _ in range(10):
                self.hops.append(f"{response.status_code} {urlsplit(str(response.url)).path}")
                if response.status_code not in (302, 303):
                    break
                location = urljoin(str(response.url), response.headers["location"])
                if location.startswith(REDIRECT_URI):
                    break
                response = await client.get(location)
            check("the browser ends at the client's redirect URI", location is not None
                  and location.startswith(REDIRECT_URI + "?"), f"{location} after {self.hops}")
            query = parse_qs(urlsplit(location or "").query)
            check("the redirect carries a code and no error", "code" in query and "error" not in query, query)
            self.result = AuthorizationCodeResult(code=query.get("code", [""])[0], state=query.get("state", [None])[0],
                                                  iss=query.get("iss", [None])[0])

    async def callback(self):
        return self.result


async def exercise(session):
    init = await session.initialize()
    check("initialize after signing in", init.server_info.name == "make-mcp-gateway", init.server_info)
    names = [tool.name for tool in (await session.list_tools()).tools]
    check("tools/list has users_me and gateway_info", "users_me" in names and "gateway_info" in names, names)
    me = await session.call_tool("users_me", {})
    text = me.content[0].text if me.content else ""
    check("users_me answers with the Make user who signed in", not me.is_error and "Ada Lovelace" in text, text)
    replicas = {}
    for _ in range(int(sys.argv[3])):
        info = await session.call_tool("gateway_info", {})
        if info.is_error:
            check("gateway_info succeeds", False, info)
            continue
        replica = json.loads(info.content[0].text)["replica"]
        replicas[replica] = replicas.get(replica, 0) + 1
    return replicas


async def main():
    url, transport = sys.argv[1], sys.argv[2]
    browser = Browser()
    storage = MemoryStorage()
    provider = OAuthClientProvider(
        server_url=url,
        client_metadata=OAuthClientMetadata(client_name=CLIENT_NAME, redirect_uris=[REDIRECT_URI],
                                            grant_types=["authorization_code", "refresh_token"],
                                            response_types=["code"]),
        storage=storage, redirect_handler=browser.open, callback_handler=browser.callback)
    with anyio.fail_after(120):
        if transport == "sse":
            async with sse_client(url, auth=provider) as (read, write):
                async with ClientSession(read, write) as session:
                    replicas = await exercise(session)
        else:
            async with create_mcp_http_client(auth=provider) as http_client:
                async with streamable_http_client(url, http_client=http_client) as (read, write, *_):
                    async with ClientSession(read, write) as session:
                        replicas = await exercise(session)
    client_info = storage.client_info
    check("the SDK registered itself as a public client", client_info is not None
          and client_info.client_id.startswith("mcpgw-client-") and client_info.client_secret is None, client_info)
    tokens = storage.tokens
    check("the SDK holds gateway tokens with an expiry and a refresh token", tokens is not None
          and tokens.access_token.startswith("mcpgw_at_") and tokens.expires_in and tokens.refresh_token, tokens)
    print(json.dumps({"replicas": replicas, "hops": browser.hops, "failures": len(failures)}), flush=True)


anyio.run(main)
if failures:
    print(f"{len(failures)} checks failed: {', '.join(failures)}", flush=True)
    sys.exit(1)
print("all checks passed", flush=True)
