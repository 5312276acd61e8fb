"""Hosted with login, Streamlit's information endpoints (``/_stcore/metrics`` ...) do not answer before login:
``hosted.py`` (the Dockerfile's entry) puts ``lib.serve.CloseBeforeLogin`` in front of Streamlit's server.
Checked on the middleware alone and against real servers on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import os
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from lib import cli, serve
from lib.serve import CloseBeforeLogin, closed

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("path", ["/_stcore/metrics", "/_stcore/metrics/", "//_stcore//metrics", "/_STCORE/Metrics",
                                  "/_stcore/script-health-check", "/_stcore/agent/openapi.json",
                                  "/_stcore/agent/mcp"])
def test_the_information_endpoints_are_closed_however_written(path):
    assert closed(path)
    assert closed(f"/team{path}", "/team/") and closed(f"/team{path}", "team")


@pytest.mark.parametrize("path", ["/", "/Coverage", "/_stcore/health", "/_stcore/host-config", "/_stcore/stream",
                                  "/_stcore/upload_file/a/b", "/auth/login", "/oauth2callback", "/static/x.js",
                                  "/_stcore/metricsx", "/metrics", "/other/_stcore/metrics"])
def test_what_the_login_page_and_a_health_probe_need_stays_open(path):
    assert not closed(path)
    assert not closed(f"/team{path}", "/team")


def _call(login, path: str, kind: str = "http") -> tuple[int | None, bool]:
    """(status the middleware sent, whether the request reached the app behind it)."""
    reached, sent = [], []

    async def app(scope, receive, send):
        reached.append(scope["path"])

    async def send(message):
        sent.append(message)

    asyncio.run(CloseBeforeLogin(app, login=login)({"type": kind, "path": path}, None, send))
    status = next((m["status"] for m in sent if m["type"] == "http.response.start"), None)
    return status, bool(reached)


def test_the_middleware_refuses_only_while_login_is_on():
    assert _call(lambda: True, "/_stcore/metrics") == (403, False)
    assert _call(lambda: True, "/_stcore/health") == (None, True)
    assert _call(lambda: True, "/_stcore/metrics", kind="websocket") == (None, True)  # no such websocket route
    assert _call(lambda: False, "/_stcore/metrics") == (None, True)  # login off: as Streamlit serves it


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def _hosted_entry() -> str:
    """The script the Dockerfile's ENTRYPOINT runs: how FrameScope is hosted."""
    (line,) = [ln for ln in (ROOT / "Dockerfile").read_text().splitlines() if ln.startswith("ENTRYPOINT")]
    entry = json.loads(line.removeprefix("ENTRYPOINT"))
    assert entry[:2] == ["streamlit", "run"]
    return entry[2]


def _secrets(folder: Path, port: int) -> Path:
    path = folder / "secrets.toml"
    path.write_text('FRAMESCOPE_ALLOWED = "@example.org"\n\n[auth]\n'
                    f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
                    f'cookie_secret = "{os.urandom(24).hex()}"\n'
                    'client_id = "framescope"\nclient_secret = "secret"\n'
                    'server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"\n')
    return path


@pytest.mark.slow
def test_hosted_with_login_a_real_server_refuses_metrics_before_login(tmp_path):
    """The Dockerfile's entry, with an [auth] secrets section, on 127.0.0.1: no metrics, no agent API; the health
    probe and the login page still answer."""
    port = serve.free_port()
    proc, url = serve.start(tmp_path, "--secrets.files", str(_secrets(tmp_path, port)), port=port,
                            entry=_hosted_entry())
    try:
        status, body = _get(f"{url}/_stcore/metrics")
        assert status == 403 and b"requires login" in body and b"session" not in body
        assert _get(f"{url}/_stcore/metrics?families=session_events")[0] == 403
        assert _get(f"{url}/_stcore/agent/openapi.json")[0] == 403
        assert _get(f"{url}/_stcore/health") == (200, b"ok")
        status, page = _get(f"{url}/")
        assert status == 200 and b"<html" in page.lower()
        assert _get(f"{url}/_stcore/host-config")[0] == 200  # the page needs it to start
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.slow
def test_the_local_one_command_mode_keeps_streamlits_metrics(tmp_path):
    """``framescope run``'s command (dashboard.py, no login) is Streamlit as it is: its metrics answer."""
    proc, url = serve.start(tmp_path, *cli.LOCAL)
    try:
        status, body = _get(f"{url}/_stcore/metrics")
        assert status == 200 and re.search(rb"^# TYPE \w+", body, re.M)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
