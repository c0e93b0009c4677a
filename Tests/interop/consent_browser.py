"""The gateway's consent page in a real browser: headless Chromium, driven through chromedriver by Selenium.

It registers a client, opens /authorize, saves a screenshot and reads it back with Tesseract OCR to see the client's
name in the pixels, then clicks approve and waits for the browser to land on the client's redirect URI (past Make's
authorize endpoint on the stand-in and the gateway's callback) with a code, which it redeems at /token. A second
sign-in clicks deny and must land there with error=access_denied. Then two consent pages are opened in two tabs and
both approved. The redirect URI is a loopback listener this script runs, as a native MCP client does.

Usage: consent_browser.py PUBLIC_URL SCREENSHOT.png

Prints one line per check (`ok NAME` or `FAIL NAME: why`) and exits non-zero on any failure.
"""

import base64
import hashlib
import json
import re
import secrets
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit
from urllib.error import HTTPError
from urllib.request import Request, urlopen

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

failures = []


def check(name, condition, detail=""):
    if condition:
        print(f"ok {name}", flush=True)
    else:
        failures.append(name)
        print(f"FAIL {name}: {detail}", flush=True)


class Callback(BaseHTTPRequestHandler):
    """The client's redirect URI: records each query it receives and answers with a small page."""

    received = []

    def do_GET(self):
        url = urlsplit(self.path)
        # Chromium also asks for /favicon.ico; only the callback path is the redirect.
        if url.path == "/callback":
            Callback.received.append(parse_qs(url.query))
        body = b"<!doctype html><title>Signed in</title><p>You can close this window.</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def post(url, body, content_type):
    request = Request(url, data=body.encode(), headers={"Content-Type": content_type}, method="POST")
    try:
        with urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def pkce():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    return verifier, challenge


def authorize_url(public_url, client_id, redirect_uri, state, challenge):
    return public_url + "/authorize?" + urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri, "state": state,
        "code_challenge": challenge, "code_challenge_method": "S256", "resource": public_url + "/mcp",
    })


def ocr(path):
    """The text Tesseract reads in the PNG: the page as a person sees it, not as the DOM says."""
    result = subprocess.run(["tesseract", path, "stdout"], capture_output=True, text=True, timeout=60)
    return result.stdout


def normalized(text):
    return re.sub(r"\s+", " ", text).strip()


def open_consent(driver, public_url, client_id, redirect_uri):
    """Opens /authorize in the current tab; returns the state and PKCE verifier it was opened with."""
    state = secrets.token_urlsafe(16)
    verifier, challenge = pkce()
    driver.get(authorize_url(public_url, client_id, redirect_uri, state, challenge))
    return state, verifier


def decide(driver, public_url, redirect_uri, button, state, label):
    """Clicks `button` on the consent page in the current tab and waits for the client's redirect URI; returns the
    query that URI received."""
    received_before = len(Callback.received)
    driver.find_element(By.ID, button).click()
    # Either the client's redirect URI or the gateway's error page, whose #message says why.
    WebDriverWait(driver, 30).until(
        lambda d: d.current_url.startswith(redirect_uri) or d.find_elements(By.ID, "message"))
    refusal = driver.find_elements(By.ID, "message")
    check(f"{label}: the browser ends at the client's redirect URI", driver.current_url.startswith(redirect_uri),
          f"{driver.current_url}: {refusal[0].text if refusal else ''}")
    received = Callback.received[received_before:]
    check(f"{label}: the client's listener got one redirect", len(received) == 1, received)
    query = {name: values[0] for name, values in (received[-1] if received else {}).items()}
    check(f"{label}: the redirect carries the client's state and the issuer",
          query.get("state") == state and query.get("iss") == public_url, query)
    return query


def main():
    public_url, screenshot = sys.argv[1], sys.argv[2]
    listener = HTTPServer(("127.0.0.1", 0), Callback)
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    redirect_uri = f"http://127.0.0.1:{listener.server_address[1]}/callback"

    # A name no other text on the page holds, so only the rendered client name can put it in the screenshot; digits
    # OCR cannot confuse with letters (no 0 or 1).
    client_name = "Orchid Ledger " + "".join(secrets.choice("23456789") for _ in range(4))
    status, client = post(public_url + "/register", json.dumps({
        "client_name": client_name, "redirect_uris": [redirect_uri], "grant_types": ["authorization_code"],
        "response_types": ["code"], "token_endpoint_auth_method": "none",
    }), "application/json")
    check("registration succeeds", status == 201 and "client_id" in client, client)

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1000,900", "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.set_page_load_timeout(30)
        state, verifier = open_consent(driver, public_url, client["client_id"], redirect_uri)
        driver.save_screenshot(screenshot)
        with open(screenshot, "rb") as file:
            check("the screenshot is a PNG", file.read(8) == b"\x89PNG\r\n\x1a\n")
        seen = normalized(ocr(screenshot))
        check("the screenshot shows the client name", client_name in seen, seen)
        query = decide(driver, public_url, redirect_uri, "approve", state, "approve")
        check("approve: the redirect carries a code and no error", "code" in query and "error" not in query, query)
        status, tokens = post(public_url + "/token", urlencode({
            "grant_type": "authorization_code", "code": query.get("code", ""), "redirect_uri": redirect_uri,
            "client_id": client["client_id"], "code_verifier": verifier,
        }), "application/x-www-form-urlencoded")
        check("approve: the code redeems for a gateway access token",
              status == 200 and tokens.get("access_token", "").startswith("mcpgw_at_"), tokens)

        state, _ = open_consent(driver, public_url, client["client_id"], redirect_uri)
        query = decide(driver, public_url, redirect_uri, "deny", state, "deny")
        check("deny: the redirect says access_denied and carries no code",
              query.get("error") == "access_denied" and "code" not in query, query)

        # Two sign-ins at once in one browser, in two tabs (a client connecting two servers, or a user who started
        # over without closing the first page): each consent page still works after the other was opened.
        first_tab = driver.current_window_handle
        first_state, _ = open_consent(driver, public_url, client["client_id"], redirect_uri)
        driver.switch_to.new_window("tab")
        second_tab = driver.current_window_handle
        second_state, _ = open_consent(driver, public_url, client["client_id"], redirect_uri)
        for tab, state, label in ((first_tab, first_state, "first of two tabs"),
                                  (second_tab, second_state, "second of two tabs")):
            driver.switch_to.window(tab)
            query = decide(driver, public_url, redirect_uri, "approve", state, label)
            check(f"{label}: the redirect carries a code and no error", "code" in query and "error" not in query,
                  query)
        # Cookies are per host, not per port: the client's page on 127.0.0.1 sees the gateway's cookies.
        left = [cookie for cookie in driver.get_cookies() if cookie["name"].startswith("mcpgw_consent")]
        check("every decided sign-in's consent cookie is gone", left == [], left)
    finally:
        driver.quit()
        listener.shutdown()


main()
if failures:
    print(f"{len(failures)} checks failed: {', '.join(failures)}", flush=True)
    sys.exit(1)
print("all checks passed", flush=True)
