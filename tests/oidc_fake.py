"""A small OpenID Connect provider for the browser tests of login (test code only; 127.0.0.1).

It serves the discovery document, an authorize endpoint (a form asking which e-mail address to log in as,
then a redirect back to the app with a code), a token endpoint (checks the client, the redirect URI and
the PKCE verifier, and returns an RS256 id_token signed with a key made at start), the JWKS and userinfo.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "framescope-test"
CLIENT_SECRET = "not-a-real-secret"


class Provider:
    """Start with ``Provider()``, stop with ``.stop()``; ``.url`` is its issuer, ``.metadata_url`` the
    discovery document; ``.issued`` lists the id_token claims it handed out."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"})
        self.codes: dict[str, dict] = {}
        self.issued: list[dict] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _send(self, status: int, body: bytes, kind: str = "application/json", headers: dict | None = None):
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def _json(self, value: dict, status: int = 200) -> None:
                self._send(status, json.dumps(value).encode())

            def do_GET(self) -> None:  # noqa: N802
                url = urlparse(self.path)
                query = {k: v[-1] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self._json(provider.metadata())
                elif url.path == "/jwks":
                    self._json({"keys": [provider.key.as_dict(private=False)]})
                elif url.path == "/authorize":
                    self._send(200, provider.form(query).encode(), "text/html; charset=utf-8")
                elif url.path == "/userinfo":
                    self._json(provider.issued[-1] if provider.issued else {}, 200 if provider.issued else 401)
                else:
                    self._send(404, b"{}")

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[-1] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if self.path == "/authorize":
                    self._send(302, b"", headers={"Location": provider.approve(form)})
                elif self.path == "/token":
                    status, body = provider.token(form, self.headers.get("Authorization", ""))
                    self._json(body, status)
                else:
                    self._send(404, b"{}")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.metadata_url = f"{self.url}/.well-known/openid-configuration"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def metadata(self) -> dict:
        return {"issuer": self.url, "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token", "jwks_uri": f"{self.url}/jwks",
                "userinfo_endpoint": f"{self.url}/userinfo", "response_types_supported": ["code"],
                "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "email", "profile"], "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"]}

    def form(self, query: dict) -> str:
        """The login page: which address to log in as (the request's parameters carried along)."""
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return "<p>unknown client or response type</p>"
        hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                         for k, v in query.items())
        return ("<!DOCTYPE html><title>Test identity provider</title><form method=post action=/authorize>"
                f'{hidden}<label>E-mail <input name="login_email" type="email"></label>'
                "<button type=submit>Sign in</button></form>")

    def approve(self, form: dict) -> str:
        code = secrets.token_urlsafe(16)
        self.codes[code] = form
        return f"{form['redirect_uri']}?{urlencode({'code': code, 'state': form.get('state', '')})}"

    def token(self, form: dict, authorization: str) -> tuple[int, dict]:
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization.startswith("Basic "):
            client_id, _, client_secret = base64.b64decode(authorization[6:]).decode().partition(":")
        if (client_id, client_secret) != (CLIENT_ID, CLIENT_SECRET):
            return 401, {"error": "invalid_client"}
        request = self.codes.pop(form.get("code", ""), None)
        if request is None or form.get("grant_type") != "authorization_code" \
                or form.get("redirect_uri") != request["redirect_uri"]:
            return 400, {"error": "invalid_grant"}
        if "code_challenge" in request:  # PKCE (S256), which Streamlit asks for when offered
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != request["code_challenge"]:
                return 400, {"error": "invalid_grant", "error_description": "PKCE verifier"}
        email, now = request["login_email"], int(time.time())
        claims = {"iss": self.url, "sub": hashlib.sha1(email.encode()).hexdigest(), "aud": CLIENT_ID,
                  "iat": now, "exp": now + 600, "email": email, "email_verified": True,
                  "name": email.split("@")[0].title()}
        if request.get("nonce"):
            claims["nonce"] = request["nonce"]
        self.issued.append(claims)
        id_token = jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, self.key)
        return 200, {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 600,
                     "id_token": id_token, "scope": "openid email profile"}
