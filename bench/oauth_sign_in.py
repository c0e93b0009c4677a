#!/usr/bin/env python3
"""Signs in to a gateway in OAuth mode in front of the Make stand-in, as a client and its user's browser would, and
prints the gateway access token: register, /authorize (consent page), approve, the stand-in's authorize, the
gateway's callback, /token. For bench/auth. Usage: python3 bench/oauth_sign_in.py GATEWAY_URL"""
import base64
import hashlib
import http.cookiejar
import json
import re
import secrets
import sys
import urllib.parse
import urllib.request

gateway = sys.argv[1].rstrip("/")
redirect_uri = "http://127.0.0.1:9/callback"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)


def request(url, data=None, headers=None):
    try:
        return opener.open(urllib.request.Request(url, data=data, headers=headers or {}))
    except urllib.error.HTTPError as answer:  # 3xx arrive here once redirects are not followed
        return answer


registration = json.load(request(gateway + "/register", json.dumps({"redirect_uris": [redirect_uri],
                                                                    "client_name": "bench"}).encode(),
                                 {"Content-Type": "application/json"}))
client_id = registration["client_id"]
verifier = secrets.token_urlsafe(48)
challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
query = urllib.parse.urlencode({"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
                                "state": "bench", "code_challenge": challenge, "code_challenge_method": "S256",
                                "resource": gateway + "/mcp"})
page = request(gateway + "/authorize?" + query).read().decode()
transaction = re.search(r'name="transaction" value="([^"]+)"', page).group(1)
location = request(gateway + "/authorize", urllib.parse.urlencode(
    {"transaction": transaction, "decision": "approve"}).encode()).headers["Location"]
while not location.startswith(redirect_uri):
    location = request(location).headers["Location"]
code = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)["code"][0]
tokens = json.load(request(gateway + "/token", urllib.parse.urlencode(
    {"grant_type": "authorization_code", "code": code, "client_id": client_id, "redirect_uri": redirect_uri,
     "code_verifier": verifier}).encode()))
print(tokens["access_token"])
